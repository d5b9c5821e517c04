package org.kernelci.batch.jdbc;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import org.kernelci.batch.schema.FieldType;
import org.kernelci.batch.sql.SqlArray;

/**
 * How a field's value crosses JDBC, both ways: bound to a parameter, read from a column. The one
 * place where values meet JDBC, so that a value reads back as the type it was bound as.
 */
public final class ColumnCodec {
    private ColumnCodec() {
    }

    /**
     * Binds a value to parameter {@code index}.
     *
     * @param value    a String, Integer, Long, Double, Boolean, OffsetDateTime, {@link SqlArray} or null
     * @param nullType the type of a null value; null when the value cannot be null (bound as text)
     */
    public static void bind(PreparedStatement statement, int index, Object value, FieldType nullType)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, nullType == null ? Types.VARCHAR : sqlType(nullType));
        } else if (value instanceof SqlArray array) {
            Array sqlArray = statement.getConnection().createArrayOf("text",
                    array.values().stream().map(String::valueOf).toArray(String[]::new));
            statement.setArray(index, sqlArray);
        } else {
            statement.setObject(index, value);
        }
    }

    /**
     * The value of a column as its field type holds it: text for text, JSON, lists and objects,
     * Integer, Double, Boolean, Long for a duration, epoch milliseconds for a time; null for NULL.
     */
    public static Object read(ResultSet rows, int column, FieldType type) throws SQLException {
        Object value = switch (type) {
            case OBJECT_ID, ID, TEXT, JSON, LIST, OBJECT, EXTRAS -> rows.getString(column);
            case INTEGER -> rows.getInt(column);
            case NUMBER -> rows.getDouble(column);
            case BOOLEAN -> rows.getBoolean(column);
            case DURATION -> rows.getLong(column);
            case TIMESTAMP -> {
                // Not getTimestamp: java.sql.Timestamp shifts dates before 1582 to the Julian calendar.
                OffsetDateTime timestamp = rows.getObject(column, OffsetDateTime.class);
                yield timestamp == null ? null : timestamp.toInstant().toEpochMilli();
            }
        };
        return rows.wasNull() ? null : value;
    }

    private static int sqlType(FieldType type) {
        return switch (type) {
            case OBJECT_ID, ID, TEXT, JSON, LIST, OBJECT, EXTRAS -> Types.VARCHAR;
            case INTEGER -> Types.INTEGER;
            case NUMBER -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            case DURATION -> Types.BIGINT;
        };
    }
}

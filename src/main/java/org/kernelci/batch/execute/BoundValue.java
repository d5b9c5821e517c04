package org.kernelci.batch.execute;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;
import org.kernelci.batch.schema.FieldType;
import org.kernelci.batch.sql.SqlArray;

/**
 * A typed value bound to a statement parameter: the one place where values meet JDBC, used by
 * the pipelined reads, the writers and (as a JDBI {@link Argument}) every JDBI statement. A null
 * is typed by its field, so a prepared statement keeps one set of parameter types from row to row.
 *
 * @param value    a String, Integer, Long, Double, Boolean, OffsetDateTime, {@link SqlArray} or null
 * @param nullType the type of a null value; null when the value cannot be null
 */
public record BoundValue(Object value, FieldType nullType) implements Argument {

    @Override
    public void apply(int position, PreparedStatement statement, StatementContext context) throws SQLException {
        set(statement, position, value, nullType);
    }

    public static void set(PreparedStatement statement, int index, Object value, FieldType nullType)
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

package org.kernelci.batch.execute;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.SqlArray;
import org.kernelci.batch.sql.SqlQuery;

/**
 * Statements inside one read transaction. Rows come back as arrays of plain values in projection
 * order: String for ids, text and JSON; Integer, Double, Boolean; Long milliseconds for
 * timestamps and durations; null for SQL NULL.
 */
public final class Snapshot {
    private final Handle handle;

    Snapshot(Handle handle) {
        this.handle = handle;
    }

    /** The transaction's JDBI handle, for reads outside the collections (tokens). */
    public Handle handle() {
        return handle;
    }

    public long count(SqlQuery sql) {
        return bound(sql).mapTo(Long.class).one();
    }

    public List<Object[]> select(SqlQuery sql, List<Field> projection) {
        int width = projection.size();
        return bound(sql).map((rs, ctx) -> {
            Object[] row = new Object[width];
            for (int i = 0; i < width; i++) {
                row[i] = value(rs, i + 1, projection.get(i));
            }
            return row;
        }).list();
    }

    private Query bound(SqlQuery sql) {
        Query query = handle.createQuery(sql.text());
        List<Object> binds = sql.binds();
        for (int i = 0; i < binds.size(); i++) {
            Object value = binds.get(i);
            if (value instanceof SqlArray array) {
                query.bind(i, array.values().stream().map(String::valueOf).toArray(String[]::new));
            } else {
                query.bind(i, value);
            }
        }
        return query;
    }

    private static Object value(ResultSet rs, int column, Field field) throws SQLException {
        Object value = switch (field.type()) {
            case ID, REF, TEXT, JSON -> rs.getString(column);
            case INTEGER -> rs.getInt(column);
            case NUMBER -> rs.getDouble(column);
            case BOOLEAN -> rs.getBoolean(column);
            case DURATION -> rs.getLong(column);
            case TIMESTAMP -> {
                Timestamp timestamp = rs.getTimestamp(column);
                yield timestamp == null ? null : timestamp.getTime();
            }
        };
        return rs.wasNull() ? null : value;
    }
}

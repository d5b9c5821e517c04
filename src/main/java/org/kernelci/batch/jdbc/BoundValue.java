package org.kernelci.batch.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;
import org.kernelci.batch.schema.FieldType;
import org.kernelci.batch.sql.SqlArray;

/**
 * A typed value bound to a statement parameter, as a JDBI {@link Argument}: every JDBI statement
 * binds through it, and so through the {@link ColumnCodec} the pipelined reads and the writers use.
 * A null is typed by its field, so a prepared statement keeps one set of parameter types from row
 * to row.
 *
 * @param value    a String, Integer, Long, Double, Boolean, OffsetDateTime, {@link SqlArray} or null
 * @param nullType the type of a null value; null when the value cannot be null
 */
public record BoundValue(Object value, FieldType nullType) implements Argument {

    @Override
    public void apply(int position, PreparedStatement statement, StatementContext context) throws SQLException {
        ColumnCodec.bind(statement, position, value, nullType);
    }
}

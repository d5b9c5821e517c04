package org.kernelci.batch.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.kernelci.batch.schema.FieldType;
import org.kernelci.batch.sql.ResultRows;

/**
 * A result set as the statements of {@code sql} decode it. A failure to read it is a {@link
 * RowReadException} carrying the {@link SQLException}, which the runner of the statement
 * unwraps, so that it fails as the statement would have.
 */
public final class ResultSetRows implements ResultRows {
    private final ResultSet rows;

    public ResultSetRows(ResultSet rows) {
        this.rows = rows;
    }

    @Override
    public boolean next() {
        try {
            return rows.next();
        } catch (SQLException e) {
            throw new RowReadException(e);
        }
    }

    @Override
    public long whole(int column) {
        try {
            return rows.getLong(column);
        } catch (SQLException e) {
            throw new RowReadException(e);
        }
    }

    @Override
    public String text(int column) {
        try {
            return rows.getString(column);
        } catch (SQLException e) {
            throw new RowReadException(e);
        }
    }

    @Override
    public Object value(int column, FieldType type) {
        try {
            return ColumnCodec.read(rows, column, type);
        } catch (SQLException e) {
            throw new RowReadException(e);
        }
    }

    /** A result set that could not be read: {@link #failure()} says why. */
    public static final class RowReadException extends RuntimeException {
        private final SQLException failure;

        RowReadException(SQLException failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }

        public SQLException failure() {
            return failure;
        }
    }
}

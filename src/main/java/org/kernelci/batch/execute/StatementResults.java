package org.kernelci.batch.execute;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.kernelci.batch.jdbc.ResultSetRows;
import org.kernelci.batch.sql.ReadStatement;

/** The result sets of one execute of a {@link StatementPipeline}, taken in order by its steps. */
final class StatementResults {
    private final PreparedStatement statement;
    private boolean isResult;

    StatementResults(PreparedStatement statement, boolean isResult) {
        this.statement = statement;
        this.isResult = isResult;
    }

    /** The next result set, decoded as the statement says; a failure to read it is the statement's. */
    <T> T decode(ReadStatement<T> read) throws SQLException {
        toResult();
        T value;
        try (ResultSet rows = statement.getResultSet()) {
            value = read.decode(new ResultSetRows(rows));
        } catch (ResultSetRows.RowReadException e) {
            throw e.failure();
        }
        isResult = statement.getMoreResults();
        return value;
    }

    void skip() throws SQLException {
        toResult();
        statement.getResultSet().close();
        isResult = statement.getMoreResults();
    }

    private void toResult() throws SQLException {
        while (!isResult) {
            if (statement.getUpdateCount() == -1) {
                throw new IllegalStateException("The pipeline answered fewer result sets than its statements ask");
            }
            isResult = statement.getMoreResults();
        }
    }

    /** Reads to the end, so that every statement's failure is seen. */
    void drain() throws SQLException {
        while (isResult || statement.getUpdateCount() != -1) {
            if (isResult) {
                statement.getResultSet().close();
            }
            isResult = statement.getMoreResults();
        }
    }
}

package org.kernelci.batch.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.kernelci.batch.sql.ReadStatement;
import org.kernelci.batch.sql.SqlQuery;

/**
 * One statement of a snapshot's pipeline and, once the pipeline ran, what it answered: made
 * for one run ({@link Snapshot}), since it holds that run's answer.
 */
sealed interface Step permits Step.Answered, Step.Cursor {

    SqlQuery sql();

    /** Takes the step's answer from the pipeline's results, read in the order the steps were sent. */
    void answer(StatementResults results) throws SQLException;

    /** A statement whose rows are read with the pipeline and decoded at once. */
    final class Answered<T> implements Step, Supplier<T> {
        private final ReadStatement<T> statement;
        private T value;

        Answered(ReadStatement<T> statement) {
            this.statement = statement;
        }

        @Override
        public SqlQuery sql() {
            return statement.sql();
        }

        @Override
        public void answer(StatementResults results) throws SQLException {
            value = results.decode(statement);
        }

        @Override
        public T get() {
            return value;
        }
    }

    /**
     * A listing's rows declared as a cursor in the snapshot: the declaration answers nothing, and
     * the rows are fetched while they are written ({@link CursorRows}).
     */
    final class Cursor implements Step, Supplier<CursorRows> {
        private final ReadStatement.Rows rows;
        private final ReadStatement.Rows declared;
        private final String name;
        private final Connection connection;
        private final Budget budget;
        private CursorRows value;

        Cursor(ReadStatement.Rows rows, String name, Connection connection, Budget budget) {
            this.rows = rows;
            this.declared = rows.declared(name);
            this.name = name;
            this.connection = connection;
            this.budget = budget;
        }

        @Override
        public SqlQuery sql() {
            return declared.sql();
        }

        @Override
        public void answer(StatementResults results) {
            value = new CursorRows(connection, name, rows, budget);
        }

        @Override
        public CursorRows get() {
            return value;
        }
    }
}

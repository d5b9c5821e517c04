package org.kernelci.batch.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.kernelci.batch.jdbc.ResultSetRows;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.sql.ReadStatement;
import org.kernelci.batch.sql.SqlQuery;

/**
 * Runs compiled reads in one READ ONLY, REPEATABLE READ transaction, so that they all see one
 * snapshot, as one {@link StatementPipeline}: one round trip, whatever the number of operations. First, in
 * the same snapshot, the change counts their answer's ETag is made of. A listing whose rows are
 * streamed is declared as a cursor, fetched while it is written. If a statement fails (its
 * deadline passed), the transaction rolls back to the savepoint taken right after the snapshot
 * and the reads run again one pipeline each, under their own savepoints, so that only the failing
 * read fails.
 */
final class Snapshot {
    private final Database primary;
    private final Duration idleInTransaction;
    private final BiFunction<Read, SQLException, Outcome> failure;

    /**
     * @param primary           whose statement timeout the reads take
     * @param idleInTransaction the longest a read transaction may wait for its client between fetches
     * @param failure           the outcome of a read whose statement failed on its own
     */
    Snapshot(Database primary, Duration idleInTransaction, BiFunction<Read, SQLException, Outcome> failure) {
        this.primary = primary;
        this.idleInTransaction = idleInTransaction;
        this.failure = failure;
    }

    /**
     * What the reads answered: every table's change counts (null when they could not be read)
     * and each read's outcome, in order.
     */
    record Answered(Map<String, Long> changes, List<CompiledRead.Weighed> outcomes) {
    }

    /** The statements of one read in this run, and its outcome once they ran. */
    private record Asked(CompiledRead read, List<Step> steps, Supplier<CompiledRead.Weighed> outcome) {
    }

    /**
     * Runs the reads; the transaction stays open (see {@link OpenReads}) while streamed rows remain.
     *
     * @param gone set once the client has gone: a statement's failure then fails the rest, unrun
     */
    Answered run(Connection connection, OpenReads open, List<CompiledRead> reads, Budget budget, AtomicBoolean gone)
            throws SQLException {
        Step.Answered<Map<String, Long>> changes = new Step.Answered<>(new ReadStatement.ChangeCounts());
        List<Asked> asked = new ArrayList<>(reads.size());
        List<Step> steps = new ArrayList<>();
        steps.add(changes);
        boolean streaming = false;
        for (int i = 0; i < reads.size(); i++) {
            Asked one = ask(connection, reads.get(i), i, budget);
            asked.add(one);
            steps.addAll(one.steps());
            streaming |= reads.get(i).streamed();
        }
        // A stream whose client stops reading cannot hold its snapshot (and connection) for
        // longer than the idle timeout: PostgreSQL ends the session.
        StatementPipeline.Prelude begin = new StatementPipeline.Prelude(new SqlQuery("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\n"
                + "SELECT set_config('statement_timeout', ?, true), "
                + "set_config('idle_in_transaction_session_timeout', ?, true);\nSAVEPOINT batch;\n",
                List.of(Integer.toString(primary.statementTimeoutMillis()),
                        Long.toString(idleInTransaction.toMillis()))), 1);
        open.begun();
        try {
            List<List<Step>> pipelines = StatementPipeline.cut(steps);
            for (int i = 0; i < pipelines.size(); i++) {
                StatementPipeline.Prelude prelude = i == 0 ? begin : StatementPipeline.Prelude.NONE;
                String suffix = i == pipelines.size() - 1 && !streaming ? "COMMIT" : "";
                StatementPipeline.send(connection, prelude, pipelines.get(i), suffix);
            }
        } catch (SQLException e) {
            // A lost connection fails the batch (it is run once more), and so does a query a
            // standby's replay cancelled (40001: run on the primary); any other failure of a
            // statement (a deadline, a cancel, a refusal) is the failure of its operation alone.
            if (lostSnapshot(e) || gone.get()) {
                throw e;
            }
            execute(connection, "ROLLBACK TO SAVEPOINT batch");
            Map<String, Long> counted = changesIfAnswered(connection);
            if (reads.size() == 1) {
                return new Answered(counted, List.of(CompiledRead.Weighed.unweighed(
                        failure.apply(reads.get(0).read(), e))));
            }
            return new Answered(counted, oneByOne(connection, asked, gone));
        }
        if (!streaming) {
            open.ended();
        }
        List<CompiledRead.Weighed> outcomes = new ArrayList<>(asked.size());
        for (Asked one : asked) {
            outcomes.add(one.outcome().get());
        }
        return new Answered(changes.get(), outcomes);
    }

    /** The steps of read {@code index} in this run (its cursor is {@code rows_<index>}), and its outcome. */
    private static Asked ask(Connection connection, CompiledRead read, int index, Budget budget) {
        List<Step> steps = new ArrayList<>();
        Supplier<CompiledRead.Weighed> outcome = read.ask(new CompiledRead.Answers() {
            @Override
            public <T> Supplier<T> of(ReadStatement<T> statement) {
                Step.Answered<T> step = new Step.Answered<>(statement);
                steps.add(step);
                return step;
            }

            @Override
            public Supplier<? extends Iterable<Object[]>> streamed(ReadStatement.Rows statement) {
                Step.Cursor step = new Step.Cursor(statement, "rows_" + index, connection, budget);
                steps.add(step);
                return step;
            }
        }, id -> new Outcome.Missing(read.read().collections().get(0).name(), id)); // a by-id read has one collection

        return new Asked(read, steps, outcome);
    }

    /** After a failure, back at the snapshot: each read under its own savepoint. */
    private List<CompiledRead.Weighed> oneByOne(Connection connection, List<Asked> asked, AtomicBoolean gone)
            throws SQLException {
        List<CompiledRead.Weighed> outcomes = new ArrayList<>(asked.size());
        StatementPipeline.Prelude savepoint = new StatementPipeline.Prelude(new SqlQuery("SAVEPOINT operation;\n", List.of()), 0);
        for (Asked one : asked) {
            try {
                StatementPipeline.send(connection, savepoint, one.steps(), "RELEASE SAVEPOINT operation");
                outcomes.add(one.outcome().get());
            } catch (SQLException e) {
                if (lostSnapshot(e) || gone.get()) {
                    throw e;
                }
                execute(connection, "ROLLBACK TO SAVEPOINT operation");
                outcomes.add(CompiledRead.Weighed.unweighed(failure.apply(one.read().read(), e)));
            }
        }
        return outcomes;
    }

    /** Every table's change count, read alone on a connection: the reads' own come with them. */
    static Map<String, Long> changes(Connection connection) throws SQLException {
        ReadStatement.ChangeCounts changes = new ReadStatement.ChangeCounts();
        try (PreparedStatement statement = connection.prepareStatement(changes.sql().text());
             ResultSet rows = statement.executeQuery()) {
            return changes.decode(new ResultSetRows(rows));
        } catch (ResultSetRows.RowReadException e) {
            throw e.failure();
        }
    }

    /**
     * The change counts again, after a failure: when they too fail (past their deadline), the
     * answer has none, and so no ETag; back at the snapshot either way.
     */
    private static Map<String, Long> changesIfAnswered(Connection connection) throws SQLException {
        try {
            return changes(connection);
        } catch (SQLException e) {
            if (lostSnapshot(e)) {
                throw e;
            }
            execute(connection, "ROLLBACK TO SAVEPOINT batch");
            return null;
        }
    }

    /**
     * The connection was lost, or a standby cancelled the query for its replay (a read-only
     * REPEATABLE READ transaction meets no serialization failure on a primary).
     */
    private static boolean lostSnapshot(SQLException e) {
        Fault fault = Fault.of(e, false);
        return fault == Fault.OUTAGE || fault == Fault.CONFLICT;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

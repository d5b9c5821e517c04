package org.kernelci.batch.execute;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.SqlArray;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reads in one READ ONLY, REPEATABLE READ transaction, so that they all see one snapshot.
 * All statements of all reads go to PostgreSQL as one pipeline: one round trip, whatever the
 * number of operations. Identical reads run once. If a statement fails (its deadline passed), the
 * transaction rolls back to the savepoint taken right after the snapshot and the reads run again
 * one pipeline each, each under its own savepoint, so that only the failing read fails.
 */
public final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    private static final String TIMEOUT = "57014";
    private static final String PAST_DEADLINE = "The operation ran past its deadline";

    private final Database database;

    public BatchRunner(Database database) {
        this.database = database;
    }

    /** The outcome of each read, in order. */
    public List<Outcome> run(List<Read> reads) {
        Map<Read, Integer> distinct = new LinkedHashMap<>();
        int[] positions = new int[reads.size()];
        for (int i = 0; i < reads.size(); i++) {
            positions[i] = distinct.computeIfAbsent(reads.get(i), read -> distinct.size());
        }
        List<Read> unique = List.copyOf(distinct.keySet());
        List<Outcome> computed = database.withConnection(connection -> runAll(connection, unique));
        List<Outcome> outcomes = new ArrayList<>(reads.size());
        for (int position : positions) {
            outcomes.add(computed.get(position));
        }
        return outcomes;
    }

    /** The statements of one read, each with the projection of its rows (null for a count). */
    private record Step(SqlQuery sql, List<Field> projection) {
    }

    private static List<Step> steps(Read read) {
        if (read instanceof Read.Listing listing) {
            QueryPlan plan = listing.plan();
            return List.of(new Step(SqlCompiler.count(plan), null),
                    new Step(SqlCompiler.select(plan), plan.projection()));
        }
        if (read instanceof Read.ById byId) {
            return List.of(new Step(SqlCompiler.select(byId.plan()), byId.plan().projection()));
        }
        List<Step> counts = new ArrayList<>();
        for (CountPlan.Target target : ((Read.Count) read).plan().targets()) {
            counts.add(new Step(SqlCompiler.count(target.collection(), target.conditions()), null));
        }
        return counts;
    }

    private static Outcome outcome(Read read, List<Object> values) {
        if (read instanceof Read.Listing listing) {
            QueryPlan plan = listing.plan();
            return new Outcome.Documents((Long) values.get(0), plan.limit(), plan.skip(), plan.projection(),
                    rows(values.get(1)));
        }
        if (read instanceof Read.ById byId) {
            List<Object[]> rows = rows(values.get(0));
            return new Outcome.Document(byId.plan().projection(), rows.isEmpty() ? null : rows.get(0));
        }
        List<CountPlan.Target> targets = ((Read.Count) read).plan().targets();
        List<Outcome.Tally> tallies = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            tallies.add(new Outcome.Tally(targets.get(i).name(), (Long) values.get(i)));
        }
        return new Outcome.Counts(tallies);
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Object value) {
        return (List<Object[]>) value;
    }

    private List<Outcome> runAll(Connection connection, List<Read> reads) throws SQLException {
        boolean open = false;
        try {
            List<Step> steps = new ArrayList<>();
            for (Read read : reads) {
                steps.addAll(steps(read));
            }
            List<Object> values;
            StringBuilder sql = new StringBuilder(
                    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\n"
                    + "SELECT set_config('statement_timeout', ?, true);\nSAVEPOINT batch;\n");
            List<Object> binds = new ArrayList<>();
            binds.add(Integer.toString(database.statementTimeoutMillis()));
            open = true;
            try {
                values = execute(connection, sql, binds, steps, "COMMIT", true);
                open = false;
            } catch (SQLException e) {
                if (!TIMEOUT.equals(e.getSQLState())) {
                    throw e;
                }
                if (reads.size() == 1) {
                    return List.of(new Outcome.Failure(504, PAST_DEADLINE));
                }
                return oneByOne(connection, reads);
            }
            List<Outcome> outcomes = new ArrayList<>(reads.size());
            int next = 0;
            for (Read read : reads) {
                int size = steps(read).size();
                outcomes.add(outcome(read, values.subList(next, next + size)));
                next += size;
            }
            return outcomes;
        } finally {
            if (open) {
                rollbackQuietly(connection);
            }
        }
    }

    /** After a failure: back to the snapshot, then each read under its own savepoint. */
    private List<Outcome> oneByOne(Connection connection, List<Read> reads) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK TO SAVEPOINT batch");
        }
        List<Outcome> outcomes = new ArrayList<>(reads.size());
        for (Read read : reads) {
            StringBuilder sql = new StringBuilder("SAVEPOINT operation;\n");
            try {
                List<Object> values = execute(connection, sql, new ArrayList<>(), steps(read),
                        "RELEASE SAVEPOINT operation", false);
                outcomes.add(outcome(read, values));
            } catch (SQLException e) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK TO SAVEPOINT operation");
                }
                if (TIMEOUT.equals(e.getSQLState())) {
                    outcomes.add(new Outcome.Failure(504, PAST_DEADLINE));
                } else if (Database.isConnectionFailure(e)) {
                    throw e;
                } else {
                    String id = UUID.randomUUID().toString();
                    LOG.error("Internal error {} in batch operation {}", id, read, e);
                    outcomes.add(new Outcome.Failure(500, "Internal error (logged as " + id + ")"));
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("COMMIT");
        }
        return outcomes;
    }

    /**
     * Sends the prefix, the steps and the suffix as one multi-statement execute and returns each
     * step's value: a Long for a count, a list of rows for a select.
     */
    private static List<Object> execute(Connection connection, StringBuilder sql, List<Object> binds,
                                        List<Step> steps, String suffix, boolean skipFirstResult)
            throws SQLException {
        for (Step step : steps) {
            sql.append(step.sql().text()).append(";\n");
            binds.addAll(step.sql().binds());
        }
        sql.append(suffix);
        List<Object> values = new ArrayList<>(steps.size());
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < binds.size(); i++) {
                bind(connection, statement, i + 1, binds.get(i));
            }
            boolean isResult = statement.execute();
            boolean skip = skipFirstResult;
            while (true) {
                if (isResult) {
                    try (ResultSet rows = statement.getResultSet()) {
                        if (skip) {
                            skip = false;
                        } else {
                            Step step = steps.get(values.size());
                            values.add(step.projection() == null ? count(rows) : rows(rows, step.projection()));
                        }
                    }
                } else if (statement.getUpdateCount() == -1) {
                    break;
                }
                isResult = statement.getMoreResults();
            }
        }
        return values;
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value instanceof SqlArray array) {
            Array sqlArray = connection.createArrayOf("text",
                    array.values().stream().map(String::valueOf).toArray(String[]::new));
            statement.setArray(index, sqlArray);
        } else {
            statement.setObject(index, value);
        }
    }

    private static Long count(ResultSet rows) throws SQLException {
        rows.next();
        return rows.getLong(1);
    }

    private static List<Object[]> rows(ResultSet rows, List<Field> projection) throws SQLException {
        int width = projection.size();
        List<Object[]> list = new ArrayList<>();
        while (rows.next()) {
            Object[] row = new Object[width];
            for (int i = 0; i < width; i++) {
                row[i] = value(rows, i + 1, projection.get(i));
            }
            list.add(row);
        }
        return list;
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

    private static void rollbackQuietly(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("Rollback after a failed batch failed too", e);
        }
    }
}

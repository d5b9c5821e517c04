package org.kernelci.batch.execute;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.Problem;
import org.kernelci.batch.ThrottledLine;
import org.kernelci.batch.plan.BisectPlan;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.CompareSql;
import org.kernelci.batch.sql.Bisection;
import org.kernelci.batch.sql.BootRegressions;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs reads in one READ ONLY, REPEATABLE READ transaction, so that they all see one snapshot.
 * All statements of all reads go to PostgreSQL as one pipeline: one round trip, whatever the
 * number of operations. Identical reads run once. A listing that may return more than
 * {@link #STREAMED_ROWS} rows is opened as a cursor in that snapshot and fetched while it is
 * written, so that memory stays bounded. If a statement fails (its deadline passed), the
 * transaction rolls back to the savepoint taken right after the snapshot and the reads run again
 * one pipeline each, under their own savepoints, so that only the failing read fails.
 */
public final class BatchRunner implements AutoCloseable {
    /** Listings with a larger limit are streamed from a cursor, this many rows per fetch. */
    public static final int STREAMED_ROWS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    /** Every read under way when the database goes loses its connection: one line per window, not one each. */
    private static final ThrottledLine RERUN_LINE = new ThrottledLine(LOG, Level.INFO,
            "A read lost its connection, run again on another");
    private static final int MAX_BINDS = 30_000;

    private final Database database;
    private final Optional<Replica> replica;
    private final Limits limits;
    private final ReadAdmission admission;
    /**
     * The SQL of reads planned once and run again (a kept batch's, {@code RecentBatches}), by the
     * read itself: weak keys compare by identity and go with their plans.
     */
    private final Cache<Read, List<SqlQuery>> compiled = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();
    /** The change counts that conditional requests asking together share (one statement for all). */
    private final SharedRead<Map<String, Long>> latestChanges = new SharedRead<>("kci-change-counts-read",
            this::allChanges);
    /** Every table's change count: read alike by a batch and by a conditional check, then kept for the tables read. */
    private static final Step ALL_CHANGES = new Step(SqlCompiler.changeCounts(), Yield.CHANGES, null, null);

    /**
     * What the reads of one request may take.
     *
     * @param rows         documents a batch of several operations may return, all together
     * @param bytes        bytes of text their documents may hold, all together
     * @param heavyBatches requests whose listings may return over {@link #STREAMED_ROWS}
     *                     documents in all, or whose statements took {@code costly} or longer,
     *                     running at once
     * @param placeWait    the longest wait for a place among them (or the caller's) before a 503
     *                     busy (or a 429)
     * @param idleInTransaction the longest a read transaction may wait for its client between
     *                     fetches (PostgreSQL's idle_in_transaction_session_timeout)
     * @param callerReads  batches of reads one caller runs at once
     * @param poolSize     connections of the pool (a quarter are kept for reads by id)
     * @param costly       the database time past which a batch of reads is heavy
     */
    public record Limits(long rows, long bytes, int heavyBatches, Duration placeWait, Duration idleInTransaction,
                         int callerReads, int poolSize, Duration costly) {
    }

    public BatchRunner(Database database, Limits limits) {
        this(database, Optional.empty(), limits);
    }

    /**
     * @param database the primary
     * @param replica  a streaming replica that serves the reads while it keeps up (CONTRACT.md
     *                 section 10); a read it fails for its own reasons (lost connection, full
     *                 pool, a query cancelled by replay) runs again on the primary
     */
    public BatchRunner(Database database, Optional<Replica> replica, Limits limits) {
        this.database = database;
        this.replica = replica;
        this.limits = limits;
        this.admission = new ReadAdmission(database, new ReadAdmission.Limits(limits.callerReads(), limits.heavyBatches(),
                limits.poolSize(), limits.placeWait(), limits.costly()));
    }

    /** Where reads go now: the replica while it serves them, else the primary. */
    private Database readSource() {
        return replica.filter(Replica::serving).map(Replica::database).orElse(database);
    }

    /** A read failed on the replica for the replica's reasons: the primary runs it (and, if lost, the next ones). */
    private Database fellBack(RuntimeException failure) {
        replica.orElseThrow().failed(failure);
        LOG.debug("A read failed on the read replica ({}); running it on the primary", failure.getMessage());
        return database;
    }

    /**
     * Runs the reads and returns their outcomes, in order, with the transaction still open while
     * streamed rows remain to be fetched: close it once they are written. They run once admitted
     * ({@link ReadAdmission}): within the caller's share, and, when costly, among the heavy batches.
     *
     * @param caller    who asks (a token's id): its share of the service is counted by it
     * @param departure tells when the client has gone while the statements run: they are then cancelled
     */
    public OpenReads open(String caller, Departure departure, List<Read> reads) {
        // Identical reads run once, but for streamed rows, which can be written only once.
        Map<Object, Integer> distinct = new LinkedHashMap<>();
        List<Read> unique = new ArrayList<>();
        int[] positions = new int[reads.size()];
        for (int i = 0; i < reads.size(); i++) {
            Read read = reads.get(i);
            Object key = streamed(read) ? new Object() : read;
            positions[i] = distinct.computeIfAbsent(key, k -> {
                unique.add(read);
                return unique.size() - 1;
            });
        }
        ReadAdmission.Admitted admitted = admission.admit(caller, unique);
        try {
            OpenReads open = run(reads, unique, positions, departure, admitted::ran);
            open.whenClosed(admitted);
            return open;
        } catch (RuntimeException e) {
            admitted.run();
            throw e;
        }
    }

    /** @param took told the time the statements took (not the wait for a connection): what they cost */
    private OpenReads run(List<Read> reads, List<Read> unique, int[] positions, Departure departure,
                          LongConsumer took) {
        // A read-only batch whose connection was lost is run once more on a fresh one, and one
        // that the replica fails, on the primary: nothing was written and nothing sent yet.
        Database source = readSource();
        boolean rerun = false;
        while (true) {
            Handle handle;
            try {
                handle = source.open();
            } catch (DatabaseUnavailableException | ServiceBusyException e) {
                if (source == database) {
                    throw e;
                }
                source = fellBack(e);
                continue;
            }
            OpenReads open = new OpenReads(handle);
            Database used = source;
            try {
                Budget budget = new Budget(unique.size() > 1 ? limits.bytes() : Long.MAX_VALUE);
                long start = System.nanoTime();
                List<Outcome> computed = used.translate(() -> {
                    AtomicBoolean gone = new AtomicBoolean();
                    try (Departure.Watch watch = departure.whenGone(() -> {
                        gone.set(true);
                        cancel(handle.getConnection());
                    })) {
                        return runAll(handle.getConnection(), open, unique, budget, gone);
                    } catch (SQLException e) {
                        throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
                    }
                }, false);
                took.accept(System.nanoTime() - start);
                if (unique.size() > 1) {
                    computed = withinBudget(computed, budget);
                }
                List<Outcome> outcomes = new ArrayList<>(reads.size());
                for (int position : positions) {
                    outcomes.add(computed.get(position));
                }
                open.outcomes(outcomes);
                return open;
            } catch (DatabaseUnavailableException | ServiceBusyException e) {
                open.close();
                if (source != database) {
                    source = fellBack(e);
                    continue;
                }
                if (e instanceof ServiceBusyException || rerun) {
                    throw e;
                }
                rerun = true;
                RERUN_LINE.log(e.getCause());
            } catch (RuntimeException e) {
                open.close();
                throw e;
            }
        }
    }

    /**
     * Cancels what runs on the connection (PostgreSQL's cancel request, on a connection of its
     * own): its client has gone. The statement fails with 57014, its operation with a 504 that
     * no one reads.
     */
    private static void cancel(Connection connection) {
        try {
            connection.unwrap(org.postgresql.PGConnection.class).cancelQuery();
            LOG.debug("Cancelled the statements of a read whose client has gone");
        } catch (SQLException e) {
            LOG.debug("Could not cancel the statements of a read whose client has gone", e);
        }
    }

    /**
     * The operations of a batch, in order, while their documents fit in the batch's budget of
     * rows and bytes; those past it fail (413) and their cursors are never fetched.
     */
    private List<Outcome> withinBudget(List<Outcome> outcomes, Budget budget) {
        List<Outcome> kept = new ArrayList<>(outcomes.size());
        long rows = 0;
        for (Outcome outcome : outcomes) {
            // Rows read with the batch are weighed now; a cursor's rows as they are fetched.
            long wanted = 0;
            long bytes = 0;
            if (outcome instanceof Outcome.Documents documents) {
                wanted = Math.max(0, Math.min(documents.count() - documents.skip(), documents.limit()));
                if (documents.rows() instanceof List<Object[]> list) {
                    bytes = Budget.size(list);
                }
            } else if (outcome instanceof Outcome.Document document) {
                wanted = 1;
                bytes = Budget.size(document.row());
            }
            if (rows + wanted > limits.rows()) {
                kept.add(new Outcome.Failure(new Problem(Problem.Kind.TOO_LARGE, "The batch asks for more than "
                        + limits.rows() + " documents in all: ask for fewer (limit) or split the batch")));
            } else if (!budget.trySpend(bytes)) {
                kept.add(new Outcome.Failure(new Problem(Problem.Kind.TOO_LARGE, "The batch's documents hold more than "
                        + limits.bytes() + " bytes in all: ask for fewer (limit, field) or split the batch")));
            } else {
                rows += wanted;
                kept.add(outcome);
            }
        }
        return kept;
    }

    private static boolean streamed(Read read) {
        return read instanceof Read.Listing listing && listing.plan().limit() > STREAMED_ROWS;
    }

    /** One statement of a read, and what it yields. */
    private record Step(SqlQuery sql, Yield yield, List<Field> projection, String cursor) {
    }

    private enum Yield { COUNT, ROWS, CURSOR, CHANGES }

    /**
     * The SQL a read runs: for a listing its count and its page, for a document its select, for
     * counts one count per collection, for a comparison its documents' selects (CompareSql).
     */
    public static List<SqlQuery> statements(Read read) {
        if (read instanceof Read.Listing listing) {
            return List.of(SqlCompiler.count(listing.plan()), SqlCompiler.select(listing.plan()));
        }
        if (read instanceof Read.ById byId) {
            return List.of(SqlCompiler.select(byId.plan()));
        }
        if (read instanceof Read.Distinct distinct) {
            return List.of(SqlCompiler.countDistinct(distinct.plan()), SqlCompiler.distinct(distinct.plan()));
        }
        if (read instanceof Read.CountDistinct countDistinct) {
            return List.of(SqlCompiler.countDistinct(countDistinct.plan()));
        }
        if (read instanceof Read.Compare compare) {
            return CompareSql.statements(compare.plan());
        }
        if (read instanceof Read.BootRegression regression) {
            return List.of(BootRegressions.ofBoot(regression.plan()));
        }
        if (read instanceof Read.Bisection bisection) {
            return List.of(Bisection.of(bisection.plan()));
        }
        List<SqlQuery> counts = new ArrayList<>();
        for (CountPlan.Target target : ((Read.Count) read).plan().targets()) {
            counts.add(SqlCompiler.count(target.collection(), target.conditions()));
        }
        return counts;
    }

    /** The columns statement {@code index} of {@link #statements} yields as rows; null when it yields a count. */
    static List<Field> projection(Read read, int index) {
        if (read instanceof Read.Listing listing) {
            return index == 1 ? listing.plan().projection() : null;
        }
        if (read instanceof Read.ById byId) {
            return byId.plan().projection();
        }
        if (read instanceof Read.Distinct distinct) {
            return index == 1 ? List.of(distinct.plan().field()) : null;
        }
        if (read instanceof Read.Compare compare) {
            return CompareSql.projection(compare.plan(), index);
        }
        if (read instanceof Read.BootRegression) {
            return BootRegressions.COLUMNS;
        }
        if (read instanceof Read.Bisection) {
            return Bisection.COLUMNS;
        }
        return null;
    }

    private List<Step> steps(Read read, int index) {
        List<SqlQuery> statements = compiled.get(read, BatchRunner::statements);
        List<Step> steps = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            SqlQuery sql = statements.get(i);
            List<Field> projection = projection(read, i);
            if (projection == null) {
                steps.add(new Step(sql, Yield.COUNT, null, null));
            } else if (streamed(read)) {
                String cursor = "rows_" + index;
                steps.add(new Step(new SqlQuery("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + sql.text(), sql.binds()),
                        Yield.CURSOR, projection, cursor));
            } else {
                steps.add(new Step(sql, Yield.ROWS, projection, null));
            }
        }
        return steps;
    }

    /**
     * A read's outcome from its statements' values, in order: a Long for a count, rows for a
     * page; a document that is not there is {@code missing}'s.
     */
    @SuppressWarnings("unchecked")
    static Outcome outcome(Read read, List<Object> values, Function<Read.ById, Outcome> missing) {
        if (read instanceof Read.Listing listing) {
            QueryPlan plan = listing.plan();
            Outcome.Shape shape = plan.aggregate().isEmpty() ? Outcome.Shape.LIST
                    : plan.wholeGroups() ? Outcome.Shape.WHOLE_GROUPS : Outcome.Shape.GROUPS;
            return new Outcome.Documents((Long) values.get(0), plan.limit(), plan.skip(), plan.projection(), shape,
                    (Iterable<Object[]>) values.get(1));
        }
        if (read instanceof Read.ById byId) {
            List<Object[]> rows = (List<Object[]>) values.get(0);
            return rows.isEmpty() ? missing.apply(byId) : new Outcome.Document(byId.plan().projection(), rows.get(0));
        }
        if (read instanceof Read.Distinct distinct) {
            List<Object> distinctValues = new ArrayList<>();
            for (Object[] row : (List<Object[]>) values.get(1)) {
                distinctValues.add(row[0]);
            }
            return new Outcome.Values(distinct.plan().field(), (Long) values.get(0), distinctValues);
        }
        if (read instanceof Read.CountDistinct countDistinct) {
            return new Outcome.DistinctCount(countDistinct.field(), countDistinct.name(), (Long) values.get(0));
        }
        if (read instanceof Read.Compare compare) {
            return Comparisons.outcome(compare.plan(), values);
        }
        if (read instanceof Read.BootRegression regression) {
            List<Object[]> rows = (List<Object[]>) values.get(0);
            return rows.isEmpty() ? notFound(regression.id())
                    : new Outcome.BootRegression((Integer) rows.get(0)[0], (String) rows.get(0)[1]);
        }
        if (read instanceof Read.Bisection bisection) {
            return bisected(bisection.plan(), (List<Object[]>) values.get(0));
        }
        List<CountPlan.Target> targets = ((Read.Count) read).plan().targets();
        List<Outcome.Tally> tallies = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            tallies.add(new Outcome.Tally(targets.get(i).name(), (Long) values.get(i)));
        }
        return new Outcome.Counts(tallies);
    }

    /** A missing document, its collection named as declared (a batch names it as requested, see BatchExecutor). */
    private static Outcome notFound(Read.ById byId) {
        return new Outcome.Missing(byId.plan().collection().name(), byId.id());
    }

    /** Nothing has the id a regression or a bisection starts from. */
    private static Outcome notFound(String id) {
        return new Outcome.Failure(Problem.missing(id));
    }

    /** A bisection's document; none without a start, and a start that passed cannot be bisected (400). */
    private static Outcome bisected(BisectPlan plan, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return notFound(plan.id());
        }
        if ("PASS".equals(rows.get(0)[0])) {
            return new Outcome.Failure(Problem.clientError((plan.start() == Collections.BOOT ? "Boot report '" : "Build '")
                    + plan.id() + "' cannot be bisected: is it failed?"));
        }
        return new Outcome.Bisection((String) rows.get(0)[1]);
    }

    /**
     * The change counts of the tables the reads look into, as of a moment after this call began:
     * what a conditional request compares before it runs anything (one statement, its own
     * snapshot, shared with the requests asking at the same time).
     */
    public Map<String, Long> changeCounts(List<Read> reads) {
        return ofTables(latestChanges.get(), tables(reads));
    }

    /**
     * Every table's change counts as of a moment after this call began, as {@link
     * #changeCounts(List)} reads them, for a caller that waits without a thread: completed on
     * the thread that reads them ({@link #ofTables} picks a request's tables).
     */
    public CompletableFuture<Map<String, Long>> latestChanges() {
        return latestChanges.next();
    }

    private Map<String, Long> allChanges() {
        Database source = readSource();
        if (source != database) {
            try {
                return source.withConnection(connection -> changes(connection, ALL_CHANGES));
            } catch (DatabaseUnavailableException | ServiceBusyException e) {
                fellBack(e);
            }
        }
        return database.withConnection(connection -> changes(connection, ALL_CHANGES));
    }

    /** Stops reading change counts for conditional requests. */
    @Override
    public void close() {
        latestChanges.close();
    }

    /**
     * The tables the reads look into (a view's or computed field's sources included), sorted,
     * each once: what their ETag's change counts are of.
     */
    public static List<String> tables(List<Read> reads) {
        return reads.stream().flatMap(read -> read.collections().stream()).flatMap(c -> c.reads().stream()).distinct()
                .sorted().toList();
    }

    /** The change counts of these tables, of those of all tables (null for none). */
    public static Map<String, Long> ofTables(Map<String, Long> all, List<String> tables) {
        if (all == null) {
            return null;
        }
        Map<String, Long> counts = new TreeMap<>();
        for (String table : tables) {
            Long changes = all.get(table);
            if (changes != null) {
                counts.put(table, changes);
            }
        }
        return counts;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> changes(Connection connection, Step step) throws SQLException {
        return (Map<String, Long>) execute(connection, new StringBuilder(), new ArrayList<>(), List.of(step), null, false,
                false).get(0);
    }

    /**
     * The change counts again, after a failure: when they too fail (past their deadline), the
     * answer has none, and so no ETag; back at the snapshot either way.
     */
    private static Map<String, Long> changesIfAnswered(Connection connection, Step step) throws SQLException {
        try {
            return changes(connection, step);
        } catch (SQLException e) {
            if (lostSnapshot(e)) {
                throw e;
            }
            execute(connection, "ROLLBACK TO SAVEPOINT batch");
            return null;
        }
    }

    /** @param gone set once the client has gone: a statement's failure then fails the rest, unrun */
    private List<Outcome> runAll(Connection connection, OpenReads open, List<Read> reads, Budget budget,
                                 AtomicBoolean gone) throws SQLException {
        List<List<Step>> stepsByRead = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        // First, in the same snapshot as the reads: the change counts their answer's ETag is made of.
        steps.add(ALL_CHANGES);
        for (int i = 0; i < reads.size(); i++) {
            List<Step> ofRead = steps(reads.get(i), i);
            stepsByRead.add(ofRead);
            steps.addAll(ofRead);
        }
        boolean streaming = steps.stream().anyMatch(step -> step.yield() == Yield.CURSOR);
        // A stream whose client stops reading cannot hold its snapshot (and connection) for
        // longer than the idle timeout: PostgreSQL ends the session.
        StringBuilder sql = new StringBuilder("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\n"
                + "SELECT set_config('statement_timeout', ?, true), "
                + "set_config('idle_in_transaction_session_timeout', ?, true);\nSAVEPOINT batch;\n");
        List<Object> binds = new ArrayList<>();
        binds.add(Integer.toString(database.statementTimeoutMillis()));
        binds.add(Long.toString(limits.idleInTransaction().toMillis()));
        open.begun();
        List<Object> values = new ArrayList<>(steps.size());
        try {
            List<List<Step>> pipelines = pipelines(steps);
            for (int i = 0; i < pipelines.size(); i++) {
                boolean first = i == 0;
                boolean last = i == pipelines.size() - 1;
                values.addAll(execute(connection, first ? sql : new StringBuilder(), first ? binds : new ArrayList<>(),
                        pipelines.get(i), last && !streaming ? "COMMIT" : null, first, true));
            }
        } catch (SQLException e) {
            // A lost connection fails the batch (it is run once more), and so does a query a
            // standby's replay cancelled (40001: run on the primary); any other failure of a
            // statement (a deadline, a cancel, a refusal) is the failure of its operation alone.
            if (lostSnapshot(e) || gone.get()) {
                throw e;
            }
            execute(connection, "ROLLBACK TO SAVEPOINT batch");
            open.changes(ofTables(changesIfAnswered(connection, ALL_CHANGES), tables(reads)));
            if (reads.size() == 1) {
                return List.of(failure(reads.get(0), e));
            }
            return oneByOne(connection, reads, stepsByRead, budget, gone);
        }
        if (!streaming) {
            open.ended();
        }
        @SuppressWarnings("unchecked")
        Map<String, Long> counted = (Map<String, Long>) values.get(0);
        open.changes(ofTables(counted, tables(reads)));
        List<Outcome> outcomes = new ArrayList<>(reads.size());
        int next = 1;
        for (int i = 0; i < reads.size(); i++) {
            int size = stepsByRead.get(i).size();
            outcomes.add(outcome(reads.get(i), values(connection, stepsByRead.get(i), values.subList(next, next + size), budget),
                    BatchRunner::notFound));
            next += size;
        }
        return outcomes;
    }

    /**
     * The steps cut into pipelines of at most {@link #MAX_BINDS} bind values each, the protocol's
     * limit being 65,535: one pipeline, one round trip, for any ordinary batch.
     */
    private static List<List<Step>> pipelines(List<Step> steps) {
        List<List<Step>> pipelines = new ArrayList<>();
        List<Step> current = new ArrayList<>();
        int binds = 1;
        for (Step step : steps) {
            int size = step.sql().binds().size();
            if (!current.isEmpty() && binds + size > MAX_BINDS) {
                pipelines.add(current);
                current = new ArrayList<>();
                binds = 0;
            }
            current.add(step);
            binds += size;
        }
        pipelines.add(current);
        return pipelines;
    }

    /** Replaces each cursor name by the rows it will fetch. */
    private static List<Object> values(Connection connection, List<Step> steps, List<Object> values, Budget budget) {
        List<Object> resolved = new ArrayList<>(values);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.yield() == Yield.CURSOR) {
                resolved.set(i, new CursorRows(connection, step.cursor(), step.projection(), budget));
            }
        }
        return resolved;
    }

    /** After a failure, back at the snapshot: each read under its own savepoint. */
    private List<Outcome> oneByOne(Connection connection, List<Read> reads, List<List<Step>> stepsByRead, Budget budget,
                                   AtomicBoolean gone) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>(reads.size());
        for (int i = 0; i < reads.size(); i++) {
            Read read = reads.get(i);
            List<Step> steps = stepsByRead.get(i);
            try {
                List<Object> values = execute(connection, new StringBuilder("SAVEPOINT operation;\n"),
                        new ArrayList<>(), steps, "RELEASE SAVEPOINT operation", false, true);
                outcomes.add(outcome(read, values(connection, steps, values, budget), BatchRunner::notFound));
            } catch (SQLException e) {
                if (lostSnapshot(e) || gone.get()) {
                    throw e;
                }
                execute(connection, "ROLLBACK TO SAVEPOINT operation");
                outcomes.add(failure(read, e));
            }
        }
        return outcomes;
    }

    /**
     * The connection was lost, or a standby cancelled the query for its replay (a read-only
     * REPEATABLE READ transaction meets no serialization failure on a primary).
     */
    private static boolean lostSnapshot(SQLException e) {
        Fault fault = Fault.of(e, false);
        return fault == Fault.OUTAGE || fault == Fault.CONFLICT;
    }

    /**
     * The entry of an operation whose statement failed ({@link Database#problem}): past its
     * deadline (or cancelled), a grant the role lacks (logged once by the primary, whichever
     * database served the read), a resource the database lacks (a sort's temporary files past
     * temp_file_limit or a full disk), or a 500.
     */
    private Outcome failure(Read read, SQLException e) {
        return new Outcome.Failure(database.problem(e, Fault.Work.SELECT, LOG, read));
    }

    /**
     * Sends the prefix, the steps and the suffix (if any) as one multi-statement execute and
     * returns each step's value, in the steps' order: a Long for a count, a list of rows, or the
     * cursor's name. In a transaction ({@code planModes}), the steps that one plan serves run
     * first, under generic plans (each made once per connection and statement), and the others
     * after them, under plans made for their values: a generic plan cannot see which values are
     * rare (a five-day range, two jobs) and picks much slower scans for a list that no index
     * serves in its order.
     */
    private static List<Object> execute(Connection connection, StringBuilder sql, List<Object> binds,
                                        List<Step> inOrder, String suffix, boolean skipFirstResult, boolean planModes)
            throws SQLException {
        List<Step> steps = new ArrayList<>(inOrder.size());
        int[] sent = new int[inOrder.size()];
        for (boolean generic : new boolean[] {true, false}) {
            boolean switched = false;
            for (int i = 0; i < inOrder.size(); i++) {
                Step step = inOrder.get(i);
                if (step.sql().genericPlan() == generic) {
                    if (planModes && !switched) {
                        sql.append(generic ? "SET LOCAL plan_cache_mode = force_generic_plan;\n"
                                : "SET LOCAL plan_cache_mode = force_custom_plan;\n");
                        switched = true;
                    }
                    sql.append(step.sql().text()).append(";\n");
                    binds.addAll(step.sql().binds());
                    sent[i] = steps.size();
                    steps.add(step);
                }
            }
        }
        if (suffix != null) {
            sql.append(suffix);
        }
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
                            Step step = nextWithResult(steps, values);
                            values.add(switch (step.yield()) {
                                case COUNT -> count(rows);
                                case CHANGES -> changeCounts(rows);
                                case ROWS, CURSOR -> rows(rows, step.projection());
                            });
                        }
                    }
                } else if (statement.getUpdateCount() == -1) {
                    break;
                }
                isResult = statement.getMoreResults();
            }
        }
        while (values.size() < steps.size()) {
            values.add(steps.get(values.size()).cursor());
        }
        List<Object> ordered = new ArrayList<>(inOrder.size());
        for (int position : sent) {
            ordered.add(values.get(position));
        }
        return ordered;
    }

    /** The next step that yields a result set; a cursor's declaration yields its name. */
    private static Step nextWithResult(List<Step> steps, List<Object> values) {
        while (steps.get(values.size()).yield() == Yield.CURSOR) {
            values.add(steps.get(values.size()).cursor());
        }
        return steps.get(values.size());
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        BoundValue.set(statement, index, value, null);
    }

    private static Map<String, Long> changeCounts(ResultSet rows) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        while (rows.next()) {
            counts.put(rows.getString(1), rows.getLong(2));
        }
        return counts;
    }

    private static Long count(ResultSet rows) throws SQLException {
        rows.next();
        return rows.getLong(1);
    }

    static List<Object[]> rows(ResultSet rows, List<Field> projection) throws SQLException {
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
            case OBJECT_ID, ID, TEXT, JSON, LIST, OBJECT, EXTRAS -> rs.getString(column);
            case INTEGER -> rs.getInt(column);
            case NUMBER -> rs.getDouble(column);
            case BOOLEAN -> rs.getBoolean(column);
            case DURATION -> rs.getLong(column);
            case TIMESTAMP -> {
                // Not getTimestamp: java.sql.Timestamp shifts dates before 1582 to the Julian calendar.
                OffsetDateTime timestamp = rs.getObject(column, OffsetDateTime.class);
                yield timestamp == null ? null : timestamp.toInstant().toEpochMilli();
            }
        };
        return rs.wasNull() ? null : value;
    }
}

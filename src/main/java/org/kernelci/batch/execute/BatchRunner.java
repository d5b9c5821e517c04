package org.kernelci.batch.execute;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.Problem;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.sql.SqlQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules a request's reads and keeps them within their budgets: identical reads run once, they
 * wait for their places ({@link ReadAdmission}), run in one snapshot ({@link Snapshot}) where
 * {@link ReadRoute} sends them, and a batch's documents stay within its rows and bytes. A listing
 * that may return more than {@link CursorRows#STREAMED_ROWS} rows is fetched from a cursor while it is
 * written, so that memory stays bounded. Also reads the change counts that conditional requests
 * compare.
 */
public final class BatchRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    private final Database database;
    private final ReadRoute route;
    private final Limits limits;
    private final ReadAdmission admission;
    private final Snapshot snapshot;
    /**
     * The reads planned once and run again (a kept batch's, {@code RecentBatches}), compiled, by
     * the read itself: weak keys compare by identity and go with their plans.
     */
    private final Cache<Read, CompiledRead> compiled = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();
    /** The change counts that conditional requests asking together share (one statement for all). */
    private final SharedRead<Map<String, Long>> latestChanges = new SharedRead<>("kci-change-counts-read",
            this::allChanges);

    /**
     * What the reads of one request may take.
     *
     * @param rows         documents a batch of several operations may return, all together
     * @param bytes        bytes of text their documents may hold, all together
     * @param heavyBatches requests whose listings may return over {@link CursorRows#STREAMED_ROWS}
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

    /**
     * @param database the primary
     * @param replica  a streaming replica that serves the reads while it keeps up (CONTRACT.md
     *                 section 10); a read it fails for its own reasons (lost connection, full
     *                 pool, a query cancelled by replay) runs again on the primary
     */
    public BatchRunner(Database database, Optional<Replica> replica, Limits limits) {
        this.database = database;
        this.route = new ReadRoute(database, replica);
        this.limits = limits;
        this.admission = new ReadAdmission(database, new ReadAdmission.Limits(limits.callerReads(), limits.heavyBatches(),
                limits.poolSize(), limits.placeWait(), limits.costly()));
        this.snapshot = new Snapshot(database, limits.idleInTransaction(), this::failure);
    }

    /**
     * The SQL a read runs, in order: for a listing its count and its page, for a document its
     * select, for counts one count per collection, for a comparison its documents' selects.
     */
    public static List<SqlQuery> statements(Read read) {
        return ReadCompiler.compile(read).statements();
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
        List<CompiledRead> unique = new ArrayList<>();
        int[] positions = new int[reads.size()];
        for (int i = 0; i < reads.size(); i++) {
            CompiledRead read = compiled.get(reads.get(i), ReadCompiler::compile);
            Object key = read.streamed() ? new Object() : reads.get(i);
            positions[i] = distinct.computeIfAbsent(key, k -> {
                unique.add(read);
                return unique.size() - 1;
            });
        }
        List<Read> uniqueReads = unique.stream().map(CompiledRead::read).toList();
        ReadAdmission.Admitted admitted = admission.admit(caller, uniqueReads);
        try {
            OpenReads open = route.run((source, handle) -> attempt(source, handle, unique, positions, departure,
                    admitted::ran));
            open.whenClosed(admitted);
            return open;
        } catch (RuntimeException e) {
            admitted.run();
            throw e;
        }
    }

    /** @param took told the time the statements took (not the wait for a connection): what they cost */
    private OpenReads attempt(Database source, Handle handle, List<CompiledRead> unique, int[] positions,
                              Departure departure, LongConsumer took) {
        OpenReads open = new OpenReads(handle);
        try {
            Budget budget = new Budget(unique.size() > 1 ? limits.bytes() : Long.MAX_VALUE);
            long start = System.nanoTime();
            Snapshot.Answered answered = source.translate(() -> {
                AtomicBoolean gone = new AtomicBoolean();
                try (Departure.Watch watch = departure.whenGone(() -> {
                    gone.set(true);
                    cancel(handle.getConnection());
                })) {
                    return snapshot.run(handle.getConnection(), open, unique, budget, gone);
                } catch (SQLException e) {
                    throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
                }
            }, false);
            took.accept(System.nanoTime() - start);
            open.changes(ofTables(answered.changes(), tables(unique.stream().map(CompiledRead::read).toList())));
            List<Outcome> computed = unique.size() > 1 ? withinBudget(answered.outcomes(), budget)
                    : List.of(answered.outcomes().get(0).outcome());
            List<Outcome> outcomes = new ArrayList<>(positions.length);
            for (int position : positions) {
                outcomes.add(computed.get(position));
            }
            open.outcomes(outcomes);
            return open;
        } catch (RuntimeException e) {
            open.close();
            throw e;
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
    private List<Outcome> withinBudget(List<CompiledRead.Weighed> outcomes, Budget budget) {
        List<Outcome> kept = new ArrayList<>(outcomes.size());
        long rows = 0;
        for (CompiledRead.Weighed weighed : outcomes) {
            // Rows read with the batch are weighed now; a cursor's rows as they are fetched.
            if (rows + weighed.documents() > limits.rows()) {
                kept.add(new Outcome.Failure(new Problem(Problem.Kind.TOO_LARGE, "The batch asks for more than "
                        + limits.rows() + " documents in all: ask for fewer (limit) or split the batch")));
            } else if (!budget.trySpend(weighed.bytes())) {
                kept.add(new Outcome.Failure(new Problem(Problem.Kind.TOO_LARGE, "The batch's documents hold more than "
                        + limits.bytes() + " bytes in all: ask for fewer (limit, field) or split the batch")));
            } else {
                rows += weighed.documents();
                kept.add(weighed.outcome());
            }
        }
        return kept;
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
        return route.once(source -> source.withConnection(Snapshot::changes));
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
}

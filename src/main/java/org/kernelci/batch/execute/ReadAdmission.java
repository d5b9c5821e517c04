package org.kernelci.batch.execute;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.kernelci.batch.plan.Read;

/**
 * Who may run reads now, by what they cost (issue 33). Three places are taken, each waited for
 * until one deadline ({@link Limits#placeWait}):
 * <ol>
 * <li>a place among the caller's own: a token runs at most {@link Limits#callerReads} batches of
 *     reads at once, so that one token never holds every connection (beyond it, a 429 naming the
 *     setting);</li>
 * <li>for a heavy batch, one that lists over {@link CursorRows#STREAMED_ROWS} documents or whose
 *     statements took {@link Limits#costly} or more when last run (or run that long now), a place
 *     among {@link Limits#heavyBatches} (a 503 busy when all are taken); of those taken for cost
 *     (not for size, whose gate bounds memory as before) one caller holds at most half (a 429
 *     beyond);</li>
 * <li>for a batch that reads more than documents by id, a place among the pool's connections less
 *     a quarter kept for documents by id (and writes, which do not pass here): reads of unknown
 *     cost, sent by many tokens at once, never take the connections of a GET by id (503 busy).</li>
 * </ol>
 * Costs are learned per batch (its distinct reads, compared by value): the database time its
 * statements took, measured, not estimated, so a batch of a kind never seen is costly only once it
 * has run (or has been running) for {@link Limits#costly}.
 */
final class ReadAdmission {
    /**
     * @param callerReads  batches of reads one caller runs at once
     * @param heavyBatches heavy batches run at once, all callers together
     * @param poolSize     connections of the pool; a quarter of them (rounded down) are kept for
     *                     documents by id
     * @param placeWait    the longest wait for the places before a 429 or a 503
     * @param costly       the database time past which a batch is heavy
     */
    record Limits(int callerReads, int heavyBatches, int poolSize, Duration placeWait, Duration costly) {
    }

    private final Database database;
    private final Limits limits;
    private final int callerHeavy;
    private final Semaphore heavy;
    /** Places for reads other than by id; null when the pool is too small to keep any back. */
    private final Semaphore wide;
    private final ConcurrentHashMap<String, Share> shares = new ConcurrentHashMap<>();
    /** The database time, in nanoseconds, each batch's statements took when it last ran. */
    private final Cache<List<Read>, Long> costs = Caffeine.newBuilder().maximumSize(10_000).build();
    /** When each run of each batch now running began (System.nanoTime), oldest first; changed in compute only. */
    private final ConcurrentHashMap<List<Read>, ArrayDeque<Long>> running = new ConcurrentHashMap<>();

    ReadAdmission(Database database, Limits limits) {
        this.database = database;
        this.limits = limits;
        this.callerHeavy = Math.max(1, limits.heavyBatches() / 2);
        this.heavy = new Semaphore(limits.heavyBatches(), true);
        int kept = limits.poolSize() / 4;
        this.wide = kept == 0 ? null : new Semaphore(limits.poolSize() - kept, true);
    }

    /** A caller's places: how many of its reads run at once, and how many of them are heavy. */
    private final class Share {
        final Semaphore reads = new Semaphore(limits.callerReads(), true);
        /** Null when half the heavy places are all of them (one or none): then the busy service answers. */
        final Semaphore heavy = callerHeavy < limits.heavyBatches() ? new Semaphore(callerHeavy, true) : null;
        int holders;
    }

    /**
     * Takes the places these distinct reads need, waiting until the deadline, or throws a 429
     * ({@link CallerLimitException}) or a 503 ({@link ServiceBusyException}); the caller gives them
     * back with {@link Admitted#close()} and reports the time its statements took with
     * {@link Admitted#ran}.
     */
    Admitted admit(String caller, List<Read> reads) {
        long deadline = System.nanoTime() + limits.placeWait().toNanos();
        long listed = reads.stream().mapToLong(Read::listed).sum();
        long cost = estimate(reads);
        boolean large = listed > CursorRows.STREAMED_ROWS;
        // Large reads count against the service's places alone (their gate bounds memory, as
        // before); costly ones against the caller's half too.
        boolean costly = !large && cost >= limits.costly().toNanos();
        boolean byIdOnly = reads.stream().allMatch(Read::byId);
        Admitted admitted = new Admitted(caller, shares.compute(caller, (key, share) -> {
            Share held = share == null ? new Share() : share;
            held.holders++;
            return held;
        }), reads);
        try {
            if (!take(admitted.share.reads, deadline)) {
                throw new CallerLimitException("This token already runs " + limits.callerReads()
                        + " reads at once, its share of the service (KCI_CALLER_READS): retry later", 1);
            }
            admitted.taken(admitted.share.reads);
            if (large || costly) {
                if (costly && admitted.share.heavy != null && !take(admitted.share.heavy, deadline)) {
                    throw new CallerLimitException("This token already runs " + callerHeavy + " costly reads at once, "
                            + "its share of the " + limits.heavyBatches() + " places for them (half of KCI_HEAVY_BATCHES):"
                            + " retry later", seconds(cost));
                }
                if (costly && admitted.share.heavy != null) {
                    admitted.taken(admitted.share.heavy);
                }
                if (!take(heavy, deadline)) {
                    throw database.busy("all " + limits.heavyBatches() + " places for large or costly reads are taken");
                }
                admitted.taken(heavy);
            }
            if (wide != null && !byIdOnly) {
                if (!take(wide, deadline)) {
                    throw database.busy("the connections for reads other than by id are all taken");
                }
                admitted.taken(wide);
            }
        } catch (RuntimeException e) {
            admitted.close();
            throw e;
        }
        admitted.started();
        return admitted;
    }

    /** What the batch will take: its last run's time, or longer when one of it has run longer now. */
    private long estimate(List<Read> reads) {
        Long learned = costs.getIfPresent(reads);
        long[] oldest = {System.nanoTime()};
        running.computeIfPresent(reads, (key, starts) -> {
            oldest[0] = starts.peekFirst();
            return starts;
        });
        return Math.max(learned == null ? 0 : learned, System.nanoTime() - oldest[0]);
    }

    private static int seconds(long nanos) {
        return (int) Math.min(60, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L)));
    }

    private static boolean take(Semaphore places, long deadline) {
        try {
            return places.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The places one batch holds, given back once, when its connection is back in the pool. */
    final class Admitted implements Runnable {
        private final String caller;
        private final Share share;
        private final List<Read> reads;
        private final ArrayList<Semaphore> held = new java.util.ArrayList<>(4);
        private Long started;
        private boolean closed;

        private Admitted(String caller, Share share, List<Read> reads) {
            this.caller = caller;
            this.share = share;
            this.reads = reads;
        }

        private void taken(Semaphore places) {
            held.add(places);
        }

        private void started() {
            long now = System.nanoTime();
            started = now;
            running.compute(reads, (key, starts) -> {
                ArrayDeque<Long> all = starts == null ? new ArrayDeque<>() : starts;
                all.addLast(now);
                return all;
            });
        }

        /** The time the batch's statements took: what it will be weighed by next time. */
        void ran(long nanos) {
            costs.put(reads, nanos);
        }

        @Override
        public void run() {
            close();
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (started != null) {
                running.computeIfPresent(reads, (key, starts) -> {
                    starts.remove(started);
                    return starts.isEmpty() ? null : starts;
                });
            }
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).release();
            }
            shares.computeIfPresent(caller, (key, held) -> --held.holders == 0 ? null : held);
        }
    }
}

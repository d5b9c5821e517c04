package org.kernelci.batch.execute;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.sql.SqlCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds, every few seconds, the rows of {@code change_count} (one per writing transaction and
 * table, migration V4) into one row per table, and the per-day counts' deltas (V8) into one row
 * per key, so that reading them stays cheap. No sum changes: rows of transactions still running
 * are not seen, and stay.
 */
public final class ChangeCounts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeCounts.class);
    /** Fewer rows than this are not worth folding. */
    public static final int FOLD_ABOVE = 64;
    private static final long EVERY_SECONDS = 5;
    /** The advisory lock of folding: "kci-fold" in hex. */
    private static final long FOLD_LOCK = 0x6b63692d666f6c64L;

    private final Database database;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kci-change-counts");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean refusedLogged;

    public ChangeCounts(Database database) {
        this.database = database;
    }

    /** Folds every few seconds until closed. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::foldQuietly, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Folds the per-day counts' deltas (V8) into their rows, then the change counts' rows of
     * each table into one when there are enough of them; how many change rows were folded. One
     * folder at a time: another (node) holding the lock skips this round.
     */
    public static int fold(Handle handle) {
        if (!handle.createQuery("SELECT pg_try_advisory_xact_lock(?)").bind(0, FOLD_LOCK).mapTo(Boolean.class).one()) {
            return 0;
        }
        for (Collection collection : Collections.ALL) {
            if (!collection.rollups().isEmpty()) {
                handle.createUpdate(SqlCompiler.foldRollups(collection)).execute();
            }
        }
        long rows = handle.createQuery("SELECT count(*) FROM change_count").mapTo(Long.class).one();
        if (rows <= FOLD_ABOVE) {
            return 0;
        }
        return handle.createUpdate("WITH gone AS (DELETE FROM change_count RETURNING collection, changes) "
                + "INSERT INTO change_count (collection, changes) SELECT collection, sum(changes) FROM gone GROUP BY collection")
                .execute();
    }

    private void foldQuietly() {
        try {
            database.write(ChangeCounts::fold);
        } catch (DatabaseUnavailableException | ResourceExhaustedException | CommitOutcomeUnknownException e) {
            // Folding waits for the database like everything else (the Database logs these); a
            // fold whose COMMIT was lost is done again next time, to the same sums.
        } catch (RuntimeException e) {
            if (!refusedLogged) {
                refusedLogged = true;
                LOG.warn("Change counts cannot be folded (grant INSERT, DELETE on change_count): {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

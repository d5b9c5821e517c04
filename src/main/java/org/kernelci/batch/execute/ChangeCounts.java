package org.kernelci.batch.execute;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the rows of {@code change_count} (one per writing transaction and table, see migration
 * V4) into one row per table every few seconds, so that reading a table's count stays cheap. The
 * sums do not change: rows of transactions still running are not seen, and stay.
 */
public final class ChangeCounts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeCounts.class);
    /** Fewer rows than this are not worth folding. */
    public static final int FOLD_ABOVE = 64;
    private static final long EVERY_SECONDS = 5;

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

    /** Folds the rows of each table into one when there are enough of them; how many rows were folded. */
    public static int fold(Handle handle) {
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
        } catch (DatabaseUnavailableException e) {
            // Folding waits for the database like everything else.
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

package org.kernelci.batch.execute;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes of a batch of reads, with the connection that still holds their snapshot while
 * streamed rows are written. Closing ends the transaction and returns the connection.
 */
public final class OpenReads implements java.io.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenReads.class);

    private final Handle handle;
    private List<Outcome> outcomes;
    private Optional<Map<String, Long>> changes = Optional.empty();
    private boolean transaction;
    private boolean closed;
    private Runnable whenClosed = () -> { };

    OpenReads(Handle handle) {
        this.handle = handle;
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    void outcomes(List<Outcome> outcomes) {
        this.outcomes = List.copyOf(outcomes);
    }

    /** Runs once the connection is back in the pool (a heavy batch's place is given back). */
    void whenClosed(Runnable action) {
        this.whenClosed = action;
    }

    /**
     * The change counts of the tables read, in the snapshot of the outcomes, by table; empty
     * when they could not be read (the answer then has no ETag).
     */
    public Optional<Map<String, Long>> changes() {
        return changes;
    }

    void changes(Map<String, Long> changes) {
        this.changes = Optional.ofNullable(changes).map(Map::copyOf);
    }

    void begun() {
        transaction = true;
    }

    void ended() {
        transaction = false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (transaction) {
                // Read-only: COMMIT and ROLLBACK are the same; COMMIT also ends an aborted one.
                handle.execute("COMMIT");
            }
        } catch (RuntimeException e) {
            LOG.debug("Ending a read transaction failed", e);
        } finally {
            try {
                handle.close();
            } finally {
                whenClosed.run();
            }
        }
    }
}

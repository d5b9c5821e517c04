package org.kernelci.batch.execute;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.ThrottledLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where reads run (CONTRACT.md section 10): on the streaming replica while it serves them, else
 * on the primary. A read the replica fails for its own reasons (lost connection, full pool, a
 * query cancelled by replay) runs again on the primary, and the replica is told ({@link
 * Replica#failed}); a read-only attempt whose connection the primary lost runs once more on a
 * fresh one: nothing was written and nothing sent yet.
 */
final class ReadRoute {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRoute.class);
    /** Every read under way when the database goes loses its connection: one line per window, not one each. */
    private final ThrottledLine rerunLine = new ThrottledLine(LOG, Level.INFO,
            "A read lost its connection, run again on another");

    private final Database primary;
    private final Optional<Replica> replica;

    ReadRoute(Database primary, Optional<Replica> replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /** One attempt at the reads on a database's connection; it closes what it opened if it fails. */
    interface Attempt<T> {
        T run(Database source, Handle handle);
    }

    /** Work on a connection of a database. */
    interface Work<T> {
        T on(Database source);
    }

    /** Runs the attempt where reads go now, again where this class says when it fails. */
    <T> T run(Attempt<T> attempt) {
        Database source = source();
        boolean rerun = false;
        while (true) {
            Handle handle;
            try {
                handle = source.open();
            } catch (DatabaseUnavailableException | ServiceBusyException e) {
                if (source == primary) {
                    throw e;
                }
                source = fellBack(e);
                continue;
            }
            try {
                return attempt.run(source, handle);
            } catch (ServiceBusyException e) {
                if (source == primary) {
                    throw e;
                }
                source = fellBack(e);
            } catch (DatabaseUnavailableException e) {
                if (source != primary) {
                    source = fellBack(e);
                } else if (rerun) {
                    throw e;
                } else {
                    rerun = true;
                    rerunLine.log(e.getCause());
                }
            }
        }
    }

    /** Runs work where reads go now; when the replica fails it, on the primary (no rerun). */
    <T> T once(Work<T> work) {
        Database source = source();
        if (source != primary) {
            try {
                return work.on(source);
            } catch (DatabaseUnavailableException | ServiceBusyException e) {
                fellBack(e);
            }
        }
        return work.on(primary);
    }

    /** Where reads go now: the replica while it serves them, else the primary. */
    private Database source() {
        return replica.filter(Replica::serving).map(Replica::database).orElse(primary);
    }

    /** A read failed on the replica for the replica's reasons: the primary runs it (and, if lost, the next ones). */
    private Database fellBack(RuntimeException failure) {
        replica.orElseThrow().failed(failure);
        LOG.debug("A read failed on the read replica ({}); running it on the primary", failure.getMessage());
        return primary;
    }
}

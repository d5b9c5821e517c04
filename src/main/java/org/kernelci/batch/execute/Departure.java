package org.kernelci.batch.execute;

/**
 * How the runner learns that the client of a request has gone while its statements run: it hands
 * over what cancels them, and withdraws it once they are done (before the connection goes back to
 * the pool, so that a late cancel never reaches another request's statement).
 */
@FunctionalInterface
public interface Departure {
    /** For work with no client to watch (or none that can be watched). */
    Departure NONE = cancel -> () -> { };

    /** Runs {@code cancel} if the client goes before the returned watch is closed. */
    Watch whenGone(Runnable cancel);

    /** A watch under way; closing it (once done) withdraws the cancel, waiting for one under way. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}

package org.kernelci.batch.execute;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One read for all the callers that asked for it before it began: its snapshot, taken after they
 * asked, sees every write committed before any of them asked, which is all a conditional request
 * needs (a 304 never hides a committed write, CONTRACT.md section 9). One read runs at a time;
 * callers that ask while it runs share the next, which begins as soon as it ends. Many
 * dashboards polled at once then cost one statement, not one each.
 */
final class SharedRead<T> {
    private CompletableFuture<T> next;
    private boolean running;

    /** What {@code read} gives when run after this call began (by this caller or another). */
    T read(Supplier<T> read) {
        CompletableFuture<T> round;
        boolean leads;
        synchronized (this) {
            leads = next == null;
            if (leads) {
                next = new CompletableFuture<>();
            }
            round = next;
        }
        if (leads) {
            begin();
            try {
                round.complete(read.get());
            } catch (RuntimeException | Error e) {
                round.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    running = false;
                    notifyAll();
                }
            }
        }
        try {
            return round.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Waits for the running read to end, then closes the round: later callers wait for the next. */
    private synchronized void begin() {
        boolean interrupted = false;
        while (running) {
            try {
                wait();
            } catch (InterruptedException e) {
                // The callers of this round wait for it: it runs, and the interrupt is kept.
                interrupted = true;
            }
        }
        running = true;
        next = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

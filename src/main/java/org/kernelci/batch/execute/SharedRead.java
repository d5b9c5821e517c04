package org.kernelci.batch.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * One read for all the callers that asked for it before it began: its snapshot, taken after they
 * asked, sees every write committed before any of them asked, which is all a conditional request
 * needs (a 304 never hides a committed write, CONTRACT.md section 9). The reads run one after
 * another on a thread of their own, while callers ask; callers that ask while one runs share the
 * next. Many dashboards polled at once then cost one statement, not one each, and a caller that
 * can wait without a thread ({@link #next}) holds none: parking each request's thread and waking
 * it again was most of what a 304 cost.
 */
final class SharedRead<T> implements AutoCloseable {
    private final String name;
    private final Supplier<T> read;
    private final LinkedBlockingQueue<CompletableFuture<T>> asked = new LinkedBlockingQueue<>();
    private Thread reader;
    private boolean closed;

    /** @param name the reading thread's */
    SharedRead(String name, Supplier<T> read) {
        this.name = name;
        this.read = read;
    }

    /** What the read gives when run after this call began; completed on the reading thread. */
    CompletableFuture<T> next() {
        CompletableFuture<T> answer = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                answer.completeExceptionally(new IllegalStateException("Stopped"));
                return answer;
            }
            if (reader == null) {
                reader = new Thread(this::run, name);
                reader.setDaemon(true);
                reader.start();
            }
            // Queued under the lock: close() fails what it finds queued, so nothing waits forever.
            asked.add(answer);
        }
        return answer;
    }

    /** {@link #next}, waited for: its failure is thrown as it was raised. */
    T get() {
        try {
            return next().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private void run() {
        List<CompletableFuture<T>> round = new ArrayList<>();
        while (true) {
            try {
                round.add(asked.take());
            } catch (InterruptedException e) {
                return; // closed
            }
            // Every caller of this round asked before the read below begins.
            asked.drainTo(round);
            try {
                T value = read.get();
                round.forEach(answer -> answer.complete(value));
            } catch (RuntimeException | Error e) {
                round.forEach(answer -> answer.completeExceptionally(e));
            }
            round.clear();
        }
    }

    /** Stops the reading thread; callers still waiting, and later ones, fail. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (reader != null) {
                reader.interrupt();
            }
        }
        IllegalStateException stopped = new IllegalStateException("Stopped");
        for (CompletableFuture<T> answer; (answer = asked.poll()) != null; ) {
            answer.completeExceptionally(stopped);
        }
    }
}

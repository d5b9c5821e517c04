package org.kernelci.batch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * A log line that a flood of requests could repeat (a refusal, a client leaving): written at most
 * once per {@link #WINDOW}, saying how many like it were not written since the last one, so that
 * no traffic can fill the disk with it. The text after the line's fixed part is the first line of
 * the cause's message only (no stack trace).
 */
public final class ThrottledLine {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final long WINDOW_NANOS = WINDOW.toNanos();

    private final Logger log;
    private final Level level;
    private final String what;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - WINDOW_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    /** @param what the line's fixed part, for example "Answered 503" */
    public ThrottledLine(Logger log, Level level, String what) {
        this.log = log;
        this.level = level;
        this.what = what;
    }

    /** Writes the line with the cause's first line, unless one was written within the window: then counts it. */
    public void log(Throwable cause) {
        long now = System.nanoTime();
        long previous = last.get();
        if (now - previous >= WINDOW_NANOS && last.compareAndSet(previous, now)) {
            log.atLevel(level).log("{} ({} more since the last such line): {}", what, unlogged.getAndSet(0),
                    firstLine(cause));
        } else {
            unlogged.incrementAndGet();
        }
    }

    private static String firstLine(Throwable cause) {
        String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        return message.lines().findFirst().orElse("");
    }
}

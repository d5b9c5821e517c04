package org.kernelci.batch.pipeline;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How long each stage of one request took: a stage lasts from the end of the one before (the
 * first from the request's arrival) to its own end. Thread-safe: the body may be written on
 * another thread than the one that ran the request.
 */
public final class StageTimes {
    private final Map<Stage, Long> nanos = new EnumMap<>(Stage.class);
    private long last = System.nanoTime();

    /** Ends the stage that began when the previous one ended. */
    public void end(Stage stage) {
        end(stage, System.nanoTime());
    }

    /**
     * Ends the stage at an earlier instant ({@link System#nanoTime}): a request refused before its
     * batch is planned and charged shows no times, so stages end once that is done.
     */
    public synchronized void end(Stage stage, long at) {
        nanos.merge(stage, at - last, Long::sum);
        last = at;
    }

    public synchronized boolean isEmpty() {
        return nanos.isEmpty();
    }

    /** The {@code Server-Timing} value: each entry's stages summed, in milliseconds, in stage order. */
    public synchronized String header() {
        Map<String, Long> entries = new LinkedHashMap<>();
        nanos.forEach((stage, duration) -> entries.merge(stage.entry(), duration, Long::sum));
        StringJoiner header = new StringJoiner(", ");
        entries.forEach((entry, duration) -> header.add(String.format(Locale.ROOT, "%s;dur=%.3f", entry, duration / 1e6)));
        return header.toString();
    }
}

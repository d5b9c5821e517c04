package org.kernelci.batch.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line text progress bar, redrawn at most five times a second. */
final class ProgressBar {
    private static final int WIDTH = 40;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private long total;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastDrawn;

    /** @param unit what is counted, shown after the numbers ("rows", "bytes") */
    ProgressBar(PrintWriter out, long total, String unit) {
        this.out = out;
        this.total = Math.max(1, total);
        this.unit = unit;
    }

    /** Shows {@code done}; past the total (an estimate), the total becomes it. */
    void show(long done) {
        total = Math.max(total, done);
        long now = System.nanoTime();
        if (done < total && now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        long shown = Math.min(done, total);
        int filled = (int) (WIDTH * shown / total);
        out.printf(Locale.ROOT, "\r[%s%s] %3d%% %,d/%,d %s %.1f s", "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * shown / total, done, total, unit, seconds());
        out.flush();
    }

    /** Seconds since the bar was made. */
    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}

package org.kernelci.batch.launch;

import java.util.Locale;

/**
 * What the run command prints while it starts: each step as it begins and how long it took, so
 * that a first start (initdb, the demo data) does not look stuck and a slow step shows which.
 */
final class StartupProgress {
    /** One step of the start. */
    interface Step<T> {
        T run() throws Exception;
    }

    private final long began = System.nanoTime();

    <T> T step(String what, Step<T> step) throws Exception {
        System.out.print("kci-batch: " + what + "... ");
        System.out.flush();
        long start = System.nanoTime();
        T result = step.run();
        System.out.println(seconds(start));
        return result;
    }

    /** The time since the start began. */
    String total() {
        return seconds(began);
    }

    private static String seconds(long since) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - since) / 1e9);
    }
}

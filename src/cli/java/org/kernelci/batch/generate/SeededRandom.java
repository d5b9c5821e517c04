package org.kernelci.batch.generate;

/**
 * SplitMix64: a small random sequence fully defined here, so that the same seed gives the same
 * values on every JVM (java.util's generators leave some of that to the implementation).
 */
final class SeededRandom {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private long state;

    SeededRandom(long seed) {
        this.state = seed;
    }

    /** An independent sequence for one purpose of one seed. */
    static SeededRandom of(long seed, long purpose) {
        return new SeededRandom(mix(seed ^ mix(purpose + 0x632BE59BD9B4E019L)));
    }

    static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** Uniform in [min, max]. */
    int between(int min, int max) {
        return min + nextInt(max - min + 1);
    }

    boolean chance(double probability) {
        return nextDouble() < probability;
    }

    <T> T pick(T[] values) {
        return values[nextInt(values.length)];
    }

    /** Lowercase hexadecimal digits. */
    String hex(int digits) {
        char[] out = new char[digits];
        long bits = 0;
        for (int i = 0; i < digits; i++) {
            if (i % 16 == 0) {
                bits = nextLong();
            }
            out[i] = HEX[(int) (bits & 15)];
            bits >>>= 4;
        }
        return new String(out);
    }

    /** Shuffles in place (Fisher-Yates). */
    void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}

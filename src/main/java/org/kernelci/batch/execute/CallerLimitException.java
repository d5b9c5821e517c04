package org.kernelci.batch.execute;

/**
 * One caller (a token) asks for more than its share: more reads at once than its share of the
 * pool, or more operations a second than its rate (429 with Retry-After, the reason naming the
 * limit and its setting). Other callers keep their answers.
 */
public final class CallerLimitException extends RuntimeException {
    private final int retryAfterSeconds;

    public CallerLimitException(String reason, int retryAfterSeconds) {
        super(reason, null, false, false);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** When the caller may try again: at least a second. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

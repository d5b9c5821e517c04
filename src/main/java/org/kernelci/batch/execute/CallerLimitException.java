package org.kernelci.batch.execute;

import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/**
 * One caller (a token) asks for more than its share: more reads at once than its share of the
 * pool, or more operations a second than its rate (429 with Retry-After, the reason naming the
 * limit and its setting). Other callers keep their answers.
 */
public final class CallerLimitException extends ApiException {
    /** @param retryAfterSeconds when the caller may try again: at least a second */
    public CallerLimitException(String reason, int retryAfterSeconds) {
        super(new Problem(Problem.Kind.CALLER_LIMIT, reason, retryAfterSeconds));
    }
}

package org.kernelci.batch.execute;

import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/**
 * The database cannot be reached now; the request may be retried later (503 with Retry-After).
 * The message says why and where, for the log; the client is told only that.
 */
public final class DatabaseUnavailableException extends ApiException {
    static final Problem PROBLEM = new Problem(Problem.Kind.UNAVAILABLE, "Database unavailable, retry later");

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(PROBLEM, message, cause);
    }
}

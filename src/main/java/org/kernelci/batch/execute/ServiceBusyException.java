package org.kernelci.batch.execute;

import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/**
 * The database answers but the service has no capacity free in time: every connection of the
 * pool, or every place for a heavy batch, is taken (503 with Retry-After, "Service busy"). The
 * message says which, for the log.
 */
public final class ServiceBusyException extends ApiException {
    private static final Problem PROBLEM = new Problem(Problem.Kind.BUSY, "Service busy, retry later");

    public ServiceBusyException(String message, Throwable cause) {
        super(PROBLEM, message, cause);
    }
}

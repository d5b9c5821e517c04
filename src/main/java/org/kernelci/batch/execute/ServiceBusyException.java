package org.kernelci.batch.execute;

/**
 * The database answers but the service has no capacity free in time: every connection of the
 * pool, or every place for a heavy batch, is taken (503 with Retry-After, "Service busy").
 */
public final class ServiceBusyException extends RuntimeException {
    public ServiceBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.kernelci.batch.execute;

/** The database cannot be reached now; the request may be retried later (503). */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

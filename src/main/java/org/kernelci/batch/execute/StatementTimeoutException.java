package org.kernelci.batch.execute;

/** A statement ran past its deadline and was cancelled (504). */
public final class StatementTimeoutException extends RuntimeException {
    public StatementTimeoutException(Throwable cause) {
        super("The operation ran past its deadline", cause);
    }
}

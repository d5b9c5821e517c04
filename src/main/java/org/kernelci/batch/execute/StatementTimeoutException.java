package org.kernelci.batch.execute;

import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/** A statement ran past its deadline and was cancelled (504). */
public final class StatementTimeoutException extends ApiException {
    private static final Problem PROBLEM = new Problem(Problem.Kind.TIMEOUT, "The operation ran past its deadline");

    public StatementTimeoutException(Throwable cause) {
        super(PROBLEM, PROBLEM.reason(), cause);
    }
}

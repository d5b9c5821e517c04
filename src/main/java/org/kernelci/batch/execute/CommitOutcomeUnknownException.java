package org.kernelci.batch.execute;

import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/**
 * The connection was lost while a write's COMMIT was under way: PostgreSQL may have stored the
 * write or not, and the service cannot tell. Answered 502 (the database's answer never came),
 * apart from 503, which always means "not stored"; the client should send the write again with
 * the same Idempotency-Key, which stores it at most once.
 */
public final class CommitOutcomeUnknownException extends ApiException {
    /** The reason every write path answers. */
    public static final String REASON = "Outcome unknown: the database connection was lost while committing;"
            + " the write may or may not be stored: retry with the same Idempotency-Key";

    public CommitOutcomeUnknownException(Throwable cause) {
        super(new Problem(Problem.Kind.OUTCOME_UNKNOWN, REASON), REASON, cause);
    }
}

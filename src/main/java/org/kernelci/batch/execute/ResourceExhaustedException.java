package org.kernelci.batch.execute;

import java.sql.SQLException;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/**
 * The database lacks a resource the request needs (SQLSTATE class 53): disk space, memory,
 * connections, a configured limit. The request is right and nothing of it was stored, so it is
 * answered 503 with a Retry-After and a reason naming the resource; never PostgreSQL's own
 * message, which names the server's files ({@code could not extend file "base/16385/16427"}):
 * that goes to the log.
 */
public final class ResourceExhaustedException extends ApiException {
    /** Disk space and configured limits come back when an operator acts: ask again later than after an outage. */
    private static final int OPERATOR_RETRY_AFTER_SECONDS = 30;
    /** Memory and connections free up by themselves. */
    private static final int RETRY_AFTER_SECONDS = 5;

    private final String sqlState;

    private ResourceExhaustedException(String reason, String sqlState, int retryAfterSeconds, Throwable cause) {
        super(new Problem(Problem.Kind.EXHAUSTED, reason, retryAfterSeconds), reason, cause);
        this.sqlState = sqlState;
    }

    /** The resource a failure whose cause has a SQLSTATE of class 53 lacked. */
    public static ResourceExhaustedException of(Throwable failure) {
        String state = "53000";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(Fault.INSUFFICIENT_RESOURCES)) {
                state = sql.getSQLState();
                break;
            }
        }
        return switch (state) {
            case "53100" -> new ResourceExhaustedException("The database is out of disk space: retry later",
                    state, OPERATOR_RETRY_AFTER_SECONDS, failure);
            case "53200" -> new ResourceExhaustedException("The database is out of memory: retry later",
                    state, RETRY_AFTER_SECONDS, failure);
            case "53300" -> new ResourceExhaustedException("The database has too many connections: retry later",
                    state, RETRY_AFTER_SECONDS, failure);
            case "53400" -> new ResourceExhaustedException("The database reached one of its configured limits: retry later",
                    state, OPERATOR_RETRY_AFTER_SECONDS, failure);
            default -> new ResourceExhaustedException("The database lacks the resources for this request: retry later",
                    state, RETRY_AFTER_SECONDS, failure);
        };
    }

    /** The SQLSTATE, for the log (once per state: see {@link Database}). */
    public String sqlState() {
        return sqlState;
    }

    /** PostgreSQL's first line, for the log only: it may name the server's files. */
    public String serverMessage() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) {
                return sql.getMessage().lines().findFirst().orElse("");
            }
        }
        return "";
    }
}

package org.kernelci.batch.execute;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/**
 * What went wrong when the database failed, and the one classifier that turns it into the
 * {@link Problem} the client is told ({@link #answer}).
 */
public enum Fault {
    /**
     * The database does not answer: connecting failed or the connection was lost; or the server
     * is no primary any more (a standby refused a write, 25006: a pooled connection to a primary
     * an HA engine demoted) (503).
     */
    OUTAGE,
    /** The database answers but no connection of the pool came free in time (503, busy). */
    BUSY,
    /** A statement ran past its deadline or was cancelled (504). */
    TIMEOUT,
    /** A write deadlocked with another or could not be serialized: run it again, or later (503, busy). */
    CONFLICT,
    /** PostgreSQL refused a value a write was given (400). */
    REFUSED_VALUE,
    /**
     * The service's database role lacks a privilege the statement needs (42501): the operator's
     * configuration, neither the client's mistake nor an unknown fault (503, naming the grant).
     */
    MISSING_GRANT,
    /** Anything else: the service's fault (500). */
    OTHER,
    /**
     * The database lacks a resource (SQLSTATE class 53: disk full, out of memory, too many
     * connections, a configured limit): the request is right and may succeed later (503 with
     * Retry-After, naming the resource).
     */
    EXHAUSTED,
    /**
     * The connection was lost after a COMMIT was sent and before its answer came: the write may or
     * may not be stored (502). Only {@link #ofCommit} tells it.
     */
    OUTCOME_UNKNOWN,
    /**
     * Not the database's: one caller asked for more than its share of the service (reads at once,
     * operations a second), {@link CallerLimitException} (429 with Retry-After, naming the limit).
     */
    CALLER_LIMIT;

    /**
     * The data exceptions that mean "this value cannot be stored": too long, out of range, a bad
     * date, a character the encoding lacks (NUL), a value too large for its index. Other states
     * of class 22 (division by zero, a bad regular expression, an invalid cast) are the service's
     * own mistakes, and no read is given a value the planner has not checked.
     */
    private static final Set<String> REFUSED_STATES = Set.of("22001", "22003", "22007", "22008", "22021", "22P05",
            "54000");

    /** SQLSTATE class 53, insufficient resources. */
    static final String INSUFFICIENT_RESOURCES = "53";
    /** "cannot execute ... in a read-only transaction": a standby's answer to a write. */
    public static final String READ_ONLY = "25006";
    /** PgJDBC's "This connection has been closed": raised before anything is sent. */
    private static final String CONNECTION_DOES_NOT_EXIST = "08003";

    /** What the failed work was: what a refused value is, and how a missing grant is named. */
    public enum Work {
        /** Reads through JDBI, whose failure names its statement. */
        READ,
        /** Reads sent by plain JDBC (a snapshot's), whose failures carry no statement: a missing grant is SELECT's. */
        SELECT,
        /**
         * Writes: a value PostgreSQL refuses (a data exception that means one) is the client's
         * (400); a broken constraint is the service's (500: a report's rows are of its making,
         * and a request it refuses rolls back whole).
         */
        WRITE,
        /**
         * One operation of a batch, or a plain PUT or DELETE, run by the executor: a broken
         * constraint is the client's value too (400: a lab name another lab has, a lab without a
         * name), and fails that operation's entry only.
         */
        OPERATION
    }

    /** SQLSTATE class 23, integrity constraint violation. */
    private static final String CONSTRAINT_VIOLATION = "23";

    /**
     * The one classifier: the problem a failure is for the client, thrown; a failure already
     * classified as itself. Empty for a failure of the service's own, answered 500 under an id
     * that whoever answers it logs with the failure.
     */
    public static Optional<ApiException> answer(Throwable failure, Work work) {
        if (failure instanceof ApiException api) {
            return Optional.of(api);
        }
        boolean write = work == Work.WRITE || work == Work.OPERATION;
        return Optional.ofNullable(switch (of(failure, write)) {
            case OUTAGE -> new DatabaseUnavailableException("Database unavailable", failure);
            case BUSY, CONFLICT -> new ServiceBusyException("Service busy", failure);
            case TIMEOUT -> new StatementTimeoutException(failure);
            case REFUSED_VALUE -> refusedValue(failure);
            case MISSING_GRANT -> MissingGrantException.of(failure, work == Work.SELECT ? "SELECT" : null);
            case EXHAUSTED -> ResourceExhaustedException.of(failure);
            case OUTCOME_UNKNOWN -> new CommitOutcomeUnknownException(failure);
            // A CallerLimitException is answered itself, above; one only among the causes is the service's mistake.
            case CALLER_LIMIT -> null;
            case OTHER -> work == Work.OPERATION && firstState(failure).startsWith(CONSTRAINT_VIOLATION)
                    ? refusedValue(failure) : null;
        });
    }

    /** A write that conflicted with another (a deadlock, a serialization failure): run it again, or answer 409. */
    public static boolean isConflict(Throwable failure) {
        return of(failure, true) == CONFLICT;
    }

    private static ApiException refusedValue(Throwable failure) {
        String message = "";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                message = sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
                break;
            }
        }
        return ApiException.badRequest("A value cannot be stored: " + message.replaceFirst("^ERROR: ", ""));
    }

    /** The SQLSTATE of the first SQLException among the causes; "" when none has one. */
    private static String firstState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState() == null ? "" : sql.getSQLState();
            }
        }
        return "";
    }

    /**
     * Classifies a failure by its causes.
     *
     * @param write whether the work stored values (only then is a data exception the client's)
     */
    public static Fault of(Throwable failure, boolean write) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CallerLimitException) {
                return CALLER_LIMIT;
            }
            if (t instanceof SQLTransientConnectionException) {
                // HikariCP's "not available in time": its cause is the last failure to connect,
                // if the last attempt failed; without one the pool was merely full.
                return t.getCause() != null && of(t.getCause(), write) == OUTAGE ? OUTAGE : BUSY;
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
                return OUTAGE;
            }
            if (t instanceof NoSuchElementException && thrownByPool(t)) {
                // DBCP (commons-pool2, Tomcat's own copy too): "Timeout waiting for idle object".
                return BUSY;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || state.equals(READ_ONLY)) {
                    return OUTAGE;
                }
                if (state.equals("57014")) {
                    return TIMEOUT;
                }
                if (state.equals("40P01") || state.equals("40001")) {
                    return CONFLICT;
                }
                if (state.equals(MissingGrantException.INSUFFICIENT_PRIVILEGE)) {
                    return MISSING_GRANT;
                }
                if (state.startsWith(INSUFFICIENT_RESOURCES)) {
                    return EXHAUSTED;
                }
                if (write && REFUSED_STATES.contains(state)) {
                    return REFUSED_VALUE;
                }
            }
        }
        return OTHER;
    }

    /**
     * Classifies the failure of a COMMIT: a lost connection (or one that never answered) leaves
     * its outcome unknown, since PostgreSQL may have committed before the loss; but a connection
     * the driver knew closed (08003) never sent it, and a standby's refusal (25006) is an answer.
     * An error PostgreSQL answered (a deferred constraint, a cancelled trigger) rolled the
     * transaction back, as it does before a COMMIT.
     */
    public static Fault ofCommit(Throwable failure) {
        Fault fault = of(failure, true);
        if (fault != OUTAGE) {
            return fault;
        }
        return hasState(failure, CONNECTION_DOES_NOT_EXIST) || hasState(failure, READ_ONLY) ? OUTAGE : OUTCOME_UNKNOWN;
    }

    /** Whether the failure or one of its causes is a SQLException of this SQLSTATE. */
    static boolean hasState(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean thrownByPool(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().contains(".pool2.");
    }
}

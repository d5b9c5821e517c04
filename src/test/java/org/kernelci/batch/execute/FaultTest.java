package org.kernelci.batch.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;

/**
 * How a failure of the database is told apart (outage, full pool, deadline, refused value...) and
 * the problem the classifier makes of it, without a database: SQLExceptions made by hand.
 */
class FaultTest {
    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("SQL failed", cause);
    }

    private static SQLException state(String sqlState) {
        return new SQLException("ERROR: something", sqlState);
    }

    @Test
    @DisplayName("a data exception is a refused value only in a write, and only for the states that mean one")
    void refusedValues() {
        for (String state : new String[] {"22001", "22003", "22007", "22008", "22021", "22P05", "54000"}) {
            assertEquals(Fault.REFUSED_VALUE, Fault.of(wrapped(state(state)), true), state);
            assertEquals(Fault.OTHER, Fault.of(wrapped(state(state)), false), state);
        }
        // Division by zero, a bad regular expression, an invalid cast: the service's fault.
        for (String state : new String[] {"22012", "2201B", "22P02", "22000", "54001"}) {
            assertEquals(Fault.OTHER, Fault.of(wrapped(state(state)), true), state);
        }
    }

    @Test
    @DisplayName("NoSuchElementException is a full pool only when a pool threw it")
    void noSuchElement() {
        assertEquals(Fault.OTHER, Fault.of(wrapped(new NoSuchElementException()), false));
        NoSuchElementException exhausted = new NoSuchElementException("Timeout waiting for idle object");
        exhausted.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.apache.tomcat.dbcp.pool2.impl.GenericObjectPool", "borrowObject", null, 1)});
        assertEquals(Fault.BUSY, Fault.of(new SQLException("Cannot get a connection, pool error", exhausted), false));
    }

    @Test
    @DisplayName("a pool timeout is an outage when connecting failed, else a full pool")
    void poolTimeouts() {
        assertEquals(Fault.BUSY, Fault.of(wrapped(new SQLTransientConnectionException("kci - request timed out")), false));
        assertEquals(Fault.OUTAGE, Fault.of(wrapped(new SQLTransientConnectionException("kci - request timed out",
                "08001", state("08001"))), false));
        assertEquals(Fault.OUTAGE, Fault.of(wrapped(new ConnectException("refused")), false));
        assertEquals(Fault.OUTAGE, Fault.of(wrapped(state("08006")), true));
        assertEquals(Fault.OUTAGE, Fault.of(wrapped(state("57P01")), false));
        assertEquals(Fault.TIMEOUT, Fault.of(wrapped(state("57014")), false));
        assertEquals(Fault.CONFLICT, Fault.of(wrapped(state("40P01")), true));
        assertEquals(Fault.MISSING_GRANT, Fault.of(wrapped(state("42501")), false));
        assertEquals(Fault.OTHER, Fault.of(new IllegalArgumentException("x"), false));
    }

    @Test
    @DisplayName("a standby's refusal of a write (25006, a primary demoted under the pool) is an outage, never a 500,"
            + " and at COMMIT an answer, not an unknown outcome")
    void demotedPrimary() {
        assertEquals(Fault.OUTAGE, Fault.of(wrapped(state("25006")), true));
        assertEquals(Fault.OUTAGE, Fault.of(wrapped(state("25006")), false));
        assertEquals(Fault.OUTAGE, Fault.ofCommit(wrapped(state("25006"))));
    }

    @Test
    @DisplayName("class 53 is the database short of a resource, in reads and writes alike")
    void exhausted() {
        for (String state : new String[] {"53000", "53100", "53200", "53300", "53400"}) {
            assertEquals(Fault.EXHAUSTED, Fault.of(wrapped(state(state)), true), state);
            assertEquals(Fault.EXHAUSTED, Fault.of(wrapped(state(state)), false), state);
        }
        assertEquals("The database is out of disk space: retry later",
                ResourceExhaustedException.of(wrapped(state("53100"))).getMessage());
        assertEquals(30, ResourceExhaustedException.of(wrapped(state("53100"))).retryAfterSeconds());
        assertEquals("The database has too many connections: retry later",
                ResourceExhaustedException.of(wrapped(state("53300"))).getMessage());
    }

    @Test
    @DisplayName("a COMMIT that lost its connection has an unknown outcome, unless the driver never sent it (08003);"
            + " one PostgreSQL refused rolled back")
    void commits() {
        assertEquals(Fault.OUTCOME_UNKNOWN, Fault.ofCommit(wrapped(state("08006"))));
        assertEquals(Fault.OUTCOME_UNKNOWN, Fault.ofCommit(wrapped(state("57P01"))));
        assertEquals(Fault.OUTAGE, Fault.ofCommit(wrapped(state("08003"))));
        assertEquals(Fault.TIMEOUT, Fault.ofCommit(wrapped(state("57014"))));
        assertEquals(Fault.EXHAUSTED, Fault.ofCommit(wrapped(state("53100"))));
        assertEquals(Fault.OTHER, Fault.ofCommit(wrapped(state("23505"))));
    }

    private static Problem problem(Throwable failure, Fault.Work work) {
        return Fault.answer(failure, work).orElseThrow().problem();
    }

    @Test
    @DisplayName("the classifier: connection states and a standby's refusal are an outage (503, Retry-After 5)")
    void outageProblems() {
        for (String state : new String[] {"08001", "08006", "57P01", "57P02", "57P03", "25006"}) {
            Problem problem = problem(wrapped(state(state)), Fault.Work.READ);
            assertEquals(new Problem(Problem.Kind.UNAVAILABLE, "Database unavailable, retry later"), problem, state);
            assertEquals(5, problem.retryAfterSeconds());
            assertInstanceOf(DatabaseUnavailableException.class, Fault.answer(wrapped(state(state)), Fault.Work.WRITE)
                    .orElseThrow(), state);
        }
        assertEquals(Problem.Kind.UNAVAILABLE, problem(wrapped(new ConnectException("refused")), Fault.Work.READ).kind());
    }

    @Test
    @DisplayName("the classifier: a full pool (HikariCP's or DBCP's) and a conflict outside a batch are busy (503, Retry-After 1)")
    void busyProblems() {
        Problem busy = problem(wrapped(new SQLTransientConnectionException("kci - request timed out")), Fault.Work.READ);
        assertEquals(new Problem(Problem.Kind.BUSY, "Service busy, retry later"), busy);
        assertEquals(1, busy.retryAfterSeconds());
        NoSuchElementException exhausted = new NoSuchElementException("Timeout waiting for idle object");
        exhausted.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.apache.commons.pool2.impl.GenericObjectPool", "borrowObject", null, 1)});
        assertEquals(Problem.Kind.BUSY, problem(new SQLException("Cannot get a connection", exhausted), Fault.Work.READ).kind());
        assertEquals(Problem.Kind.UNAVAILABLE, problem(wrapped(new SQLTransientConnectionException("kci - request timed out",
                "08001", state("08001"))), Fault.Work.READ).kind());
        for (String state : new String[] {"40P01", "40001"}) {
            assertEquals(Problem.Kind.BUSY, problem(wrapped(state(state)), Fault.Work.WRITE).kind(), state);
            assertTrue(Fault.isConflict(wrapped(state(state))), state);
            assertTrue(Fault.isConflict(new ServiceBusyException("Service busy", wrapped(state(state)))), state);
        }
        assertFalse(Fault.isConflict(wrapped(state("23505"))));
    }

    @Test
    @DisplayName("the classifier: a deadline is a 504; a missing grant a 503 naming it, SELECT in a snapshot's reads")
    void timeoutsAndGrants() {
        assertEquals(new Problem(Problem.Kind.TIMEOUT, "The operation ran past its deadline"),
                problem(wrapped(state("57014")), Fault.Work.SELECT));
        SQLException denied = new SQLException("ERROR: permission denied for table boot", "42501");
        Problem select = problem(denied, Fault.Work.SELECT);
        assertEquals(Problem.Kind.MISSING_GRANT, select.kind());
        assertEquals(0, select.retryAfterSeconds());
        assertEquals("The service's database role lacks SELECT on table boot: an operator must GRANT SELECT ON boot to it",
                select.reason());
        assertEquals("The service's database role lacks a grant on table boot: an operator must grant it what this"
                + " request needs", problem(denied, Fault.Work.READ).reason());
    }

    @Test
    @DisplayName("the classifier: class 53 is a 503 naming the resource, with its Retry-After")
    void exhaustedProblems() {
        Problem disk = problem(wrapped(state("53100")), Fault.Work.WRITE);
        assertEquals(new Problem(Problem.Kind.EXHAUSTED, "The database is out of disk space: retry later", 30), disk);
        assertEquals(30, disk.retryAfterSeconds());
        assertEquals(5, problem(wrapped(state("53200")), Fault.Work.SELECT).retryAfterSeconds());
    }

    @Test
    @DisplayName("the classifier: a data exception that means a refused value is the client's 400 in a write only;"
            + " in a read, the service's own (none)")
    void refusedValueProblems() {
        for (String state : new String[] {"22001", "22021", "54000"}) {
            SQLException refused = new SQLException("ERROR: value too long\n  Detail: the row", state);
            for (Fault.Work work : new Fault.Work[] {Fault.Work.WRITE, Fault.Work.OPERATION}) {
                assertEquals(Problem.clientError("A value cannot be stored: value too long"),
                        problem(wrapped(refused), work), state + " " + work);
            }
            assertTrue(Fault.answer(wrapped(refused), Fault.Work.READ).isEmpty(), state);
            assertTrue(Fault.answer(wrapped(refused), Fault.Work.SELECT).isEmpty(), state);
        }
        assertTrue(Fault.answer(wrapped(state("22012")), Fault.Work.OPERATION).isEmpty());
        assertTrue(Fault.answer(new IllegalStateException("bug"), Fault.Work.OPERATION).isEmpty());
    }

    @Test
    @DisplayName("the classifier: a broken constraint (class 23) is the client's 400 in an executor's operation (a PUT's"
            + " lab name), the service's own in a report's write (500) and in a read")
    void constraintProblems() {
        for (String state : new String[] {"23505", "23502", "23514"}) {
            SQLException broken = new SQLException("ERROR: new row violates check constraint \"c\"\n  Detail: x", state);
            assertEquals(Problem.clientError("A value cannot be stored: new row violates check constraint \"c\""),
                    problem(wrapped(broken), Fault.Work.OPERATION), state);
            assertTrue(Fault.answer(wrapped(broken), Fault.Work.WRITE).isEmpty(), state);
            assertTrue(Fault.answer(wrapped(broken), Fault.Work.READ).isEmpty(), state);
        }
    }

    @Test
    @DisplayName("the classifier: a problem already told is answered itself; a COMMIT that lost its connection is a 502")
    void alreadyClassified() {
        ApiException told = new CallerLimitException("Too many", 3);
        assertSame(told, Fault.answer(told, Fault.Work.READ).orElseThrow());
        assertEquals(new Problem(Problem.Kind.CALLER_LIMIT, "Too many", 3), told.problem());
        CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException(wrapped(state("08006")));
        assertEquals(new Problem(Problem.Kind.OUTCOME_UNKNOWN, CommitOutcomeUnknownException.REASON),
                Fault.answer(unknown, Fault.Work.WRITE).orElseThrow().problem());
        assertTrue(Fault.answer(wrapped(told), Fault.Work.READ).isEmpty());
    }
}

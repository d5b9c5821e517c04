package org.kernelci.batch.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a failure of the database is told apart: outage, full pool, deadline, refused value. */
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
}

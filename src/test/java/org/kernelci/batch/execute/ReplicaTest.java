package org.kernelci.batch.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.CapturedLog;

/** The replica's lag as {@link Replica} measures it from WAL positions, one probe round at a time. */
class ReplicaTest {
    /** The replica dropped on purpose: its warnings, checked here, stay off the console. */
    private final CapturedLog log = new CapturedLog(Replica.class);

    @AfterEach
    void release() {
        log.close();
    }

    /** A server whose WAL position the test sets; a negative one: it does not answer. */
    private static Replica.Session at(AtomicLong position) {
        return new Replica.Session() {
            @Override
            public long position(String sql) throws SQLException {
                if (position.get() < 0) {
                    throw new SQLException("Connection refused", "08001");
                }
                return position.get();
            }

            @Override
            public boolean standby() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    private static Replica replica(AtomicLong primary, AtomicLong replica, Duration maxLag) {
        return new Replica(null, at(primary), at(replica), at(replica), maxLag);
    }

    @Test
    @DisplayName("WAL positions as PostgreSQL writes them")
    void positions() {
        assertEquals(0x16B374D848L, Replica.lsn("16/B374D848"));
        assertEquals(0L, Replica.lsn("0/0"));
        assertTrue(Replica.lsn("1/0") > Replica.lsn("0/FFFFFFFF"));
    }

    @Test
    @DisplayName("an idle primary and a replica at its position: no lag, however long nothing is written")
    void idle() {
        AtomicLong primary = new AtomicLong(1000);
        AtomicLong standby = new AtomicLong(1000);
        Replica replica = replica(primary, standby, Duration.ofSeconds(5));
        assertFalse(replica.serving(), "not before the first probe");
        for (int i = 0; i < 5; i++) {
            replica.probe();
            assertTrue(replica.serving());
        }
        assertEquals(1, replica.metrics().switches());
    }

    @Test
    @DisplayName("a replica that stops replaying while the primary writes: dropped once the lag passes the bound, back when it catches up")
    void behindAndBack() throws InterruptedException {
        AtomicLong primary = new AtomicLong(1000);
        AtomicLong standby = new AtomicLong(1000);
        Replica replica = replica(primary, standby, Duration.ofMillis(20));
        replica.probe();
        assertTrue(replica.serving());
        primary.set(2000);
        Thread.sleep(30);
        replica.probe();
        assertFalse(replica.serving(), "the newest position it replayed, the primary had over 20 ms ago");
        assertTrue(replica.metrics().lagSeconds() >= 0.02 || Double.isNaN(replica.metrics().lagSeconds()));
        standby.set(2000);
        replica.probe();
        assertTrue(replica.serving());
        assertEquals(3, replica.metrics().switches());
        assertEquals(1, log.at(Level.WARN).size(), () -> log.events().toString());
    }

    @Test
    @DisplayName("a replica that does not answer is dropped; a primary that does not answer gives no position, so the lag grows")
    void silence() throws InterruptedException {
        AtomicLong primary = new AtomicLong(1000);
        AtomicLong standby = new AtomicLong(1000);
        Replica replica = replica(primary, standby, Duration.ofMillis(20));
        replica.probe();
        assertTrue(replica.serving());
        standby.set(-1);
        replica.probe();
        assertFalse(replica.serving());
        assertTrue(Double.isNaN(replica.metrics().lagSeconds()));
        standby.set(1000);
        replica.probe();
        assertTrue(replica.serving());
        primary.set(-1);
        Thread.sleep(30);
        replica.probe();
        assertFalse(replica.serving(), "the last position the primary gave is older than the bound");
        assertEquals(2, log.at(Level.WARN).size(), () -> log.events().toString());
    }

    @Test
    @DisplayName("a read that lost the replica's connection drops it at once; a full pool or a cancelled query does not")
    void failedReads() {
        AtomicLong position = new AtomicLong(1000);
        Replica replica = replica(position, position, Duration.ofSeconds(5));
        replica.probe();
        replica.failed(new ServiceBusyException("Service busy", null));
        assertTrue(replica.serving());
        replica.failed(new DatabaseUnavailableException("Database unavailable", null));
        assertTrue(replica.serving(), "refused without trying: its pool is still marked down");
        replica.failed(new DatabaseUnavailableException("Database unavailable", new SQLException("refused", "08001")));
        assertFalse(replica.serving());
        assertEquals(3, replica.metrics().fallbacks());
        assertEquals(1, log.at(Level.WARN).size(), "the drop, once: " + log.events());
        replica.probe();
        assertTrue(replica.serving());
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.SqlValue;
import org.kernelci.batch.testing.TestServer;
import org.slf4j.LoggerFactory;

/**
 * A client that leaves while its batch's statements run has them cancelled (issue 33): before,
 * they ran to their end (the issue measured 14 s). Its reads wait on a lock the test holds, so
 * that they run for as long as the test wants, on a shared machine too.
 */
class DepartedClientsIT {
    /** Generous: the service looks every 200 ms; the broken one ran on for the statement timeout (60 s here). */
    private static final long BOUND_MILLIS = 5000;

    @Test
    @DisplayName("a client that closes or resets its connection mid-batch: its statements are gone within the bound")
    void statementsOfDepartedClientsAreCancelled() throws Exception {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(events);
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 10; i++) {
            body.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"operation_id\":\"b").append(i)
                    .append("\",\"collection\":\"boot\",\"query\":\"aggregate=board&sort=boot_time&limit=100\"}");
        }
        byte[] batch = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of(Setting.STATEMENT_TIMEOUT_MS, "60000"));
             Connection lock = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            lock.setAutoCommit(false);
            long locker;
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
                try (java.sql.ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
                    rows.next();
                    locker = rows.getLong(1);
                }
            }
            for (boolean reset : new boolean[] {false, true}) {
                Socket socket = new Socket("127.0.0.1", server.base().getPort());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + TestServer.ADMIN_TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + batch.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(batch);
                out.flush();
                for (int attempt = 0; waiting(server) == 0; attempt++) {
                    assertTrue(attempt < 300, "the batch never reached the database");
                    Thread.sleep(100);
                }
                // Let the service see the connection established first, as a client that waits would have it.
                Thread.sleep(500);
                if (reset) {
                    socket.setSoLinger(true, 0);
                }
                long left = System.nanoTime();
                socket.close();
                long gone;
                while (true) {
                    long found = waiting(server);
                    // Counted once the look is answered: an upper bound by the time of one look.
                    gone = (System.nanoTime() - left) / 1_000_000;
                    if (found == 0) {
                        break;
                    }
                    assertTrue(gone < BOUND_MILLIS, "the statements outlived their client by " + gone + " ms");
                    Thread.sleep(20);
                }
                // The figure, for the report and docs/PERFORMANCE.md (not asserted beyond the bound).
                System.out.println("DepartedClientsIT: statements gone " + gone + " ms after their client "
                        + (reset ? "reset" : "closed") + " its connection");
                // The service's session is back in the pool, idle: not still in the batch's transaction.
                for (int attempt = 0; inTransaction(server, locker) > 0; attempt++) {
                    assertTrue(attempt < 100, "the read transaction outlived its client");
                    Thread.sleep(50);
                }
            }
            lock.commit();
            // The service answers as before.
            assertEquals(200, server.http().post("/batch", new String(batch, StandardCharsets.UTF_8), "Authorization",
                    TestServer.ADMIN_TOKEN, "Content-Type", "application/json").status());
        } finally {
            root.detachAppender(events);
        }
        List<String> loud = events.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
        assertEquals(List.of(), loud);
    }

    /** Statements of the service waiting for the test's lock on boot. */
    private static long waiting(TestServer server) throws Exception {
        return SqlValue.of(server.jdbcUrl(), "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE '%boot%' AND pid <> pg_backend_pid()");
    }

    /** Sessions of the service in a transaction, but the test's own (which holds the lock). */
    private static long inTransaction(TestServer server, long locker) throws Exception {
        return SqlValue.of(server.jdbcUrl(), "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"
                + " AND datname = current_database() AND pid <> pg_backend_pid() AND pid <> " + locker);
    }
}

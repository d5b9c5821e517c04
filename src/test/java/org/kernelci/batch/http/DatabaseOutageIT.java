package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** §3: an unreachable database is a 503 with Retry-After, and the service recovers by itself. */
class DatabaseOutageIT {
    private static final String[] TOKEN = {"Authorization", TestServer.ADMIN_TOKEN};

    @Test
    @DisplayName("§3 database stopped and started again while the service runs")
    void stopAndStartTheDatabase() throws Exception {
        Path data = Files.createTempDirectory("kci-outage");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        int port = postgres.getPort();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of());
             CapturedLog log = new CapturedLog(ErrorMapper.class);
             CapturedLog databaseLog = new CapturedLog(Database.class)) {
            assertEquals(200, server.http().get("/job", TOKEN).status());

            postgres.close();
            Reply down = server.http().get("/job?limit=1", TOKEN);
            assertEquals(503, down.status(), down.body());
            assertEquals("{\"code\":503,\"reason\":\"Database unavailable, retry later\"}", down.body());
            assertNotNull(down.header("Retry-After"));
            assertEquals(503, server.http().get("/health").status());
            assertEquals(503, server.http().get("/boot?limit=1", TOKEN).status());
            // Logged at WARN, without a stack trace; never as an ERROR.
            assertTrue(log.events().stream().noneMatch(event -> event.getLevel() == Level.ERROR), () -> log.events().toString());
            assertTrue(log.events().stream().allMatch(event -> event.getThrowableProxy() == null), () -> log.events().toString());
            assertTrue(databaseLog.at(Level.WARN).stream().anyMatch(event -> event.getFormattedMessage().startsWith("Database unavailable")),
                    () -> databaseLog.events().toString());
            assertEquals(List.of(), databaseLog.at(Level.ERROR));
            // Each line says the database is down and where (the URL's host and port), not the pool's words.
            List<String> lines = java.util.stream.Stream.concat(log.at(Level.WARN).stream(), databaseLog.at(Level.WARN).stream())
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertFalse(lines.isEmpty());
            for (String line : lines) {
                // Shutting down: in PostgreSQL's words, as whoever met it first heard them (a
                // request's connection terminated, or the probe refused while the server stops).
                assertTrue(line.contains("Database unavailable: the database at localhost:" + port + " is shutting down or "
                        + "starting up (terminating connection due to administrator command)")
                        || line.contains("Database unavailable: the database at localhost:" + port + " is shutting down or "
                        + "starting up (the database system is shutting down)")
                        || line.contains("Database unavailable: the database at localhost:" + port + " refused the "
                        + "connection: it is down, or not listening there"), line);
                assertFalse(line.contains("Connection is not available"), line);
            }
            // Known down: refused at once, without waiting on the pool, until the probe sees it.
            assertEquals(0.0, SaturationIT.meter(server, "kci_database_up"));
            for (int i = 0; i < 5; i++) {
                assertEquals("{\"code\":503,\"reason\":\"Database unavailable, retry later\"}",
                        server.http().get("/boot?limit=1", TOKEN).body());
            }
            assertEquals(0.0, SaturationIT.meter(server, "kci_database_refused_total{reason=\"busy\"}"));

            postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
            Reply back = null;
            for (int attempt = 0; attempt < 240; attempt++) {
                back = server.http().get("/job?limit=1", TOKEN);
                if (back.status() == 200) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(200, back.status(), back.body());
            assertEquals(200, server.http().get("/health").status());
            assertEquals(1.0, SaturationIT.meter(server, "kci_database_up"));
        } finally {
            postgres.close();
        }
    }
}

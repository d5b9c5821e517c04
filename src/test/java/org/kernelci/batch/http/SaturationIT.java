package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** A full pool is a busy service, not a dead database (issue 14, item 2). */
class SaturationIT {
    private static final String[] TOKEN = {"Authorization", TestServer.ADMIN_TOKEN};

    /** The value of one series of {@code /metrics} (Prometheus text), by its name and labels as written there. */
    static double meter(TestServer server, String series) {
        Reply reply = server.http().get("/metrics", TOKEN);
        assertEquals(200, reply.status(), reply.body());
        for (String line : reply.body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        throw new AssertionError("no series " + series + " in /metrics");
    }

    @Test
    @DisplayName("every connection in use: 503 busy with Retry-After, /health 200, counted apart from outages")
    void fullPoolIsBusy() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of(Setting.DB_POOL_SIZE, "2",
                Setting.DB_POOL_WAIT_MS, "250", Setting.STATEMENT_TIMEOUT_MS, "600000"));
             CapturedLog log = new CapturedLog(Database.class);
             Connection lock = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            assertEquals(200, server.http().get("/job", TOKEN).status());
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
            }
            // Two reads wait for the lock, each holding one of the pool's two connections.
            List<Future<Reply>> waiting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiting.add(clients.submit(() -> server.http().get("/boot?limit=1", TOKEN)));
            }
            for (int attempt = 0; meter(server, "hikaricp_connections_active{pool=\"kci\"}") < 2; attempt++) {
                assertTrue(attempt < 600, "the two reads never took the pool's connections");
                Thread.sleep(100);
            }

            Reply busy = server.http().get("/job?limit=1", TOKEN);
            assertEquals(503, busy.status(), busy.body());
            assertEquals("{\"code\":503,\"reason\":\"Service busy, retry later\"}", busy.body());
            assertEquals("1", busy.header("Retry-After"));
            assertTrue(log.at(Level.WARN).stream().anyMatch(event -> event.getFormattedMessage().startsWith("Service busy")),
                    () -> log.events().toString());
            Reply health = server.http().get("/health");
            assertEquals(200, health.status(), health.body());
            assertEquals(1.0, meter(server, "kci_database_up"));
            assertTrue(meter(server, "kci_database_refused_total{reason=\"busy\"}") >= 1);
            assertEquals(0.0, meter(server, "kci_database_refused_total{reason=\"unavailable\"}"));

            lock.commit();
            for (Future<Reply> read : waiting) {
                assertEquals(200, read.get().status());
            }
            assertEquals(200, server.http().get("/job?limit=1", TOKEN).status());
        } finally {
            clients.shutdownNow();
        }
    }
}

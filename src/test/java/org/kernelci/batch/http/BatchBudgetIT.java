package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import jakarta.json.JsonArray;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** What one batch may take, and how many large reads run at once (issue 14, item 3). */
class BatchBudgetIT {
    /**
     * Gzip accepted: the byte budget also bounds each answer as sent (WholeAnswersIT), and these
     * tests are about what the documents of a batch may hold, which gzip does not change.
     */
    private static final String[] HEADERS = {"Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/json",
        "Accept-Encoding", "gzip"};
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.MAX_ROWS, "2500", Setting.BATCH_MAX_ROWS, "4000",
                Setting.BATCH_MAX_BYTES, "200000", Setting.HEAVY_BATCHES, "1", Setting.DB_POOL_WAIT_MS, "250",
                Setting.STATEMENT_TIMEOUT_MS, "600000"));
        assertEquals(200, server.http().get("/health").status());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO job (id, created_on, name, job, kernel, status) SELECT lpad(to_hex(i), 24, '0'), "
                    + "now(), 'job-' || i, 'next', 'kernel-' || i, 'PASS' FROM generate_series(1, 3000) i");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String listing(String id, String query) {
        return "{\"method\":\"GET\",\"operation_id\":\"" + id + "\",\"collection\":\"job\",\"query\":\"" + query + "\"}";
    }

    private static JsonArray entries(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result");
    }

    @Test
    @DisplayName("operations past the batch's row budget fail with 413; the ones before it answer")
    void rowBudget() {
        Reply reply = server.http().post("/batch", "{\"batch\":[" + listing("a", "limit=2000&field=name") + ","
                + listing("b", "limit=2000&field=name") + "," + listing("c", "limit=10&field=name") + ","
                + "{\"method\":\"GET\",\"operation_id\":\"n\",\"collection\":\"count\",\"document_id\":\"job\"}]}", HEADERS);
        JsonArray entries = entries(reply);
        assertEquals(2000, entries.getJsonObject(0).getJsonArray("result").size());
        assertEquals(2000, entries.getJsonObject(1).getJsonArray("result").size());
        assertEquals(413, entries.getJsonObject(2).getInt("code"));
        assertEquals("The batch asks for more than 4000 documents in all: ask for fewer (limit) or split the batch",
                entries.getJsonObject(2).getString("reason"));
        assertEquals(200, entries.getJsonObject(3).getInt("code"));
        assertEquals("1", reply.header("X-Batch-Errors"));
        // A plain GET is one operation: bounded by KCI_MAX_ROWS only.
        assertEquals(200, server.http().get("/job?limit=2500", HEADERS).status());
    }

    @Test
    @DisplayName("operations past the batch's byte budget fail with 413")
    void byteBudget() {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 10; i++) {
            batch.append(i == 0 ? "" : ",").append(listing("op" + i, "limit=1000&skip=" + i));
        }
        JsonArray entries = entries(server.http().post("/batch", batch.append("]}").toString(), HEADERS));
        assertEquals(200, entries.getJsonObject(0).getInt("code"));
        assertEquals(413, entries.getJsonObject(9).getInt("code"));
        assertTrue(entries.getJsonObject(9).getString("reason").startsWith("The batch's documents hold more than 200000 bytes"));
    }

    @Test
    @DisplayName("with every place for large reads taken, another large read is 503 busy at once; small reads answer")
    void heavyBatchesAtOnce() throws Exception {
        ExecutorService clients = Executors.newSingleThreadExecutor();
        try (CapturedLog log = new CapturedLog(Database.class);
             Connection lock = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE job IN ACCESS EXCLUSIVE MODE");
            }
            Future<Reply> large = clients.submit(() -> server.http().get("/job?limit=2000", HEADERS));
            Reply busy = null;
            for (int attempt = 0; attempt < 600; attempt++) {
                // Another table: if it takes the place first, it answers and gives it back.
                busy = server.http().get("/boot?limit=1500&field=board", HEADERS);
                if (busy.status() == 503) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(503, busy.status(), busy.body());
            assertEquals("{\"code\":503,\"reason\":\"Service busy, retry later\"}", busy.body());
            assertEquals("1", busy.header("Retry-After"));
            assertTrue(log.at(Level.WARN).stream().anyMatch(event -> event.getFormattedMessage().startsWith("Service busy")),
                    () -> log.events().toString());
            assertEquals(200, server.http().get("/boot?limit=1", HEADERS).status());
            assertEquals(404, server.http().get("/boot/" + "1".repeat(24), HEADERS).status());
            assertEquals(200, server.http().get("/health").status());
            lock.commit();
            assertEquals(200, large.get().status());
            assertEquals(200, server.http().get("/job?limit=1500&field=name", HEADERS).status());
        } finally {
            clients.shutdownNow();
        }
    }
}

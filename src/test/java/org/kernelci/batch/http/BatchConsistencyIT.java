package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** §4: one snapshot per batch, and a deadline per operation, on a table large enough to take time. */
class BatchConsistencyIT {
    private static final String[] HEADERS = {"Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/json"};
    /** Sorting every boot by an unindexed text column: a slow read. */
    private static final String SLOW = "aggregate=boot_result_description&aggregate=board&sort=kernel&limit=1";

    private static TestServer server;
    private static String url;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        url = server.jdbcUrl();
        assertEquals(200, server.http().get("/health").status());
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO boot (id, created_on, job, kernel, board, status, boot_result_description)
                    SELECT lpad(to_hex(n), 24, '0'), now() - n * interval '1 second',
                           (ARRAY['next', 'mainline', 'stable'])[n % 3 + 1], 'v' || (n % 1000),
                           'board-' || (n % 300), (ARRAY['PASS', 'FAIL'])[n % 2 + 1], md5(n::text)
                    FROM generate_series(1, 400000) AS n""");
            statement.execute("INSERT INTO job (id, created_on, job, status) VALUES ('aaaaaaaaaaaaaaaaaaaaaaaa', now(), 'next', 'PASS')");
            statement.execute("ANALYZE");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @DisplayName("§4 a concurrent writer between operations does not show through")
    void oneSnapshot() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO boot (id, created_on, job, status) VALUES ('ee' || lpad(to_hex(?), 22, '0'), now(), 'next', 'FAIL')")) {
                for (int n = 1; writing.get() && n < 1_000_000; n++) {
                    insert.setInt(1, n);
                    insert.executeUpdate();
                    written.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            String count = "{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"boot\",\"query\":\"job=next\"}";
            String body = "{\"batch\":[" + count
                    + ",{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"" + SLOW + "\"},"
                    + "{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"job=next&limit=1&field=job\"},"
                    + count.replace("job=next", "job=next&status=FAIL") + "]}";
            // On a busy machine the writer may not run during every batch: the rounds go on
            // until four of them had writes beside them (the check holds in every round).
            int overlapping = 0;
            for (int round = 0; overlapping < 4; round++) {
                assertTrue(round < 40, "the writer made no progress during " + round + " batches");
                int before = written.get();
                Reply reply = server.http().post("/batch", body, HEADERS);
                assertEquals(200, reply.status(), reply.body());
                JsonArray entries = json(reply.body()).getJsonArray("result");
                long counted = entries.getJsonObject(0).getJsonArray("result").getJsonObject(0).getJsonNumber("count").longValue();
                long listed = entries.getJsonObject(2).getJsonNumber("count").longValue();
                assertEquals(counted, listed, "the count and the list saw different data");
                if (written.get() > before) {
                    overlapping++;
                }
            }
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    @Test
    @DisplayName("§4 an operation past its deadline gets 504; the others still answer")
    void deadline() throws SQLException {
        // The slow operation waits on a lock until its deadline, however fast the machine; the
        // deadline is long enough for the others on a loaded one.
        try (TestServer strict = TestServer.start(url, Clock.systemUTC(), Map.of(Setting.STATEMENT_TIMEOUT_MS, "2000"));
             Connection lock = DriverManager.getConnection(url, "postgres", "")) {
            assertEquals(200, strict.http().get("/job", HEADERS[0], HEADERS[1]).status());
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
            }
            String body = "{\"batch\":["
                    + "{\"method\":\"GET\",\"operation_id\":\"fast\",\"collection\":\"job\",\"query\":\"field=job\"},"
                    + "{\"method\":\"GET\",\"operation_id\":\"slow\",\"collection\":\"boot\",\"query\":\"" + SLOW + "\"},"
                    + "{\"method\":\"GET\",\"operation_id\":\"by-id\",\"collection\":\"job\",\"document_id\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"}]}";
            Reply reply = strict.http().post("/batch", body, HEADERS);
            assertEquals(200, reply.status(), reply.body());
            assertEquals("1", reply.header("X-Batch-Errors"));
            JsonArray entries = json(reply.body()).getJsonArray("result");
            assertEquals(200, entries.getJsonObject(0).getInt("code"));
            assertEquals(1, entries.getJsonObject(0).getInt("count"));
            assertEquals(json("{\"operation_id\":\"slow\",\"code\":504,\"reason\":\"The operation ran past its deadline\"}"),
                    entries.getJsonObject(1));
            assertEquals(200, entries.getJsonObject(2).getInt("code"));

            Reply plain = strict.http().get("/boot?" + SLOW, HEADERS[0], HEADERS[1]);
            assertEquals(504, plain.status());
            assertEquals("{\"code\":504,\"reason\":\"The operation ran past its deadline\"}", plain.body());
            assertEquals(200, strict.http().get("/job", HEADERS[0], HEADERS[1]).status());
            lock.rollback();
        }
    }

    @Test
    @DisplayName("§7 in a batch with writes, an operation past its deadline fails its entry only; the writes are kept")
    void deadlineInAWriteBatch() {
        try (TestServer strict = TestServer.start(url, Clock.systemUTC(), Map.of(Setting.STATEMENT_TIMEOUT_MS, "50"))) {
            String body = "[{\"method\":\"PUT\",\"collection\":\"job\",\"_id\":\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"data\":{\"status\":\"FAIL\"}},"
                    + "{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"" + SLOW + "\"},"
                    + "{\"method\":\"PUT\",\"collection\":\"job\",\"_id\":\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"data\":{\"git_branch\":\"b\"}}]";
            Reply reply = strict.http().post("/batch", body, HEADERS);
            assertEquals(200, reply.status(), reply.body());
            assertEquals("1", reply.header("X-Batch-Errors"));
            JsonArray results = Json.createReader(new java.io.StringReader(reply.body())).readArray();
            assertEquals(json("{\"error\":{\"code\":\"KCI504\",\"description\":\"The operation ran past its deadline\"}}"),
                    results.getJsonObject(1));
            assertTrue(results.getJsonObject(0).containsKey("success"), reply.body());
            assertTrue(results.getJsonObject(2).containsKey("success"), reply.body());
            JsonObject job = json(strict.http().get("/job/aaaaaaaaaaaaaaaaaaaaaaaa", HEADERS[0], HEADERS[1]).body())
                    .getJsonArray("result").getJsonObject(0);
            assertEquals("FAIL", job.getString("status"));
            assertEquals("b", job.getString("git_branch"));
        }
    }
}

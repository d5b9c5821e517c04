package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.SqlValue;
import org.kernelci.batch.testing.TestServer;

/**
 * Slow reads from one token, or from many, do not starve the pool (issue 33): a token runs at most
 * its share of reads at once (429 beyond it, naming the setting), costly batches share the heavy
 * places, and a GET by id of another token always finds a connection. The reads are made slow by
 * a lock the test holds on {@code boot} (deterministic, and no load on a shared machine); the GETs
 * by id read {@code job}.
 */
class CostlyReadsIT {
    /** The batch: ten aggregations of boots by board, sorted by boot time. */
    private static final String SLOW_BATCH;
    private static final String JOB_ID = "00000000000000000000abcd";
    /** Generous: a GET by id answers in milliseconds; the broken service refused it after 1 s or ran 10 s. */
    private static final long LIVENESS_SECONDS = 10;

    static {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 10; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"operation_id\":\"b").append(i)
                    .append("\",\"collection\":\"boot\",\"query\":\"aggregate=board&sort=boot_time&limit=100\"}");
        }
        SLOW_BATCH = batch.append("]}").toString();
    }

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.STATEMENT_TIMEOUT_MS, "60000"));
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO job (id, created_on, name, job, kernel, status) VALUES ('" + JOB_ID
                    + "', now(), 'costly', 'next', 'v1', 'PASS')");
        }
        server.addToken("other-reader", "can_get");
        for (int i = 0; i < 8; i++) {
            server.addToken("slow-reader-" + i, "can_get");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Reply slowBatch(String token) {
        return server.http().post("/batch", SLOW_BATCH, "Authorization", token, "Content-Type", "application/json");
    }

    /** Statements of the service waiting for the lock on boot. */
    private static long waiting() throws Exception {
        return SqlValue.of(server.jdbcUrl(), "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE '%boot%' AND pid <> pg_backend_pid()");
    }

    private static void awaitWaiting(long count) throws Exception {
        for (int attempt = 0; waiting() < count; attempt++) {
            assertTrue(attempt < 300, "the slow reads never reached the database: " + waiting() + " of " + count);
            Thread.sleep(100);
        }
    }

    /** GETs by id of the other token: each answers 200 within the liveness bound. */
    private static void otherTokenAnswers(ExecutorService clients) throws Exception {
        for (int i = 0; i < 20; i++) {
            Future<Reply> get = clients.submit(() -> server.http().get("/job/" + JOB_ID, "Authorization", "other-reader"));
            Reply reply = get.get(LIVENESS_SECONDS, TimeUnit.SECONDS);
            assertEquals(200, reply.status(), reply.body());
        }
    }

    @Test
    @DisplayName("one token's slow batches from 16 clients: it gets 429 past its share, another token's GETs by id answer")
    void oneTokenCannotHoldThePool() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(17);
        List<Future<Reply>> hog = new ArrayList<>();
        try (Connection lock = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
            }
            for (int i = 0; i < 16; i++) {
                hog.add(clients.submit(() -> slowBatch(TestServer.ADMIN_TOKEN)));
            }
            awaitWaiting(5);
            otherTokenAnswers(clients);
            awaitDone(hog, 11);
            lock.commit();
        }
        int answered = 0;
        int limited = 0;
        for (Future<Reply> future : hog) {
            Reply reply = future.get(60, TimeUnit.SECONDS);
            if (reply.status() == 429) {
                limited++;
                assertTrue(Integer.parseInt(reply.header("Retry-After")) >= 1, reply.headers().toString());
                assertTrue(reply.body().contains("KCI_CALLER_READS"), reply.body());
            } else {
                assertEquals(200, reply.status(), reply.body());
                answered++;
            }
        }
        // Five ran (the default share), the eleven others were refused after the pool's wait.
        assertEquals(5, answered);
        assertEquals(11, limited);
        assertEquals(0, waiting());
        clients.shutdownNow();
    }

    @Test
    @DisplayName("slow batches of eight tokens at once: none is refused for its share, GETs by id of another answer")
    void manyTokensEachSlow() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(17);
        List<Future<Reply>> slow = new ArrayList<>();
        try (CapturedLog log = new CapturedLog(Database.class);
             Connection lock = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
            }
            String batch = SLOW_BATCH.replace("limit=100", "limit=98");
            for (int i = 0; i < 16; i++) {
                String token = "slow-reader-" + (i % 8);
                slow.add(clients.submit(() -> post(token, batch)));
            }
            // At most six of the pool's eight connections for reads other than by id (fewer once the
            // batch is seen to be costly); two kept for GETs by id.
            awaitWaiting(4);
            otherTokenAnswers(clients);
            lock.commit();
            for (Future<Reply> future : slow) {
                Reply reply = future.get(60, TimeUnit.SECONDS);
                // Within its share, a token is never told 429; the service may be busy (503).
                assertTrue(reply.status() == 200 || reply.status() == 503, reply.status() + " " + reply.body());
                if (reply.status() == 503) {
                    assertEquals("1", reply.header("Retry-After"));
                }
            }
            assertTrue(log.events().stream().allMatch(event -> event.getFormattedMessage().startsWith("Service busy")),
                    () -> log.events().toString());
        }
        assertEquals(0, waiting());
        clients.shutdownNow();
    }

    @Test
    @DisplayName("a batch seen to be costly takes a heavy place: one token holds at most half of them, then 429")
    void costlyBatchesShareTheHeavyPlaces() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(5);
        String costly = SLOW_BATCH.replace("limit=100", "limit=99");
        try (Connection lock = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
            }
            // Its first run waits on the lock for a second: from then on it is known to cost that much.
            Future<Reply> first = clients.submit(() -> post("slow-reader-0", costly));
            awaitWaiting(1);
            Thread.sleep(1000);
            lock.commit();
            assertEquals(200, first.get(60, TimeUnit.SECONDS).status());

            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
            }
            List<Future<Reply>> again = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                again.add(clients.submit(() -> post("slow-reader-0", costly)));
            }
            awaitWaiting(2);
            awaitDone(again, 2);
            lock.commit();
            int limited = 0;
            for (Future<Reply> future : again) {
                Reply reply = future.get(60, TimeUnit.SECONDS);
                if (reply.status() == 429) {
                    limited++;
                    assertTrue(reply.body().contains("KCI_HEAVY_BATCHES"), reply.body());
                    assertTrue(Integer.parseInt(reply.header("Retry-After")) >= 1);
                } else {
                    assertEquals(200, reply.status(), reply.body());
                }
            }
            // Half of the four heavy places ran; the others were this token's excess.
            assertEquals(2, limited);
        }
        clients.shutdownNow();
    }

    /** Waits (boundedly) until this many of the requests have their answer. */
    private static void awaitDone(List<Future<Reply>> requests, int count) throws InterruptedException {
        for (int attempt = 0; requests.stream().filter(Future::isDone).count() < count; attempt++) {
            assertTrue(attempt < 300, "the requests past the share were never answered");
            Thread.sleep(100);
        }
    }

    private static Reply post(String token, String body) {
        return server.http().post("/batch", body, "Authorization", token, "Content-Type", "application/json");
    }
}

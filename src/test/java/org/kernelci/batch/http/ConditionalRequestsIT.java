package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.execute.ChangeCounts;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** CONTRACT.md section 9: ETags on read answers, 304 for a current one, never hiding a committed write. */
class ConditionalRequestsIT {
    private static final String READER = "etag-reader";
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        http.get("/health");
        server.addToken(READER, "can_get");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Reply get(String path, String token, String ifNoneMatch) {
        return ifNoneMatch == null ? http.get(path, "Authorization", token)
                : http.get(path, "Authorization", token, "If-None-Match", ifNoneMatch);
    }

    static void postJob(String job, String kernel) {
        Reply reply = http.post("/job", "{\"job\":\"" + job + "\",\"kernel\":\"" + kernel + "\"}",
                "Authorization", ADMIN, "Content-Type", "application/json");
        assertEquals(201, reply.status(), reply.body());
    }

    static Reply batch(String body, String ifNoneMatch) {
        return ifNoneMatch == null
                ? http.post("/batch", body, "Authorization", READER, "Content-Type", "application/json")
                : http.post("/batch", body, "Authorization", READER, "Content-Type", "application/json",
                        "If-None-Match", ifNoneMatch);
    }

    @Test
    @DisplayName("§9 a GET answer carries an ETag; the same tag in If-None-Match gets 304 with no body; a write changes it")
    void plainGets() {
        postJob("etag-plain", "v1");
        for (String path : new String[] {"/job?job=etag-plain", "/count/job?job=etag-plain", "/count",
                "/job/distinct/kernel?job=etag-plain"}) {
            Reply first = get(path, READER, null);
            assertEquals(200, first.status());
            String tag = first.header("ETag");
            assertNotNull(tag, path);
            assertTrue(tag.matches("W/\"[0-9a-f]{32}\""), tag);
            assertEquals(tag, get(path, READER, null).header("ETag"), "the same answer, the same tag: " + path);
            Reply again = get(path, READER, tag);
            assertEquals(304, again.status(), path);
            assertEquals("", again.body());
            assertEquals(tag, again.header("ETag"));
            assertEquals(304, get(path, READER, "\"other\", " + tag.substring(2)).status(), "a list, strong form");
            assertEquals(304, get(path, READER, "*").status());
            assertEquals(200, get(path, READER, "W/\"0123\"").status());
        }
        String tag = get("/job?job=etag-plain", READER, null).header("ETag");
        postJob("etag-plain", "v2");
        Reply changed = get("/job?job=etag-plain", READER, tag);
        assertEquals(200, changed.status());
        assertEquals(2, json(changed.body()).getInt("count"));
        assertNotEquals(tag, changed.header("ETag"));
    }

    @Test
    @DisplayName("§9 the tag depends on the token's permissions and on the query")
    void tokensAndQueries() {
        postJob("etag-tokens", "v1");
        String reader = get("/job?job=etag-tokens", READER, null).header("ETag");
        String admin = get("/job?job=etag-tokens", ADMIN, null).header("ETag");
        assertNotEquals(reader, admin);
        assertEquals(200, get("/job?job=etag-tokens", ADMIN, reader).status());
        assertNotEquals(reader, get("/job?job=etag-tokens&limit=1", READER, null).header("ETag"));
    }

    @Test
    @DisplayName("§9 a batch of reads carries an ETag of its body; 304 when current")
    void batches() {
        postJob("etag-batch", "v1");
        String body = """
                {"batch":[{"method":"GET","operation_id":"n","collection":"count","document_id":"job","query":"job=etag-batch"},
                          {"method":"GET","operation_id":"l","collection":"job","query":"job=etag-batch"}]}""";
        Reply first = batch(body, null);
        assertEquals(200, first.status());
        String tag = first.header("ETag");
        assertNotNull(tag);
        assertEquals(304, batch(body, tag).status());
        assertEquals(200, batch(body.replace("\"l\"", "\"m\""), tag).status(), "another body, another answer");
        postJob("etag-batch", "v2");
        Reply changed = batch(body, tag);
        assertEquals(200, changed.status());
        assertNotEquals(tag, changed.header("ETag"));
    }

    @Test
    @DisplayName("§9 failures carry no ETag; If-None-Match: * is a 304 only for an answer that exists")
    void failures() {
        Reply missing = get("/job/0123456789abcdef01234567", READER, null);
        assertEquals(404, missing.status());
        assertNull(missing.header("ETag"));
        assertEquals(404, get("/job/0123456789abcdef01234567", READER, "*").status());
        assertNull(get("/job?limit=x", READER, null).header("ETag"));
        assertEquals(400, get("/job?limit=x", READER, "*").status());
        postJob("etag-star", "v1");
        assertEquals(304, get("/job?job=etag-star", READER, "*").status());
    }

    @Test
    @DisplayName("§9 a batch answer with an entry past its deadline (504) has no ETag: it is not one to keep")
    void noTagForTimeouts() throws Exception {
        try (TestServer slow = TestServer.start(server.jdbcUrl(), Clock.systemUTC(),
                Map.of(org.kernelci.batch.app.Setting.STATEMENT_TIMEOUT_MS, "500"));
             java.sql.Connection lock = java.sql.DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            slow.addToken("etag-slow-reader", "can_get");
            lock.setAutoCommit(false);
            try (java.sql.Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE boot IN ACCESS EXCLUSIVE MODE");
            }
            Reply reply = slow.http().post("/batch", """
                    {"batch":[{"method":"GET","operation_id":"jobs","collection":"count","document_id":"job"},
                              {"method":"GET","operation_id":"boots","collection":"boot","query":"limit=1"}]}""",
                    "Authorization", "etag-slow-reader", "Content-Type", "application/json");
            lock.rollback();
            assertEquals(200, reply.status(), reply.body());
            assertEquals(504, json(reply.body()).getJsonArray("result").getJsonObject(1).getInt("code"), reply.body());
            assertNull(reply.header("ETag"));
        }
    }

    @Test
    @DisplayName("§9 a 304 never hides a committed write: concurrent writers, every answer counts every acknowledged write")
    void neverHidesAWrite() throws InterruptedException {
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get() && i < 400; i++) {
                postJob("etag-race", "k" + i);
                acknowledged.incrementAndGet();
            }
        });
        writer.start();
        String tag = null;
        int cached = 0;
        int notModified = 0;
        int answers = 0;
        try {
            for (int i = 0; i < 600 && writer.isAlive(); i++) {
                int before = acknowledged.get();
                Reply reply = get("/count/job?job=etag-race", READER, tag);
                if (reply.status() == 304) {
                    notModified++;
                    assertTrue(cached >= before, "a 304 for " + cached + " jobs after " + before + " were acknowledged");
                } else {
                    assertEquals(200, reply.status(), reply.body());
                    answers++;
                    cached = json(reply.body()).getJsonArray("result").getJsonObject(0).getInt("count");
                    assertTrue(cached >= before, cached + " counted after " + before + " were acknowledged");
                    tag = reply.header("ETag");
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertTrue(answers > 0);
        // Once the writer is done, the tag settles: the next request is a 304 or one last change.
        Reply settled = get("/count/job?job=etag-race", READER, null);
        assertEquals(304, get("/count/job?job=etag-race", READER, settled.header("ETag")).status());
        System.out.printf("neverHidesAWrite: %d answers, %d not modified, %d writes%n", answers, notModified,
                acknowledged.get());
    }

    @Test
    @DisplayName("folding the change counts keeps every sum (and so every tag)")
    void folding() {
        for (int i = 0; i < ChangeCounts.FOLD_ABOVE + 10; i++) {
            postJob("etag-fold", "k" + i);
        }
        String tag = get("/count/job?job=etag-fold", READER, null).header("ETag");
        Jdbi jdbi = Jdbi.create(server.jdbcUrl(), "postgres", "");
        // The service folds every few seconds too; either way, few rows are left, one table or more each.
        jdbi.inTransaction(ChangeCounts::fold);
        assertTrue(jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM change_count").mapTo(Long.class).one())
                <= ChangeCounts.FOLD_ABOVE);
        long tables = jdbi.withHandle(h -> h.createQuery("SELECT count(DISTINCT collection) FROM change_count")
                .mapTo(Long.class).one());
        // One row per table that the migrations created (V4, V11) or that was written since.
        assertEquals(7, tables);
        assertEquals(304, get("/count/job?job=etag-fold", READER, tag).status());
    }

    @Test
    @DisplayName("§9 readers polling a batch at once, a writer beside them: no 304 hides an acknowledged write")
    void concurrentReadersNeverMissAWrite() throws Exception {
        String body = """
                {"batch":[{"method":"GET","operation_id":"n","collection":"count","document_id":"job","query":"job=etag-crowd"},
                          {"method":"GET","operation_id":"l","collection":"job","query":"job=etag-crowd&limit=1&field=kernel"}]}""";
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger notModified = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    postJob("etag-crowd", "k" + i);
                    acknowledged.incrementAndGet();
                }
            } finally {
                writing.set(false);
            }
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                done.add(readers.submit(() -> {
                    String tag = null;
                    int cached = 0;
                    while (writing.get()) {
                        int before = acknowledged.get();
                        Reply reply = batch(body, tag);
                        if (reply.status() == 304) {
                            notModified.incrementAndGet();
                            assertTrue(cached >= before, "a 304 for " + cached + " jobs after " + before + " were acknowledged");
                        } else {
                            assertEquals(200, reply.status(), reply.body());
                            cached = json(reply.body()).getJsonArray("result").getJsonObject(0).getJsonArray("result")
                                    .getJsonObject(0).getInt("count");
                            assertTrue(cached >= before, cached + " counted after " + before + " were acknowledged");
                            tag = reply.header("ETag");
                        }
                    }
                    return null;
                }));
            }
            writer.start();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            writer.join();
            readers.shutdownNow();
        }
        String settled = batch(body, null).header("ETag");
        assertEquals(304, batch(body, settled).status());
        System.out.printf("concurrentReadersNeverMissAWrite: %d not modified, %d writes%n", notModified.get(), acknowledged.get());
    }

    @Test
    @DisplayName("§9 a batch polled across UTC midnight is planned again (date_range counts the new day); a time_range is never reused")
    void plansHoldUntilMidnight() {
        MovingClock clock = new MovingClock(Instant.parse("2026-06-01T23:58:00Z"));
        try (TestServer dated = TestServer.start(clock, Map.of())) {
            dated.addToken(READER, "can_get");
            Reply posted = dated.http().post("/job", "{\"job\":\"etag-midnight\",\"kernel\":\"v1\"}",
                    "Authorization", ADMIN, "Content-Type", "application/json");
            assertEquals(201, posted.status(), posted.body());
            String today = """
                    {"batch":[{"method":"GET","operation_id":"today","collection":"count","document_id":"job",
                               "query":"job=etag-midnight&date_range=0"}]}""";
            String hour = today.replace("date_range=0", "time_range=60");
            clock.set(Instant.parse("2026-06-01T23:59:00Z"));
            Reply before = post(dated, today, null);
            assertEquals(1, count(before));
            assertEquals(304, post(dated, today, before.header("ETag")).status());
            clock.set(Instant.parse("2026-06-02T00:01:00Z"));
            Reply after = post(dated, today, before.header("ETag"));
            assertEquals(0, count(after), "a new day, another answer");
            assertEquals(1, count(post(dated, hour, null)));
            clock.set(Instant.parse("2026-06-02T00:59:30Z"));
            assertEquals(0, count(post(dated, hour, null)), "the hour moved on");
            assertEquals(304, post(dated, today, after.header("ETag")).status());
        }
    }

    private static Reply post(TestServer server, String body, String ifNoneMatch) {
        return ifNoneMatch == null
                ? server.http().post("/batch", body, "Authorization", READER, "Content-Type", "application/json")
                : server.http().post("/batch", body, "Authorization", READER, "Content-Type", "application/json",
                        "If-None-Match", ifNoneMatch);
    }

    private static int count(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0).getJsonArray("result").getJsonObject(0).getInt("count");
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    @DisplayName("§9 a kept batch's current tag is answered 304 before Jersey, as Jersey would; anything else reaches Jersey, body whole")
    void keptBatchesAnsweredBeforeJersey() throws java.io.IOException {
        postJob("etag-kept", "v1");
        String body = """
                {"batch":[{"method":"GET","operation_id":"n","collection":"count","document_id":"job","query":"job=etag-kept"},
                          {"method":"GET","operation_id":"l","collection":"job","query":"job=etag-kept"}]}""";
        for (String path : ConditionalBatchFilter.PATHS) {
            Reply first = http.post(path, body, "Authorization", READER, "Content-Type", "application/json");
            assertEquals(200, first.status(), first.body());
            String tag = first.header("ETag");
            double kept = keptAnswers();
            Reply early = http.post(path, body, "Authorization", READER, "Content-Type", "application/json",
                    "If-None-Match", tag);
            assertEquals(304, early.status(), path);
            assertEquals(tag, early.header("ETag"));
            assertEquals("Accept-Encoding", early.header("Vary"));
            assertEquals("", early.body());
            assertEquals(kept + 1, keptAnswers(), "answered from the kept batch: " + path);
        }
        String tag = batch(body, null).header("ETag");
        double kept = keptAnswers();
        Reply refused = http.post("/batch", body, "Authorization", "etag-no-such-token", "Content-Type",
                "application/json", "If-None-Match", tag);
        Reply refusedPlain = http.post("/batch", body, "Authorization", "etag-no-such-token", "Content-Type",
                "application/json");
        assertEquals(403, refused.status());
        assertEquals(refusedPlain.body(), refused.body());
        assertEquals(200, http.post("/batch", body, "Authorization", ADMIN, "Content-Type", "application/json",
                "If-None-Match", tag).status(), "another caller's permissions, another tag");
        Reply gzipped = http.send("POST", "/batch", GzipRequestsIT.gzip(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "Authorization", READER, "Content-Type", "application/json", "Content-Encoding", "gzip",
                "If-None-Match", tag);
        assertEquals(304, gzipped.status(), "Jersey inflates the body and answers");
        assertEquals(kept, keptAnswers(), "none of these was answered before Jersey");

        postJob("etag-kept", "v2");
        Reply changed = batch(body, tag);
        assertEquals(200, changed.status(), changed.body());
        assertEquals(2, json(changed.body()).getJsonArray("result").getJsonObject(1).getInt("count"),
                "the body reached Jersey whole: " + changed.body());
        assertNotEquals(tag, changed.header("ETag"));
        assertEquals(304, batch(body, changed.header("ETag")).status());
        assertEquals(kept + 1, keptAnswers());
    }

    /** How many 304s the service answered from kept batches before Jersey. */
    private static double keptAnswers() {
        Reply metrics = http.get("/metrics", "Authorization", ADMIN);
        assertEquals(200, metrics.status());
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("(?m)^kci_batch_kept_not_modified_total (\\S+)$")
                .matcher(metrics.body());
        assertTrue(total.find(), "the counter is published");
        return Double.parseDouble(total.group(1));
    }
}

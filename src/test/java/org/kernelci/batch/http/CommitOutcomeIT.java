package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kernelci.batch.execute.BatchExecutor;
import org.kernelci.batch.execute.CommitOutcomeUnknownException;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.CommitCuttingProxy;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.ProvokedFaults;
import org.kernelci.batch.testing.SqlValue;
import org.kernelci.batch.testing.TestServer;

/**
 * A connection lost while a write commits (issue 32): the answer says the outcome is unknown (502),
 * whether PostgreSQL stored the write (the COMMIT's answer lost on the way back, through
 * {@link CommitCuttingProxy}) or not (the backend terminated while a deferred trigger ran at
 * COMMIT); never the 503 that means "not stored". A connection lost before the COMMIT stays 503.
 */
@ExtendWith(ProvokedFaults.class)
class CommitOutcomeIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String UNKNOWN = "{\"code\":502,\"reason\":\"" + CommitOutcomeUnknownException.REASON + "\"}";
    private static String direct;
    private static CommitCuttingProxy proxy;
    private static TestServer server;

    @BeforeAll
    static void start() throws SQLException {
        direct = TestServer.freshDatabase();
        proxy = new CommitCuttingProxy("localhost", TestServer.sharedPostgres().getPort());
        server = TestServer.start(proxy.url(direct), Clock.systemUTC(), Map.of());
        // Job reports named SLOW-COMMIT sleep at COMMIT (a deferred constraint trigger runs
        // then), those named SLOW-INSERT in their INSERT: time for the test to terminate them.
        sql("""
                CREATE FUNCTION it_sleep() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.job = TG_ARGV[0] THEN PERFORM pg_sleep(20); END IF;
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER it_slow_commit AFTER INSERT ON job DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION it_sleep('SLOW-COMMIT');
                CREATE TRIGGER it_slow_insert AFTER INSERT ON job FOR EACH ROW EXECUTE FUNCTION it_sleep('SLOW-INSERT');
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
        proxy.close();
    }

    private static long sql(String statements) throws SQLException {
        return SqlValue.of(direct, statements);
    }

    private static Reply send(String method, String path, String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = ADMIN;
        all[2] = "Content-Type";
        all[3] = "application/json";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return server.http().send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), all);
    }

    /** Its COMMIT went, PostgreSQL committed, the answer was lost: 502 outcome unknown, and the write is stored. */
    private static void storedButUnknown(String what, Reply reply, String stored) throws SQLException {
        assertEquals(502, reply.status(), what + ": " + reply.body());
        assertEquals(UNKNOWN, reply.body(), what);
        assertEquals(1, sql(stored), what + " was stored");
    }

    @Test
    @DisplayName("the COMMIT's answer lost on every write path: 502 outcome unknown, the write stored, the next one fine")
    void answerLost() throws SQLException {
        String job = json(send("POST", "/job", "{\"job\":\"plain\",\"kernel\":\"k\"}").body())
                .getJsonArray("result").getJsonObject(0).getJsonObject("_id").getString("$oid");
        int cuts = proxy.cuts();
        try (CapturedLog log = new CapturedLog(Database.class);
             CapturedLog executor = new CapturedLog(BatchExecutor.class);
             CapturedLog mapper = new CapturedLog(ErrorMapper.class)) {
            storedButUnknown("a report", send("POST", "/job", "{\"job\":\"CUTCOMMIT-1\",\"kernel\":\"k\"}"),
                    "SELECT count(*) FROM job WHERE job = 'CUTCOMMIT-1'");
            storedButUnknown("an array of reports", send("POST", "/job",
                    "[{\"job\":\"CUTCOMMIT-2\",\"kernel\":\"a\"},{\"job\":\"CUTCOMMIT-2\",\"kernel\":\"b\"}]"),
                    "SELECT count(*) / 2 FROM job WHERE job = 'CUTCOMMIT-2'");
            storedButUnknown("a PUT", send("PUT", "/job/" + job, "{\"kernel\":\"CUTCOMMIT-3\"}"),
                    "SELECT count(*) FROM job WHERE kernel = 'CUTCOMMIT-3'");
            storedButUnknown("an Appery batch", send("POST", "/batch",
                    "[{\"method\":\"POST\",\"collection\":\"job\",\"data\":{\"job\":\"CUTCOMMIT-4\",\"kernel\":\"k\"}}]"),
                    "SELECT count(*) FROM job WHERE job = 'CUTCOMMIT-4'");
            storedButUnknown("an atomic Appery batch", send("POST", "/batch?atomic=true",
                    "[{\"method\":\"POST\",\"collection\":\"job\",\"data\":{\"job\":\"CUTCOMMIT-5\",\"kernel\":\"k\"}},"
                            + "{\"method\":\"PUT\",\"collection\":\"job\",\"_id\":\"" + job
                            + "\",\"data\":{\"kernel\":\"CUTCOMMIT-5\"}}]"),
                    "SELECT count(*) / 2 FROM job WHERE 'CUTCOMMIT-5' IN (job, kernel)");
            storedButUnknown("an ArangoDB batch", server.http().send("POST", "/batch", ArangoBatchIT.body("b", List.of(
                    ArangoBatchIT.part(null, "POST", "/job", "{\"job\":\"CUTCOMMIT-6\",\"kernel\":\"k\"}",
                            "Content-Type", "application/json"))),
                    "Authorization", ADMIN, "Content-Type", "multipart/form-data; boundary=b"),
                    "SELECT count(*) FROM job WHERE job = 'CUTCOMMIT-6'");
            storedButUnknown("a token", send("POST", "/token", "{\"email\":\"CUTCOMMIT-7@example.org\",\"get\":true}"),
                    "SELECT count(*) FROM token WHERE email = 'CUTCOMMIT-7@example.org'");
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 1500; i++) {
                String line = ImportFaultsIT.jobLine(i);
                lines.append(i < 1000 ? line : line.replace("\"job\":\"next\"", "\"job\":\"CUTCOMMIT-8\"")).append('\n');
            }
            Reply imported = server.http().send("POST", "/import/job", lines.toString().getBytes(StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            assertEquals(502, imported.status(), imported.body());
            assertEquals(CommitOutcomeUnknownException.REASON + "; the import stopped at line 1001: lines 1 to 1000 were"
                    + " imported (1000 documents stored, 0 rejected); lines from 1001 on may or may not be stored;"
                    + " import the file again, or from line 1001", json(imported.body()).getString("reason"));
            assertEquals(500, sql("SELECT count(*) FROM job WHERE job = 'CUTCOMMIT-8'"), "the second chunk was stored");
            assertEquals(cuts + 8, proxy.cuts(), "each write's COMMIT answer was cut");
            assertTrue(log.at(Level.WARN).stream().anyMatch(event -> event.getFormattedMessage()
                    .startsWith("A write's COMMIT was under way when its connection was lost")), log.at(Level.WARN).toString());
            assertEquals(List.of(), log.at(Level.ERROR));
            assertEquals(List.of(), executor.at(Level.ERROR));
            assertEquals(List.of(), mapper.at(Level.ERROR));
        }
        assertEquals(201, send("POST", "/job", "{\"job\":\"after\",\"kernel\":\"k\"}").status(), "the next write is fine");
    }

    @Test
    @DisplayName("an ArangoDB batch whose parts wrote before a segment's COMMIT was cut: 200, the earlier parts' answers,"
            + " the cut parts' 502")
    void arangoSegments() throws SQLException {
        Reply reply = server.http().send("POST", "/batch", ArangoBatchIT.body("b", List.of(
                ArangoBatchIT.part(null, "POST", "/job", "{\"job\":\"arango-first\",\"kernel\":\"k\"}",
                        "Content-Type", "application/json"),
                // A write outside the shared model: the model's parts before it run (and commit) first.
                ArangoBatchIT.part(null, "POST", "/token", "{\"email\":\"arango@example.org\",\"get\":true}",
                        "Content-Type", "application/json", "Authorization", ADMIN),
                ArangoBatchIT.part(null, "POST", "/job", "{\"job\":\"CUTCOMMIT-9\",\"kernel\":\"k\"}",
                        "Content-Type", "application/json"))),
                "Authorization", ADMIN, "Content-Type", "multipart/form-data; boundary=b");
        assertEquals(200, reply.status(), reply.body());
        String[] statuses = reply.body().lines().filter(line -> line.startsWith("HTTP/1.1 ")).toArray(String[]::new);
        assertEquals(List.of("201", "201", "502"), java.util.Arrays.stream(statuses).map(line -> line.substring(9, 12)).toList(),
                reply.body());
        assertTrue(reply.body().contains(UNKNOWN), reply.body());
        assertEquals(1, sql("SELECT count(*) FROM job WHERE job = 'arango-first'"));
        assertEquals(1, sql("SELECT count(*) FROM token WHERE email = 'arango@example.org'"));
        assertEquals(1, sql("SELECT count(*) FROM job WHERE job = 'CUTCOMMIT-9'"));
    }

    @Test
    @DisplayName("a batch whose connection is lost at RELEASE of its row locks' savepoint: 503 (not stored), not a"
            + " 500 about a savepoint")
    void lostAtRelease() throws SQLException {
        // Two documents to change: the batch locks them first, under a savepoint; their ids carry the marker.
        String first = CommitCuttingProxy.RELEASE_MARKER + "00000001";
        String second = CommitCuttingProxy.RELEASE_MARKER + "00000002";
        sql("INSERT INTO job (id, created_on, job, kernel) VALUES ('" + first + "', now(), 'locked', 'k'),"
                + " ('" + second + "', now(), 'locked', 'k')");
        int cuts = proxy.cuts();
        try (CapturedLog executor = new CapturedLog(BatchExecutor.class);
             CapturedLog mapper = new CapturedLog(ErrorMapper.class)) {
            Reply reply = send("POST", "/batch", """
                    [{"method":"PUT","collection":"job","_id":"%s","data":{"kernel":"changed"}},
                     {"method":"PUT","collection":"job","_id":"%s","data":{"kernel":"changed"}}]"""
                    .formatted(first, second));
            assertEquals(503, reply.status(), reply.body());
            assertEquals("Database unavailable, retry later", json(reply.body()).getString("reason"));
            assertEquals(List.of(), executor.at(Level.ERROR));
            assertEquals(List.of(), mapper.at(Level.ERROR));
        }
        assertEquals(cuts + 1, proxy.cuts(), "the RELEASE's answer was cut");
        assertEquals(0, sql("SELECT count(*) FROM job WHERE kernel = 'changed'"));
    }

    /** Sends the report and, once its backend sleeps where {@code where} says, terminates it. */
    private static Reply terminatedWhile(String job, String where) throws Exception {
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Reply> reply = client.submit(() -> send("POST", "/job", "{\"job\":\"" + job + "\",\"kernel\":\"k\"}"));
            String sleeping = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event = 'PgSleep' AND " + where;
            for (int attempt = 0; sql(sleeping) == 0; attempt++) {
                assertTrue(attempt < 1000, "the write never reached its sleep");
                Thread.sleep(10);
            }
            return reply.get();
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    @DisplayName("the backend terminated while COMMIT runs (not stored): 502 outcome unknown, never 503")
    void lostDuringCommit() throws Exception {
        Reply reply = terminatedWhile("SLOW-COMMIT", "query = 'COMMIT'");
        assertEquals(502, reply.status(), reply.body());
        assertEquals(UNKNOWN, reply.body());
        assertEquals(0, sql("SELECT count(*) FROM job WHERE job = 'SLOW-COMMIT'"), "the trigger failed: rolled back");
    }

    @Test
    @DisplayName("the backend terminated before COMMIT (during the INSERT): 503, and nothing stored")
    void lostBeforeCommit() throws Exception {
        Reply reply = terminatedWhile("SLOW-INSERT", "query <> 'COMMIT'");
        assertEquals(503, reply.status(), reply.body());
        assertEquals("Database unavailable, retry later", json(reply.body()).getString("reason"));
        assertEquals(0, sql("SELECT count(*) FROM job WHERE job = 'SLOW-INSERT'"));
    }
}

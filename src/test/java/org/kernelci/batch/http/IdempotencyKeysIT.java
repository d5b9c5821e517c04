package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.Ids;
import org.kernelci.batch.testing.TestServer;

/** Idempotency-Key on every write path, over HTTP, on a database of its own (issue 32). */
class IdempotencyKeysIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String LAB = "lab-token";
    private static final String OTHER_LAB = "other-lab-token";
    private static final String WRITER = "writer-token";
    private static final String BOUNDARY = "XbOuNdArYx";
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        // As the original made lab tokens: POST and DELETE, lab, no GET.
        server.addToken(LAB, "can_post", "can_delete", "is_lab");
        server.addToken(OTHER_LAB, "can_post", "can_delete", "is_lab");
        server.addToken(WRITER, "can_get", "can_post", "can_delete");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A write of one path: how to send it with a key, and how many of its documents are stored. */
    private record Path(String name, Function<String, Request> request, Function<HttpProbe, Integer> stored) {
    }

    /** A request as sent: method, target, body, headers beside the key. */
    private record Request(String method, String target, byte[] body, List<String> headers) {
        Reply send(HttpProbe probe, String key) {
            List<String> all = new ArrayList<>(headers);
            if (key != null) {
                all.addAll(List.of("Idempotency-Key", key));
            }
            return probe.send(method, target, body, all.toArray(String[]::new));
        }
    }

    private static Request request(String method, String target, String body, String token) {
        return new Request(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                List.of("Authorization", token, "Content-Type", "application/json"));
    }

    private static int count(HttpProbe probe, String collection, String query) {
        Reply reply = probe.get("/count/" + collection + "?" + query, "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0).getInt("count");
    }

    private static String newBoot(String board) {
        Reply reply = request("POST", "/boot", IngestIT.boot("idem", board), ADMIN).send(http, null);
        assertEquals(201, reply.status(), reply.body());
        return Ids.of(json(reply.body()).getJsonArray("result").getJsonObject(0));
    }

    /** Every write path, each on documents of its own (a board named after it). */
    private static List<Path> paths() {
        List<Path> paths = new ArrayList<>();
        String single = "single-" + UUID.randomUUID();
        paths.add(new Path("POST /boot, one report", key -> request("POST", "/boot", IngestIT.boot("idem", single), LAB),
                probe -> count(probe, "boot", "board=" + single)));
        String array = "array-" + UUID.randomUUID();
        paths.add(new Path("POST /boot, an array", key -> request("POST", "/boot", "[" + IngestIT.boot("idem", array) + ","
                + IngestIT.boot("idem", array) + "]", LAB), probe -> count(probe, "boot", "board=" + array) / 2));
        String device = "group-" + UUID.randomUUID();
        paths.add(new Path("POST /test/group", key -> request("POST", "/test/group", TestPagesIT.run("baseline", "v6.1",
                device, "lab-idem", "qemu", "x86_64", "x86_64_defconfig", "\"test_cases\":[" + TestPagesIT.testCase("t1", "PASS")
                        + "]"), LAB), probe -> count(probe, "test_group", "device_type=" + device)));
        String put = newBoot("put-" + UUID.randomUUID());
        paths.add(new Path("PUT /boot/<id>", key -> request("PUT", "/boot/" + put, "{\"status\":\"FAIL\"}", WRITER),
                probe -> 1));
        String deleted = newBoot("delete-" + UUID.randomUUID());
        paths.add(new Path("DELETE /boot/<id>", key -> request("DELETE", "/boot/" + deleted, null, WRITER),
                probe -> probe.get("/boot/" + deleted, "Authorization", ADMIN).status() == 404 ? 1 : 0));
        for (String atomic : List.of("false", "true")) {
            String appery = "appery-" + atomic + "-" + UUID.randomUUID();
            paths.add(new Path("Appery batch, atomic=" + atomic, key -> new Request("POST", "/batch?atomic=" + atomic,
                    ("[{\"method\":\"POST\",\"collection\":\"boot\",\"data\":" + IngestIT.boot("idem", appery) + "},"
                            + "{\"method\":\"POST\",\"collection\":\"boot\",\"data\":" + IngestIT.boot("idem", appery) + "}]")
                            .getBytes(StandardCharsets.UTF_8),
                    List.of("X-Appery-Session-Token", LAB, "Content-Type", "application/json")),
                    probe -> count(probe, "boot", "board=" + appery) / 2));
        }
        String arango = "arango-" + UUID.randomUUID();
        paths.add(new Path("ArangoDB batch, atomic, the envelope's key", key -> arango("/_api/batch?atomic=true",
                List.of(ArangoBatchIT.part("1", "POST", "/boot", IngestIT.boot("idem", arango), "Content-Type",
                        "application/json"), ArangoBatchIT.part("2", "POST", "/boot", IngestIT.boot("idem", arango),
                        "Content-Type", "application/json"))), probe -> count(probe, "boot", "board=" + arango) / 2));
        String part = "part-" + UUID.randomUUID();
        paths.add(new Path("ArangoDB batch, a part's own key", key -> arango("/_api/batch",
                List.of(ArangoBatchIT.part("1", "POST", "/boot", IngestIT.boot("idem", part), "Content-Type",
                        "application/json", "Idempotency-Key", key))), probe -> count(probe, "boot", "board=" + part)));
        return paths;
    }

    private static Request arango(String target, List<String> parts) {
        return new Request("POST", target, ArangoBatchIT.body(BOUNDARY, parts),
                List.of("Authorization", LAB, "Content-Type", "multipart/form-data; boundary=" + BOUNDARY));
    }

    /** The key of a path's requests: a part's own key goes in the part, else on the envelope. */
    private static String envelopeKey(Path path, String key) {
        return path.name().contains("part's own key") ? null : key;
    }

    /** The same answer: the same bytes (a part replayed by its own key says so in its headers). */
    private static void assertSameAnswer(Reply first, Reply again) {
        assertEquals(first.status(), again.status(), again.body());
        assertEquals(first.body().replace("Idempotent-Replayed: true\r\n", ""),
                again.body().replace("Idempotent-Replayed: true\r\n", ""));
        assertEquals(first.header("Content-Type"), again.header("Content-Type"));
        assertEquals(first.header("Location"), again.header("Location"));
    }

    @Test
    @DisplayName("every write path: the same write sent twice with a key is stored once; the repeat gets the same answer, marked replayed")
    void sentTwice() {
        for (Path path : paths()) {
            String key = UUID.randomUUID().toString();
            Request request = path.request().apply(key);
            Reply first = request.send(http, envelopeKey(path, key));
            assertTrue(first.status() < 300, path.name() + ": " + first.body());
            assertNull(first.header("Idempotent-Replayed"), path.name());
            Reply again = request.send(http, envelopeKey(path, key));
            assertSameAnswer(first, again);
            if (!path.name().contains("part's own key")) {
                assertEquals("true", again.header("Idempotent-Replayed"), path.name());
            } else {
                assertTrue(again.body().contains("Idempotent-Replayed: true"), path.name() + ": " + again.body());
            }
            assertEquals(1, path.stored().apply(http), path.name() + ": stored once");
        }
    }

    @Test
    @DisplayName("without a key, the same report sent twice is stored twice (what the key is for)")
    void withoutKeyStoredTwice() {
        String board = "nokey-" + UUID.randomUUID();
        Request request = request("POST", "/boot", IngestIT.boot("idem", board), LAB);
        assertEquals(201, request.send(http, null).status());
        assertEquals(201, request.send(http, null).status());
        assertEquals(2, count(http, "boot", "board=" + board));
    }

    @Test
    @DisplayName("every write path: the same key with another body is a 422 naming the key; nothing more is stored")
    void changedBody() {
        for (Path path : paths()) {
            if (path.name().startsWith("DELETE")) {
                continue; // no body to change
            }
            String key = UUID.randomUUID().toString();
            Request request = path.request().apply(key);
            assertTrue(request.send(http, envelopeKey(path, key)).status() < 300, path.name());
            byte[] changed = new String(request.body(), StandardCharsets.UTF_8).replace("lab-x", "lab-y")
                    .replace("FAIL", "PASS").replace("lab-idem", "lab-other").getBytes(StandardCharsets.UTF_8);
            Reply reply = new Request(request.method(), request.target(), changed, request.headers())
                    .send(http, envelopeKey(path, key));
            String body = path.name().contains("part's own key") ? reply.body().substring(reply.body().indexOf('{'))
                    : reply.body();
            assertTrue(reply.body().contains("422") && body.contains("Idempotency-Key '" + key + "'"),
                    path.name() + ": " + reply.body());
            assertEquals(1, path.stored().apply(http), path.name());
        }
    }

    @Test
    @DisplayName("a malformed key is a 400 naming the header, before anything runs; an sf-string is its content")
    void malformedKeys() {
        String board = "malformed-" + UUID.randomUUID();
        Request request = request("POST", "/boot", IngestIT.boot("idem", board), LAB);
        for (String key : List.of("", "x".repeat(256), "a b", "\"unterminated\\\"", "tab\there")) {
            Reply reply = request.send(http, key);
            assertEquals(400, reply.status(), key + ": " + reply.body());
            assertTrue(json(reply.body()).getString("reason").startsWith("Idempotency-Key: "), reply.body());
        }
        Reply twice = http.send("POST", "/boot", request.body(), "Authorization", LAB, "Content-Type", "application/json",
                "Idempotency-Key", "a", "Idempotency-Key", "b");
        assertEquals(400, twice.status(), twice.body());
        assertEquals(0, count(http, "boot", "board=" + board));
        String key = "k-" + UUID.randomUUID();
        assertEquals(201, request.send(http, (key + "x".repeat(255)).substring(0, 255)).status(), "255 characters");
        assertEquals(201, request.send(http, key).status());
        Reply quoted = request.send(http, "\"" + key + "\"");
        assertEquals("true", quoted.header("Idempotent-Replayed"), "an sf-string is the same key as its content");
        assertEquals(2, count(http, "boot", "board=" + board));
    }

    @Test
    @DisplayName("a key is its token's: another token's same key and request runs")
    void perToken() {
        String board = "pertoken-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Reply first = request("POST", "/boot", IngestIT.boot("idem", board), LAB).send(http, key);
        Reply other = request("POST", "/boot", IngestIT.boot("idem", board), OTHER_LAB).send(http, key);
        assertEquals(201, other.status(), other.body());
        assertNull(other.header("Idempotent-Replayed"));
        assertNotEquals(first.body(), other.body());
        assertEquals(2, count(http, "boot", "board=" + board));
    }

    @Test
    @DisplayName("reads ignore a key, a batch of reads only too; POST /token refuses one (its answer is a secret)")
    void readsAndTokens() {
        newBoot("reads-" + UUID.randomUUID());
        Reply get = http.get("/boot?limit=1", "Authorization", ADMIN, "Idempotency-Key", "read-1");
        assertEquals(200, get.status(), get.body());
        Request batch = new Request("POST", "/batch", "[{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"limit=1\"}]"
                .getBytes(StandardCharsets.UTF_8), List.of("X-Appery-Session-Token", ADMIN, "Content-Type", "application/json"));
        assertEquals(200, batch.send(http, "read-2").status());
        Reply again = batch.send(http, "read-2");
        assertEquals(200, again.status());
        assertNull(again.header("Idempotent-Replayed"));
        Reply token = request("POST", "/token", "{\"email\":\"i@x\",\"get\":true}", ADMIN).send(http, "token-1");
        assertEquals(400, token.status(), token.body());
        assertTrue(json(token.body()).getString("reason").startsWith("Idempotency-Key: POST /token"), token.body());
    }

    @Test
    @DisplayName("ArangoDB: the envelope's key needs atomic=true (400); in an atomic batch a part's own key is its part's 400")
    void arangoKeys() {
        String board = "arango-keys-" + UUID.randomUUID();
        String report = ArangoBatchIT.part("1", "POST", "/boot", IngestIT.boot("idem", board), "Content-Type",
                "application/json");
        Reply envelope = arango("/_api/batch", List.of(report)).send(http, UUID.randomUUID().toString());
        assertEquals(400, envelope.status(), envelope.body());
        assertTrue(json(envelope.body()).getString("reason").startsWith("Idempotency-Key: on an ArangoDB batch"));
        Reply part = arango("/_api/batch?atomic=true", List.of(report, ArangoBatchIT.part("2", "POST", "/boot",
                IngestIT.boot("idem", board), "Content-Type", "application/json", "Idempotency-Key", "own"))).send(http, null);
        assertTrue(part.body().contains("a part with its own Idempotency-Key runs alone"), part.body());
        assertTrue(part.body().contains("HTTP/1.1 424"), part.body());
        assertEquals(0, count(http, "boot", "board=" + board));
    }

    @Test
    @DisplayName("every write path: sent again after the client dropped the connection unread: stored once")
    void droppedConnection() throws Exception {
        for (Path path : paths()) {
            String key = UUID.randomUUID().toString();
            Request request = path.request().apply(key);
            try (Socket socket = new Socket(server.base().getHost(), server.base().getPort())) {
                OutputStream out = socket.getOutputStream();
                StringBuilder head = new StringBuilder(request.method() + " " + server.base().getRawPath().replaceAll("/$", "")
                        + request.target() + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
                for (int i = 0; i < request.headers().size(); i += 2) {
                    head.append(request.headers().get(i)).append(": ").append(request.headers().get(i + 1)).append("\r\n");
                }
                if (envelopeKey(path, key) != null) {
                    head.append("Idempotency-Key: ").append(key).append("\r\n");
                }
                byte[] body = request.body() == null ? new byte[0] : request.body();
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                out.write(body);
                out.flush();
            } // closed without reading the answer
            Reply retry = request.send(http, envelopeKey(path, key));
            while (retry.status() == 409 || retry.body().contains("HTTP/1.1 409")) {
                Thread.sleep(20); // the first still runs: wait and retry, as a client should
                retry = request.send(http, envelopeKey(path, key));
            }
            assertTrue(retry.status() < 300, path.name() + ": " + retry.body());
            // Whichever ran first, the other replays: once the retry is answered, the write is stored once.
            assertEquals(1, path.stored().apply(http), path.name());
            Reply replay = request.send(http, envelopeKey(path, key));
            assertSameAnswer(retry, replay);
        }
    }

    @Test
    @DisplayName("every write path: twice at once, many rounds: one runs, the other gets a 409 or the replay; stored once")
    void twiceAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        int replays = 0;
        int conflicts = 0;
        try {
            for (int round = 0; round < 8; round++) {
                for (Path path : paths()) {
                    String key = UUID.randomUUID().toString();
                    Request request = path.request().apply(key);
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<Reply>> replies = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        replies.add(threads.submit(() -> {
                            together.await();
                            return request.send(http, envelopeKey(path, key));
                        }));
                    }
                    Reply a = replies.get(0).get();
                    Reply b = replies.get(1).get();
                    List<Reply> ok = new ArrayList<>();
                    for (Reply reply : List.of(a, b)) {
                        boolean conflict = reply.status() == 409 || reply.body().contains("HTTP/1.1 409");
                        conflicts += conflict ? 1 : 0;
                        if (!conflict) {
                            assertTrue(reply.status() < 300, path.name() + ": " + reply.body());
                            ok.add(reply);
                        }
                    }
                    assertTrue(!ok.isEmpty(), path.name() + ": one of the two runs");
                    if (ok.size() == 2) {
                        assertSameAnswer(ok.get(0), ok.get(1));
                        replays++;
                    }
                    assertEquals(1, path.stored().apply(http), path.name() + ", round " + round);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        System.out.println("IdempotencyKeysIT.twiceAtOnce: " + conflicts + " answered 409, " + replays + " replayed");
    }

    @Test
    @DisplayName("two nodes on one database: a key sent to one replays on the other")
    void twoNodes() {
        try (TestServer other = TestServer.start(server.jdbcUrl(), Clock.systemUTC(), Map.of())) {
            for (Path path : paths()) {
                String key = UUID.randomUUID().toString();
                Request request = path.request().apply(key);
                Reply first = request.send(http, envelopeKey(path, key));
                assertTrue(first.status() < 300, path.name() + ": " + first.body());
                Reply again = request.send(other.http(), envelopeKey(path, key));
                assertSameAnswer(first, again);
                assertEquals(1, path.stored().apply(other.http()), path.name());
            }
        }
    }

    /** A clock the test moves on. */
    private static final class MovedClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

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
            return Instant.now().plus(ahead);
        }
    }

    @Test
    @DisplayName("after KCI_IDEMPOTENCY_TTL the key runs again; expired keys are deleted by a later write")
    void expiry() {
        MovedClock clock = new MovedClock();
        try (TestServer brief = TestServer.start(clock, Map.of(Setting.IDEMPOTENCY_TTL, "1"))) {
            brief.addToken(LAB, "can_post", "can_delete", "is_lab");
            String board = "ttl-" + UUID.randomUUID();
            String key = UUID.randomUUID().toString();
            Request request = request("POST", "/boot", IngestIT.boot("idem", board), LAB);
            Reply first = request.send(brief.http(), key);
            assertEquals(201, first.status(), first.body());
            assertEquals("true", request.send(brief.http(), key).header("Idempotent-Replayed"));
            String old = UUID.randomUUID().toString();
            assertEquals(201, request.send(brief.http(), old).status());
            clock.ahead = Duration.ofSeconds(2);
            Reply later = request.send(brief.http(), key);
            assertEquals(201, later.status(), later.body());
            assertNull(later.header("Idempotent-Replayed"));
            assertNotEquals(first.body(), later.body());
            assertEquals(3, count(brief.http(), "boot", "board=" + board));
            assertEquals("true", request.send(brief.http(), key).header("Idempotent-Replayed"), "kept again");
            String expired = "SELECT count(*) FROM idempotency_key WHERE key = '" + old + "'";
            assertEquals(1, WritesIT.sql(brief.jdbcUrl(), expired), "expired, not yet deleted");
            for (int i = 0; i < 256; i++) {
                assertEquals(201, request.send(brief.http(), UUID.randomUUID().toString()).status());
            }
            assertEquals(0, WritesIT.sql(brief.jdbcUrl(), expired), "deleted by one of 256 writes with a key");
        }
    }

    @Test
    @DisplayName("a write that failed as a whole keeps no key: a 404 DELETE runs again once the document exists")
    void failureKeepsNoKey() {
        String key = UUID.randomUUID().toString();
        Reply missing = request("DELETE", "/boot/54819030b0000000000000ff", null, WRITER).send(http, key);
        assertEquals(404, missing.status(), missing.body());
        Reply again = request("DELETE", "/boot/54819030b0000000000000ff", null, WRITER).send(http, key);
        assertEquals(404, again.status());
        assertNull(again.header("Idempotent-Replayed"));
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * What kernelci-frontend's server needs on the wire (CONTRACT.md section 3): every body of 5 bytes
 * or more gzipped when gzip is accepted, and every answer whole, with {@code Content-Length} and
 * never chunked, within the answer's byte budget ({@code KCI_BATCH_MAX_BYTES}) or refused with 413.
 */
class WholeAnswersIT {
    private static final String[] ADMIN = {"Authorization", TestServer.ADMIN_TOKEN};
    private static final String GZIP = "gzip";
    private static final String JSON = "application/json";
    private static final int JOBS = 6000;
    /** The byte budget of the second server: a listing of all jobs passes it, unless gzipped. */
    private static final int SMALL_BUDGET = 400_000;
    private static final String PART = "Content-Type: application/x-arango-batchpart\r\n";

    private static TestServer server;
    private static TestServer small;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        assertEquals(200, server.http().get("/health").status());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO job (id, created_on, name, job, kernel, status) SELECT lpad(to_hex(i), 24, '0'), "
                    + "now() - i * interval '1 second', 'job-' || i, 'next', 'kernel-' || i, 'PASS' "
                    + "FROM generate_series(1, " + JOBS + ") i");
        }
        small = TestServer.start(server.jdbcUrl(), Clock.systemUTC(),
                Map.of(Setting.BATCH_MAX_BYTES, Integer.toString(SMALL_BUDGET)));
    }

    @AfterAll
    static void stop() {
        small.close();
        server.close();
    }

    private static String[] with(String[] headers, String... more) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Enough of a reply to tell what went wrong. */
    private static String brief(Reply reply) {
        String body = reply.body();
        return reply.status() + " " + reply.headers().map() + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }

    /** An answer sent whole: its Content-Length is the bytes received, and it was not chunked. */
    private static void assertWhole(Reply reply) {
        String length = reply.header("Content-Length");
        assertNotNull(length, () -> "no Content-Length: " + reply.headers().map());
        assertEquals(reply.received(), Long.parseLong(length), "Content-Length is the bytes received");
        assertNull(reply.header("Transfer-Encoding"), () -> "chunked: " + reply.headers().map());
        assertEquals(List.of("Accept-Encoding"), reply.headers().allValues("Vary"));
    }

    /**
     * The same request asked with and without gzip: gzipped (5 bytes or more) when accepted, plain
     * when not, both whole, the same body.
     */
    private static Reply assertGzippedWhenAccepted(int status, Function<String[], Reply> request) {
        Reply zipped = request.apply(new String[] {"Accept-Encoding", GZIP});
        Reply plain = request.apply(new String[0]);
        assertEquals(status, zipped.status(), () -> brief(zipped));
        assertEquals(status, plain.status(), () -> brief(plain));
        assertTrue(zipped.gzipped(), () -> "not gzipped: " + zipped.headers().map());
        assertEquals(GZIP, zipped.header("Content-Encoding"));
        assertFalse(plain.gzipped());
        assertNull(plain.header("Content-Encoding"));
        assertWhole(zipped);
        assertWhole(plain);
        assertTrue(plain.body().equals(zipped.body()), "the same body, gzipped or not");
        return plain;
    }

    private static String seeds(String... operations) {
        return "{\"batch\":[" + String.join(",", operations) + "]}";
    }

    private static String multipart(String... requests) {
        StringBuilder body = new StringBuilder();
        for (String request : requests) {
            body.append("--b\r\n").append(PART).append("\r\n").append(request).append("\r\n");
        }
        return body.append("--b--\r\n").toString();
    }

    @Test
    @DisplayName("§3 gzip on small answers when accepted, not otherwise: /version, a count, a document, errors, batches, "
            + "the multipart answer, the dashboard")
    void smallAnswersGzipped() {
        HttpProbe http = server.http();
        String version = assertGzippedWhenAccepted(200, headers -> http.get("/version", headers)).body();
        assertTrue(version.length() < 128, "a body smaller than the former threshold: " + version);
        assertGzippedWhenAccepted(200, headers -> http.get("/count/job?status=PASS", with(ADMIN, headers)));
        assertGzippedWhenAccepted(200, headers -> http.get("/job/" + "0".repeat(23) + "1", with(ADMIN, headers)));
        assertEquals("{\"code\":404,\"reason\":\"Resource not found\"}",
                assertGzippedWhenAccepted(404, headers -> http.get("/nothing-here", headers)).body());
        assertGzippedWhenAccepted(404, headers -> http.get("/job/" + "f".repeat(24), with(ADMIN, headers)));
        assertGzippedWhenAccepted(400, headers -> http.get("/job?limit=x", with(ADMIN, headers)));
        assertEquals("{\"code\":405,\"reason\":\"Operation not allowed\"}",
                assertGzippedWhenAccepted(405, headers -> http.post("/version", "{}", headers)).body());
        assertGzippedWhenAccepted(403, headers -> http.post("/batch", seeds(), with(headers, "Content-Type", JSON)));
        assertGzippedWhenAccepted(415, headers -> http.post("/batch", "{}", with(ADMIN, with(headers,
                "Content-Type", "text/plain"))));
        assertGzippedWhenAccepted(422, headers -> http.post("/batch", "{", with(ADMIN, with(headers,
                "Content-Type", JSON))));
        assertGzippedWhenAccepted(501, headers -> http.get("/batch", with(ADMIN, headers)));
        String count = "{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"job\"}";
        assertGzippedWhenAccepted(200, headers -> http.post("/batch", seeds(count),
                with(ADMIN, with(headers, "Content-Type", JSON))));
        assertGzippedWhenAccepted(200, headers -> http.post("/batch", "[{\"method\":\"GET\",\"collection\":\"job\","
                + "\"query\":\"limit=1\"}]", with(ADMIN, with(headers, "Content-Type", JSON))));
        String arango = assertGzippedWhenAccepted(200, headers -> http.post("/_api/batch",
                multipart("GET /version HTTP/1.1", "GET /count/job HTTP/1.1"),
                with(ADMIN, with(headers, "Content-Type", "multipart/form-data; boundary=b")))).body();
        assertTrue(arango.contains("\"kci-batch\""), arango);
        assertGzippedWhenAccepted(200, headers -> http.get("/dashboard/index.html", headers));
    }

    @Test
    @DisplayName("§3 a listing of 6,000 documents comes whole, with Content-Length, gzipped or not; so do batches")
    void largeAnswersWhole() {
        HttpProbe http = server.http();
        Reply listing = assertGzippedWhenAccepted(200, headers -> http.get("/job?limit=" + JOBS, with(ADMIN, headers)));
        JsonObject list = json(listing.body());
        assertEquals(JOBS, list.getJsonArray("result").size());
        assertTrue(listing.received() > SMALL_BUDGET, "larger than the small budget: " + listing.received());
        // HEAD: the length GET's body has; a 304: no body, not chunked either.
        Reply head = http.send("HEAD", "/job?limit=" + JOBS, null, ADMIN);
        assertEquals(200, head.status());
        assertEquals(Integer.toString(listing.received()), head.header("Content-Length"));
        Reply notModified = http.get("/job?limit=" + JOBS, with(ADMIN, "If-None-Match", listing.header("ETag")));
        assertEquals(304, notModified.status(), () -> brief(notModified));
        assertEquals(0, notModified.received());
        assertNull(notModified.header("Transfer-Encoding"));

        String all = "{\"method\":\"GET\",\"collection\":\"job\",\"query\":\"limit=" + JOBS + "\"}";
        String count = "{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"job\"}";
        Reply batch = assertGzippedWhenAccepted(200, headers -> http.post("/batch", seeds(all, count, all),
                with(ADMIN, with(headers, "Content-Type", JSON))));
        JsonArray entries = json(batch.body()).getJsonArray("result");
        assertEquals(JOBS, entries.getJsonObject(2).getJsonArray("result").size());

        Reply arango = assertGzippedWhenAccepted(200, headers -> http.post("/_api/batch",
                multipart("GET /job?limit=" + JOBS + " HTTP/1.1", "GET /version HTTP/1.1"),
                with(ADMIN, with(headers, "Content-Type", "multipart/form-data; boundary=b"))));
        assertTrue(arango.body().endsWith("--b--\r\n"), "the whole multipart answer");
    }

    @Test
    @DisplayName("§3 an answer past the byte budget is a 413 envelope, whole, sent before any of its body; "
            + "gzipped, the same answer fits")
    void answerOverBudget() {
        HttpProbe http = small.http();
        String reason = "The answer is larger than " + SMALL_BUDGET + " bytes, the most one answer may hold: "
                + "ask for fewer documents (limit, field) or split the batch";
        Reply refused = http.get("/job?limit=" + JOBS, ADMIN);
        assertEquals(413, refused.status(), () -> brief(refused));
        assertEquals("{\"code\":413,\"reason\":\"" + reason + "\"}", refused.body());
        assertNull(refused.header("ETag"), "no tag on a refusal");
        assertWhole(refused);
        Reply zipped = http.get("/job?limit=" + JOBS, with(ADMIN, "Accept-Encoding", GZIP));
        assertEquals(200, zipped.status(), () -> brief(zipped));
        assertTrue(zipped.received() < SMALL_BUDGET, "the budget counts the bytes sent: " + zipped.received());
        assertEquals(JOBS, json(zipped.body()).getJsonArray("result").size());
        assertWhole(zipped);

        String all = "{\"method\":\"GET\",\"collection\":\"job\",\"query\":\"limit=" + JOBS + "\"}";
        Reply batch = http.post("/batch", seeds(all), with(ADMIN, "Content-Type", JSON));
        assertEquals(413, batch.status(), () -> brief(batch));
        assertEquals("{\"code\":413,\"reason\":\"" + reason + "\"}", batch.body());
        assertWhole(batch);
        Reply arango = http.post("/_api/batch", multipart("GET /job?limit=" + JOBS + " HTTP/1.1"),
                with(ADMIN, "Content-Type", "multipart/form-data; boundary=b"));
        assertEquals(413, arango.status(), () -> brief(arango));
        assertEquals("{\"code\":413,\"reason\":\"" + reason + "\"}", arango.body());
        assertWhole(arango);
        // The service answers others all along.
        assertEquals(200, http.get("/count/job", ADMIN).status());
    }

    @Test
    @DisplayName("§4 streamed listings whose documents pass the batch's byte budget while written: a 413, not a 500 "
            + "or a cut-off answer")
    void streamedPastBudget() {
        String half = "{\"method\":\"GET\",\"collection\":\"job\",\"query\":\"limit=3000\"}";
        Reply reply = small.http().post("/batch", seeds(half, half, half),
                with(ADMIN, "Content-Type", JSON, "Accept-Encoding", GZIP));
        assertEquals(413, reply.status(), () -> brief(reply));
        assertTrue(reply.body().equals("{\"code\":413,\"reason\":\"The batch's documents hold more than " + SMALL_BUDGET
                + " bytes in all: ask for fewer (limit, field) or split the batch\"}"),
                () -> brief(reply));
        assertWhole(reply);
    }

    @Test
    @DisplayName("§4 a batch of 120 counts, as kernelci-frontend's job pages send, answers 200 with 120 entries")
    void manyCounts() {
        List<String> counts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            counts.add("{\"method\":\"GET\",\"operation_id\":\"c" + i + "\",\"collection\":\"count\","
                    + "\"document_id\":\"job\",\"query\":\"kernel=kernel-" + i + "\"}");
        }
        Reply reply = server.http().post("/batch", seeds(counts.toArray(String[]::new)),
                with(ADMIN, "Content-Type", JSON, "Accept-Encoding", GZIP));
        assertEquals(200, reply.status(), () -> brief(reply));
        assertTrue(reply.gzipped());
        JsonArray entries = json(reply.body()).getJsonArray("result");
        assertEquals(120, entries.size());
        for (int i = 0; i < 120; i++) {
            JsonObject entry = entries.getJsonObject(i);
            assertEquals("c" + i, entry.getString("operation_id"));
            assertEquals(200, entry.getInt("code"));
            assertEquals(i == 0 ? 0 : 1, entry.getJsonArray("result").getJsonObject(0).getInt("count"));
        }
        assertWhole(reply);
        String many = String.join(",", Collections.nCopies(1001, counts.get(0)));
        Reply tooMany = server.http().post("/batch", seeds(many), with(ADMIN, "Content-Type", JSON));
        assertEquals(400, tooMany.status(), () -> brief(tooMany));
        assertTrue(tooMany.body().contains("(the limit is 1000)"), () -> brief(tooMany));
        assertEquals(StandardCharsets.UTF_8.encode(tooMany.body()).remaining(), tooMany.received());
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.TestServer;

/** CONTRACT.md section 8, ArangoDB's batch of raw HTTP requests, over HTTP on a database of its own. */
class ArangoBatchIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String READER = "arango-reader";
    private static final String WRITER = "arango-writer";
    private static final String NOWHERE = "000000000000000000000000";
    private static final String PART = "Content-Type: application/x-arango-batchpart\r\n";
    private static final int MAX_OPERATIONS = 120;
    private static final int MAX_BODY_BYTES = 300_000;
    private static TestServer server;
    private static HttpProbe http;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.MAX_OPERATIONS, Integer.toString(MAX_OPERATIONS),
                Setting.MAX_BODY_BYTES, Integer.toString(MAX_BODY_BYTES)));
        http = server.http();
        server.addToken(READER, "can_get");
        server.addToken(WRITER, "can_get", "can_post", "can_delete");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A response as bytes: status, headers, the body un-gzipped. */
    record Raw(int status, java.net.http.HttpHeaders headers, byte[] body, boolean gzipped) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One part of a multipart answer. */
    record Answer(String contentId, int status, String statusLine, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            return headers.get("content-type");
        }
    }

    static Raw send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            boolean gzipped = "gzip".equals(response.headers().firstValue("Content-Encoding").orElse(null));
            if (gzipped) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            return new Raw(response.statusCode(), response.headers(), bytes, gzipped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Raw batch(String path, String boundary, byte[] body, String token, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", token));
        if (boundary != null) {
            all.addAll(List.of("Content-Type", "multipart/form-data; boundary=" + boundary));
        }
        all.addAll(List.of(headers));
        return send("POST", path, body, all.toArray(String[]::new));
    }

    /** The seed's body: parts joined by CRLF and the delimiter, the closing delimiter right after the last part. */
    static String seedBody(String boundary, List<String> parts) {
        return "--" + boundary + "\r\n" + String.join("\r\n--" + boundary + "\r\n", parts) + "--" + boundary + "--\r\n";
    }

    /** One part holding a request. */
    static String part(String contentId, String method, String target, String body, String... headers) {
        StringBuilder part = new StringBuilder(PART);
        if (contentId != null) {
            part.append("Content-Id: ").append(contentId).append("\r\n");
        }
        part.append("\r\n").append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            part.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            part.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body);
        }
        return part.toString();
    }

    /** A body of parts framed strictly: each part, then CRLF, the delimiter, and the closing one. */
    static byte[] body(String boundary, List<String> parts) {
        StringBuilder body = new StringBuilder();
        for (String part : parts) {
            body.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        return body.append("--").append(boundary).append("--\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a multipart answer strictly: delimiters, part headers, status line, headers, Content-Length bytes. */
    static List<Answer> answers(Raw reply, String boundary) {
        assertEquals(200, reply.status(), reply.text());
        assertEquals("multipart/form-data; boundary=" + boundary, reply.header("Content-Type"));
        byte[] body = reply.body();
        List<Answer> answers = new ArrayList<>();
        int[] at = {0};
        String delimiter = "--" + boundary;
        assertEquals(delimiter, line(body, at));
        while (true) {
            Map<String, String> mime = headers(body, at);
            assertEquals("application/x-arango-batchpart", mime.get("content-type"));
            String statusLine = line(body, at);
            assertTrue(statusLine.matches("HTTP/1\\.1 \\d{3} [A-Za-z ]+"), statusLine);
            Map<String, String> headers = headers(body, at);
            int length = Integer.parseInt(headers.get("content-length"));
            byte[] content = java.util.Arrays.copyOfRange(body, at[0], at[0] + length);
            at[0] += length;
            answers.add(new Answer(mime.get("content-id"), Integer.parseInt(statusLine.substring(9, 12)), statusLine,
                    headers, content));
            assertEquals("", line(body, at), "CRLF after the body");
            String next = line(body, at);
            if (next.equals(delimiter + "--")) {
                assertEquals(body.length, at[0], "nothing after the closing delimiter");
                return answers;
            }
            assertEquals(delimiter, next);
        }
    }

    private static String line(byte[] body, int[] at) {
        int start = at[0];
        while (at[0] + 1 < body.length && !(body[at[0]] == '\r' && body[at[0] + 1] == '\n')) {
            at[0]++;
        }
        assertTrue(at[0] + 1 < body.length, "a line without CRLF at " + start);
        String line = new String(body, start, at[0] - start, StandardCharsets.ISO_8859_1);
        at[0] += 2;
        return line;
    }

    private static Map<String, String> headers(byte[] body, int[] at) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(body, at); !line.isEmpty(); line = line(body, at)) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return headers;
    }

    /**
     * A Content-Type as a media type: the container respells the header of a plain answer (Jetty
     * writes {@code charset=utf-8}, Jersey {@code charset=UTF-8}, with or without a space).
     */
    static String mediaType(String contentType) {
        return contentType == null ? null : contentType.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    static String newBoot() {
        return WritesIT.newBoot(http, "arango");
    }

    static String reason(Raw reply) {
        return json(reply.text()).getString("reason");
    }

    @Test
    @DisplayName("§8 seed: five parts with Content-Id (version, DELETE, POST, GET, DELETE again), at /_api/batch")
    void seedFiveParts() {
        String deleted = newBoot();
        String read = newBoot();
        List<String> parts = List.of(
                PART + "Content-Id: myId1\r\n\r\nGET /version HTTP/1.1\r\n",
                PART + "Content-Id: myId2\r\n\r\nDELETE /boot/" + deleted + " HTTP/1.1\r\n",
                PART + "Content-Id: someId\r\n\r\nPOST /boot HTTP/1.1\r\nContent-Type: application/json\r\n\r\n"
                        + IngestIT.boot("arango", "seed") + "\r\n",
                PART + "Content-Id: nextId\r\n\r\nGET /boot/" + read + "?field=board HTTP/1.1\r\n",
                PART + "Content-Id: otherId\r\n\r\nDELETE /boot/" + deleted + " HTTP/1.1\r\n");
        Raw reply = batch("/_api/batch", "SomeBoundaryValue", seedBody("SomeBoundaryValue", parts).getBytes(StandardCharsets.UTF_8),
                WRITER);
        List<Answer> answers = answers(reply, "SomeBoundaryValue");
        assertEquals(List.of("myId1", "myId2", "someId", "nextId", "otherId"), answers.stream().map(Answer::contentId).toList());
        assertEquals(List.of(200, 200, 201, 200, 404), answers.stream().map(Answer::status).toList());
        assertEquals("HTTP/1.1 201 Created", answers.get(2).statusLine());
        assertEquals("HTTP/1.1 404 Not Found", answers.get(4).statusLine());
        assertEquals("1", reply.header("x-arango-errors"));
        assertEquals("1", reply.header("X-Batch-Errors"));
        assertEquals(http.get("/version").body(), answers.get(0).text());
        assertEquals("{\"code\":200,\"reason\":\"Resource '" + deleted + "' deleted\"}", answers.get(1).text());
        String created = json(answers.get(2).text()).getJsonArray("result").getJsonObject(0).getJsonObject("_id").getString("$oid");
        assertEquals(200, http.get("/boot/" + created, "Authorization", ADMIN).status());
        assertEquals("{\"code\":200,\"result\":[{\"_id\":{\"$oid\":\"" + read + "\"},\"board\":\"beaglebone\"}]}",
                answers.get(3).text());
        assertEquals("{\"code\":404,\"reason\":\"Resource '" + deleted + "' not found\"}", answers.get(4).text());
        for (Answer answer : answers) {
            assertEquals("application/json;charset=utf-8", mediaType(answer.contentType()));
        }
    }

    @Test
    @DisplayName("§8 seed: the implicit boundary (no Content-Type at /_api/batch, no boundary at /batch); two failing DELETEs")
    void seedImplicitBoundary() {
        List<String> parts = List.of(
                PART + "\r\nDELETE /boot/" + NOWHERE + " HTTP/1.1\r\n",
                PART + "\r\nDELETE boot/" + NOWHERE.replace('0', '1') + " HTTP/1.1\r\n");
        byte[] body = seedBody("SomeBoundaryValue", parts).getBytes(StandardCharsets.UTF_8);
        for (Raw reply : List.of(batch("/_api/batch", null, body, WRITER),
                batch("/batch", null, body, WRITER, "Content-Type", "multipart/form-data"))) {
            List<Answer> answers = answers(reply, "SomeBoundaryValue");
            assertEquals("2", reply.header("x-arango-errors"));
            assertEquals(List.of(404, 404), answers.stream().map(Answer::status).toList());
            assertNull(answers.get(0).contentId());
            assertEquals("{\"code\":404,\"reason\":\"Resource '" + NOWHERE.replace('0', '1') + "' not found\"}",
                    answers.get(1).text());
        }
        assertEquals(415, batch("/batch", null, body, WRITER).status(), "without a Content-Type, /batch stays JSON's");
    }

    /** Every target a part may hold, with the token sending it and its body; some outside the shared model. */
    private record Request(String method, String target, String body, String... headers) {
    }

    @Test
    @DisplayName("§8 generated mixes of reads: each part is byte for byte the plain request's answer (status, type, body)")
    void readsEqualPlainRequests() {
        String a = newBoot();
        String b = newBoot();
        List<Request> requests = List.of(
                new Request("GET", "/boot?board=beaglebone&sort=_id&limit=2", null),
                new Request("GET", "/boot?job=arango&field=board&field=job&skip=1&limit=3&sort_order=1", null),
                new Request("GET", "/boot/?board=nothing-here", null),
                new Request("GET", "/boot/" + a, null),
                new Request("GET", "boot/" + b + "?field=job", null),
                new Request("GET", "/boot/" + NOWHERE, null),
                new Request("GET", "/boot/not-an-id", null),
                new Request("GET", "/boot/regressions", null),
                new Request("GET", "/count", null),
                new Request("GET", "/count/boot?board=beaglebone", null),
                new Request("GET", "/count/nothing", null),
                new Request("GET", "/count?unknown_key_everywhere=1", null),
                new Request("GET", "/boot/distinct/board?job=arango", null),
                new Request("GET", "/boot/distinct/metadata", null),
                new Request("GET", "/version", null),
                new Request("GET", "/health", null),
                new Request("GET", "/nothing/here", null),
                new Request("GET", "/boot?limit=abc", null),
                new Request("GET", "/boot?gte=status", null),
                new Request("GET", "/lab", null),
                new Request("GET", "/token", null),
                new Request("POST", "/version", null),
                new Request("PATCH", "/boot/" + a, "{}", "Content-Type", "application/json"),
                new Request("GET", "/boot/" + a, null, "Accept", "application/json; charset=UTF-8"),
                new Request("GET", "/boot/" + a, null, "Accept", "text/html"),
                new Request("GET", "/b%6Fot/" + a, null),
                new Request("GET", "/boot/" + a, null, "Authorization", ADMIN),
                new Request("GET", "/lab", null, "Authorization", ADMIN));
        Random random = new Random(20261202);
        for (int round = 0; round < 4; round++) {
            List<Request> mix = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                mix.add(requests.get(round == 0 ? i % requests.size() : random.nextInt(requests.size())));
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < mix.size(); i++) {
                Request request = mix.get(i);
                parts.add(part("p" + i, request.method(), request.target(), request.body(), request.headers()));
            }
            Raw reply = batch("/batch", "mix" + round, body("mix" + round, parts), READER);
            List<Answer> answers = answers(reply, "mix" + round);
            assertEquals(mix.size(), answers.size());
            int errors = 0;
            for (int i = 0; i < mix.size(); i++) {
                Request request = mix.get(i);
                List<String> headers = new ArrayList<>(List.of(request.headers()));
                // The envelope's token, whatever the part says.
                int auth = headers.indexOf("Authorization");
                if (auth >= 0) {
                    headers.remove(auth + 1);
                    headers.remove(auth);
                }
                headers.addAll(List.of("Authorization", READER));
                String target = request.target().startsWith("/") ? request.target() : "/" + request.target();
                Raw plain = send(request.method(), target, request.body() == null ? null
                        : request.body().getBytes(StandardCharsets.UTF_8), headers.toArray(String[]::new));
                Answer answer = answers.get(i);
                String what = request.method() + " " + request.target() + " " + List.of(request.headers());
                assertEquals("p" + i, answer.contentId());
                assertEquals(plain.status(), answer.status(), what);
                assertEquals(mediaType(plain.header("Content-Type")), mediaType(answer.contentType()), what);
                assertEquals(plain.text(), answer.text(), what);
                assertArrayEquals(plain.body(), answer.body(), what);
                errors += answer.status() >= 400 ? 1 : 0;
            }
            assertEquals(errors == 0 ? null : Integer.toString(errors), reply.header("x-arango-errors"));
        }
    }

    /** The answer with the document's id and write time made neutral, to compare two writes of different documents. */
    private static String neutral(String text, String id) {
        return text.replace(id, "<id>").replaceAll("\"updated_on\":\\{\"\\$date\":\\d+}", "\"updated_on\":<time>")
                .replaceAll("\"created_on\":\\{\"\\$date\":\\d+}", "\"created_on\":<time>");
    }

    @Test
    @DisplayName("§8 writes: each part answers what the same write of a fresh equivalent document answers alone")
    void writesEqualPlainRequests() {
        record Write(String method, String target, String body, String contentType) {
        }
        List<Write> writes = List.of(
                new Write("PUT", "/boot/%s", "{\"board\":\"put-by-arango\",\"warnings\":3}", "application/json"),
                new Write("PUT", "/boot/%s", "{\"board\":", "application/json"),
                new Write("PUT", "/boot/%s", "{\"no_such_member\":1}", "application/json"),
                new Write("PUT", "/boot/%s", "{\"board\":\"x\"}", "text/plain"),
                new Write("PUT", "/boot/%s", "{\"_id\":\"x\"}", "application/json"),
                new Write("DELETE", "/boot/%s", null, null),
                new Write("DELETE", "/boot/%s/", null, null),
                new Write("POST", "/job", "{\"job\":\"arango\",\"kernel\":\"v%s\"}", "application/json"),
                new Write("POST", "/job", "{\"job\":1}", "application/json"),
                new Write("POST", "/lab", "{}", "application/json"));
        for (Write write : writes) {
            String inBatch = newBoot();
            String alone = newBoot();
            String[] headers = write.contentType() == null ? new String[0] : new String[] {"Content-Type", write.contentType()};
            Raw reply = batch("/batch", "w", body("w", List.of(part(null, write.method(),
                    write.target().formatted(inBatch), write.body() == null ? null : write.body().formatted(inBatch),
                    headers))), WRITER);
            Answer answer = answers(reply, "w").get(0);
            List<String> plainHeaders = new ArrayList<>(List.of(headers));
            plainHeaders.addAll(List.of("Authorization", WRITER));
            Raw plain = send(write.method(), write.target().formatted(alone), write.body() == null ? null
                    : write.body().formatted(alone).getBytes(StandardCharsets.UTF_8), plainHeaders.toArray(String[]::new));
            String what = write.method() + " " + write.target() + " " + write.body();
            assertEquals(plain.status(), answer.status(), what);
            assertEquals(mediaType(plain.header("Content-Type")), mediaType(answer.contentType()), what);
            if (write.method().equals("POST") && plain.status() == 201) {
                assertTrue(answer.text().matches("\\{\"code\":201,\"result\":\\[\\{\"_id\":\\{\"\\$oid\":\"[0-9a-f]{24}\"}}]}"),
                        answer.text());
            } else {
                assertEquals(neutral(plain.text(), alone), neutral(answer.text(), inBatch), what);
            }
        }
    }

    @Test
    @DisplayName("§8 parts run in order: a GET after a PUT sees it, also a GET outside the model after a write")
    void order() {
        String id = newBoot();
        Raw reply = batch("/batch", "o", body("o", List.of(
                part(null, "PUT", "/boot/" + id, "{\"board\":\"first\"}", "Content-Type", "application/json"),
                part(null, "GET", "/boot/" + id + "?field=board", null),
                part(null, "GET", "/boot/" + id + "?field=board", null, "Accept", "application/json; q=1"),
                part(null, "PUT", "/boot/" + id, "{\"board\":\"second\"}", "Content-Type", "application/json"),
                part(null, "GET", "/boot/" + id + "?field=board", null))), WRITER);
        List<Answer> answers = answers(reply, "o");
        assertNull(reply.header("x-arango-errors"));
        String first = "{\"code\":200,\"result\":[{\"_id\":{\"$oid\":\"" + id + "\"},\"board\":\"first\"}]}";
        assertEquals(first, answers.get(1).text());
        assertEquals(first, answers.get(2).text());
        assertEquals(first.replace("first", "second"), answers.get(4).text());
    }

    /** A counter of {@code /metrics}, 0 when it has not counted yet. */
    static double metric(String series) {
        String text = http.get("/metrics", "Authorization", ADMIN).body();
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).strip())).orElse(0.0);
    }

    @Test
    @DisplayName("§8 parts the model expresses run in the shared executor; the others as requests of their own")
    void modelOrInProcess() {
        String id = newBoot();
        String byId = "kci_http_requests_seconds_count{method=\"GET\",route=\"/{collection}/{id}\",status=\"200\"}";
        double before = metric(byId);
        List<Answer> answers = answers(batch("/batch", "m", body("m", List.of(
                part(null, "GET", "/boot/" + id, null),
                part(null, "GET", "/boot/" + id + "?field=board", null, "Accept", "*/*"),
                part(null, "GET", "/boot/" + id, null, "Accept", "application/json; q=1"))), READER), "m");
        assertEquals(List.of(200, 200, 200), answers.stream().map(Answer::status).toList());
        assertEquals(answers.get(0).text(), answers.get(2).text());
        assertEquals(before + 1, metric(byId), "only the part with an Accept the model leaves alone ran as a request");
    }

    @Test
    @DisplayName("§8 a query with characters a URI may not hold ('|', '{') reads as the plain request with them encoded")
    void unsafeQueryCharacters() {
        String id = newBoot();
        List<Answer> answers = answers(batch("/batch", "q", body("q", List.of(
                part(null, "GET", "/boot?board=beaglebone|x&field=board&job={arango}", null),
                part(null, "GET", "/boot/" + id + "?field=board&x=|", null, "Accept", "application/json; q=1"))), READER), "q");
        assertEquals(http.get("/boot?board=beaglebone%7Cx&field=board&job=%7Barango%7D", "Authorization", READER).body(),
                answers.get(0).text());
        assertEquals(http.get("/boot/" + id + "?field=board", "Authorization", READER).body(), answers.get(1).text());
    }

    @Test
    @DisplayName("§8 the envelope's token authorises each part as its own request; a part's Authorization is not used")
    void envelopeToken() {
        String id = newBoot();
        Raw reply = batch("/batch", "t", body("t", List.of(
                part(null, "DELETE", "/boot/" + id, null, "Authorization", ADMIN),
                part(null, "GET", "/lab", null, "Authorization", ADMIN),
                part(null, "GET", "/boot/" + id + "?field=_id", null),
                part(null, "POST", "/token", "{}", "Content-Type", "application/json", "Authorization", ADMIN))), READER);
        List<Answer> answers = answers(reply, "t");
        assertEquals(List.of(403, 403, 200, 403), answers.stream().map(Answer::status).toList());
        assertEquals("3", reply.header("x-arango-errors"));
        assertEquals(200, http.get("/boot/" + id, "Authorization", ADMIN).status(), "not deleted");
        assertEquals(403, batch("/batch", "t", body("t", List.of(part(null, "GET", "/version", null))), "nobody").status());
    }

    @Test
    @DisplayName("§8 batches do not nest: /batch, /_api/batch, an encoded or matrix spelling: 400 in the part")
    void noNesting() {
        String inner = new String(body("i", List.of(part(null, "GET", "/version", null))), StandardCharsets.UTF_8);
        Raw reply = batch("/batch", "n", body("n", List.of(
                part(null, "POST", "/batch", inner, "Content-Type", "multipart/form-data; boundary=i"),
                part(null, "POST", "/_api/batch/", "{\"batch\":[]}", "Content-Type", "application/json"),
                part(null, "POST", "/b%61tch", inner, "Content-Type", "multipart/form-data; boundary=i"),
                part(null, "POST", "/batch;x=1", inner, "Content-Type", "multipart/form-data; boundary=i"),
                part(null, "GET", "/version", null))), ADMIN);
        List<Answer> answers = answers(reply, "n");
        assertEquals(List.of(400, 400, 400, 400, 200), answers.stream().map(Answer::status).toList());
        assertEquals("{\"code\":400,\"reason\":\"part[0]: a batch cannot hold a batch\"}", answers.get(0).text());
        assertEquals("{\"code\":400,\"reason\":\"part[2]: a batch cannot hold a batch\"}", answers.get(2).text());
        // Jersey matches /batch;x=1 as /batch: the resource itself refuses a batch inside a part.
        assertEquals("{\"code\":400,\"reason\":\"A batch cannot hold a batch\"}", answers.get(3).text());
        assertEquals("4", reply.header("x-arango-errors"));
    }

    @Test
    @DisplayName("§8 + §7 atomic: a failing part keeps its error, the others are 424 and nothing is written")
    void atomic() {
        String id = newBoot();
        String board = json(http.get("/boot/" + id, "Authorization", ADMIN).body()).getJsonArray("result")
                .getJsonObject(0).getString("board");
        byte[] failing = body("a", List.of(
                part("put", "PUT", "/boot/" + id, "{\"board\":\"atomic\"}", "Content-Type", "application/json"),
                part("version", "GET", "/version", null),
                part("missing", "DELETE", "/boot/" + NOWHERE, null)));
        List<Answer> answers = answers(batch("/batch?atomic=true", "a", failing, WRITER), "a");
        assertEquals(List.of(424, 424, 404), answers.stream().map(Answer::status).toList());
        assertEquals("{\"code\":424,\"reason\":\"Not applied: operation 2 failed and the batch is atomic\"}",
                answers.get(0).text());
        assertEquals("HTTP/1.1 424 Failed Dependency", answers.get(1).statusLine());
        assertEquals(board, json(http.get("/boot/" + id, "Authorization", ADMIN).body()).getJsonArray("result")
                .getJsonObject(0).getString("board"));

        List<Answer> plainWrite = answers(batch("/batch?atomic=true", "a", body("a", List.of(
                part(null, "PUT", "/boot/" + id, "{\"board\":\"atomic\"}", "Content-Type", "application/json"),
                part(null, "POST", "/token", "{}", "Content-Type", "application/json"))), ADMIN), "a");
        assertEquals(List.of(424, 400), plainWrite.stream().map(Answer::status).toList());
        assertEquals("part[1]: POST /token is not undone by a rollback, so it cannot be part of an atomic batch",
                json(plainWrite.get(1).text()).getString("reason"));

        List<Answer> applied = answers(batch("/batch?atomic=true", "a", body("a", List.of(
                part(null, "PUT", "/boot/" + id, "{\"board\":\"atomic\"}", "Content-Type", "application/json"),
                part(null, "GET", "/version", null))), WRITER), "a");
        assertEquals(List.of(200, 200), applied.stream().map(Answer::status).toList());
        assertTrue(applied.get(0).text().contains("\"board\":\"atomic\""), applied.get(0).text());
        assertEquals(400, batch("/batch?atomic=yes", "a", failing, WRITER).status());
    }

    @Test
    @DisplayName("§8 malformed envelopes are a 400 for the whole request naming the part; limits as §4")
    void envelopeErrors() {
        String version = part(null, "GET", "/version", null);
        assertEquals("part[1]: the part's Content-Type must be application/x-arango-batchpart, not 'text/plain'",
                reason(batch("/batch", "e", ("--e\r\n" + version + "\r\n--e\r\nContent-Type: text/plain\r\n\r\nGET / HTTP/1.1"
                        + "\r\n--e--").getBytes(StandardCharsets.UTF_8), READER)));
        assertEquals("part[0]: the closing boundary '--e--' is missing",
                reason(batch("/batch", "e", ("--e\r\n" + version).getBytes(StandardCharsets.UTF_8), READER)));
        assertEquals("part[0]: Content-Length 9999 is larger than the 2 bytes that follow",
                reason(batch("/batch", "e", ("--e\r\n" + PART + "\r\nPUT /boot/1 HTTP/1.1\r\nContent-Length: 9999\r\n\r\n{}"
                        + "\r\n--e--").getBytes(StandardCharsets.UTF_8), WRITER)));
        assertEquals("No multipart boundary: the Content-Type has no 'boundary' parameter and the body does not begin"
                + " with '--<boundary>'", reason(batch("/batch", null, "{}".getBytes(StandardCharsets.UTF_8), READER,
                "Content-Type", "multipart/form-data")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= MAX_OPERATIONS; i++) {
            many.add(version);
        }
        assertEquals("Too many parts in the batch: " + (MAX_OPERATIONS + 1) + " (the limit is " + MAX_OPERATIONS + ")",
                reason(batch("/batch", "e", body("e", many), READER)));
        Raw large = batch("/batch", "e", body("e", List.of(part(null, "PUT", "/boot/" + NOWHERE,
                "{\"board\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}", "Content-Type", "application/json"))), WRITER);
        assertEquals(413, large.status(), large.text());
    }

    @Test
    @DisplayName("§8 gzip of the whole answer when accepted; the parts' bodies inside are plain")
    void gzip() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            parts.add(part(null, "GET", "/version", null, "Accept-Encoding", "gzip"));
        }
        Raw reply = batch("/batch", "g", body("g", parts), READER, "Accept-Encoding", "gzip");
        assertTrue(reply.gzipped());
        for (Answer answer : answers(reply, "g")) {
            assertEquals(http.get("/version").body(), answer.text());
            assertNull(answer.headers().get("content-encoding"));
        }
    }

    @Test
    @DisplayName("§8 hostile bodies: no boundary, never closed, 10,000 parts, 50 MB, 1 MB header lines, garbage: never a 500")
    void hostileBodies() {
        Random random = new Random(20261203);
        String version = part(null, "GET", "/version", null);
        List<byte[]> bodies = new ArrayList<>();
        bodies.add("no boundary here".getBytes(StandardCharsets.UTF_8));
        bodies.add(("--h\r\n" + version + "\r\n--h\r\n" + version).getBytes(StandardCharsets.UTF_8));
        bodies.add(body("h", java.util.Collections.nCopies(10_000, version)));
        bodies.add(body("h", java.util.Collections.nCopies(10_000, "")));
        byte[] huge = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        byte[] head = ("--h\r\n" + PART + "\r\nPUT /boot/" + NOWHERE + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, huge, 0, head.length);
        bodies.add(huge);
        bodies.add(body("h", List.of(PART + "X-Long: " + "y".repeat(1 << 20) + "\r\n\r\nGET /version HTTP/1.1")));
        bodies.add(body("h", List.of(part(null, "GET", "/version", null, "X-Long", "z".repeat(1 << 20)))));
        bodies.add(body("h", List.of("Content-Type: application/json\r\n\r\nGET /version HTTP/1.1",
                "Content-Type: multipart/form-data\r\n\r\nGET /version HTTP/1.1")));
        for (int round = 0; round < 40; round++) {
            byte[] garbage = new byte[random.nextInt(4096)];
            random.nextBytes(garbage);
            if (round % 2 == 0) {
                byte[] framed = new byte[garbage.length + 5];
                System.arraycopy("--h\r\n".getBytes(StandardCharsets.US_ASCII), 0, framed, 0, 5);
                System.arraycopy(garbage, 0, framed, 5, garbage.length);
                garbage = framed;
            }
            bodies.add(garbage);
        }
        String[] pieces = {"--h", "\r\n", "\n", PART, "Content-Id: x\r\n", "GET /version HTTP/1.1", "PUT /boot/1 HTTP/1.1",
            "Content-Length: 3", "Content-Length: 99999999", ":", "--h--", "\u0000", "{}", "POST /batch HTTP/1.1",
            "GET /boot?limit=abc HTTP/1.1", "DELETE /boot/" + NOWHERE + " HTTP/1.1"};
        for (int round = 0; round < 80; round++) {
            StringBuilder body = new StringBuilder("--h\r\n");
            for (int i = random.nextInt(30); i > 0; i--) {
                body.append(pieces[random.nextInt(pieces.length)]);
            }
            bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] body : bodies) {
            for (String boundary : new String[] {"h", null}) {
                Raw reply;
                try {
                    reply = batch(random.nextBoolean() ? "/batch" : "/_api/batch", boundary, body, WRITER,
                            boundary == null ? new String[] {"Content-Type", "multipart/form-data"} : new String[0]);
                } catch (UncheckedIOException closed) {
                    // A body larger than the service ever reads (8 times its 1 MiB limit) is refused
                    // with a 413 before it has all arrived, and the connection closed: a client
                    // still writing may see the close instead of the 413. Only for those bodies.
                    assertTrue(body.length > 8 * 1024 * 1024, "a body of " + body.length + " bytes: " + closed);
                    continue;
                }
                assertTrue(List.of(200, 400, 413).contains(reply.status()),
                        reply.status() + " " + new String(reply.body(), 0, Math.min(300, reply.body().length),
                                StandardCharsets.UTF_8));
                if (reply.status() == 200) {
                    for (Answer answer : answers(reply, boundary == null ? "h" : boundary)) {
                        assertTrue(answer.status() < 500, answer.statusLine() + " " + answer.text());
                    }
                }
            }
        }
        assertEquals(200, http.get("/health").status());
    }

    @Test
    @DisplayName("§8 the answer's framing is what the test reads: CRLF, delimiters, Content-Length")
    void framing() {
        Raw reply = batch("/batch", "f", body("f", List.of(part("1", "GET", "/version", null))), READER);
        byte[] version = http.get("/version").body().getBytes(StandardCharsets.UTF_8);
        String head = "--f\r\nContent-Type: application/x-arango-batchpart\r\nContent-Id: 1\r\n\r\nHTTP/1.1 200 OK\r\n";
        String text = new String(reply.body(), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith(head), text);
        assertTrue(text.contains("\r\nContent-Length: " + version.length + "\r\n\r\n" + new String(version,
                StandardCharsets.ISO_8859_1) + "\r\n--f--\r\n"), text);
    }
}

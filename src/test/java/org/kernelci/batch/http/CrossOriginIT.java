package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** CORS and the dashboard's frame-ancestors over real HTTP, with the portal settings and without. */
class CrossOriginIT {
    private static final String PORTAL = "https://portal.example.org";
    private static final String OTHER_PORTAL = "http://127.0.0.1:8181";
    private static final String UNLISTED = "https://evil.example.org";
    private static final String READER = "cors-reader";
    private static final String BATCH = """
            {"batch":[{"method":"GET","operation_id":"n","collection":"count","document_id":"boot","query":"status=FAIL"},
                      {"method":"GET","operation_id":"l","collection":"boot","query":"limit=1"}]}""";
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of(
                Setting.CORS_ORIGINS, PORTAL + ", " + OTHER_PORTAL,
                Setting.FRAME_ANCESTORS, PORTAL + " 'self'"));
        http = server.http();
        // The first request is a preflight: the filter knows the origins before Jersey answered anything.
        Reply first = preflight("/batch", PORTAL, "POST", "authorization, content-type");
        assertEquals(204, first.status(), first.body());
        server.addToken(READER, "can_get");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Reply preflight(String path, String origin, String method, String headers) {
        List<String> sent = new ArrayList<>(List.of("Origin", origin));
        if (method != null) {
            sent.addAll(List.of("Access-Control-Request-Method", method));
        }
        if (headers != null) {
            sent.addAll(List.of("Access-Control-Request-Headers", headers));
        }
        return http.send("OPTIONS", path, null, sent.toArray(String[]::new));
    }

    private static List<String> listed(Reply reply, String header) {
        return reply.headers().allValues(header).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .toList();
    }

    private static void assertCors(Reply reply, String origin) {
        assertEquals(origin, reply.header("Access-Control-Allow-Origin"), reply.headers().toString());
        assertEquals("true", reply.header("Access-Control-Allow-Credentials"));
        assertEquals(List.of("ETag", "Server-Timing", "X-Kci-Ignored", "X-Batch-Errors", "Retry-After", "Location",
                        "Idempotent-Replayed"),
                listed(reply, "Access-Control-Expose-Headers"));
        assertTrue(listed(reply, "Vary").contains("Origin"), reply.headers().toString());
    }

    private static void assertNoCors(Reply reply) {
        List<String> cors = reply.headers().map().keySet().stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-")
                        || name.equalsIgnoreCase("Timing-Allow-Origin"))
                .toList();
        assertEquals(List.of(), cors, reply.headers().toString());
        assertFalse(listed(reply, "Vary").contains("Origin"), reply.headers().toString());
    }

    private static void assertRefused(Reply reply, String reasonPart) {
        assertEquals(403, reply.status(), reply.body());
        assertTrue(reply.header("Content-Type").startsWith("application/json"));
        JsonObject body = json(reply.body());
        assertEquals(403, body.getInt("code"));
        assertTrue(body.getString("reason").contains(reasonPart), body.getString("reason"));
        assertNoCors(reply);
    }

    @Test
    @DisplayName("a listed origin's preflight: 204, that origin, credentials, the route's methods, the API's headers, Vary")
    void preflightFromListedOrigin() {
        for (String origin : List.of(PORTAL, OTHER_PORTAL)) {
            Reply reply = preflight("/batch", origin, "POST",
                    "authorization,content-type,if-none-match,x-appery-session-token,idempotency-key");
            assertEquals(204, reply.status(), reply.body());
            assertEquals("", reply.body());
            assertEquals(origin, reply.header("Access-Control-Allow-Origin"));
            assertEquals("true", reply.header("Access-Control-Allow-Credentials"));
            assertEquals(List.of("POST"), listed(reply, "Access-Control-Allow-Methods"));
            assertEquals(List.of("Authorization", "Content-Type", "Content-Encoding", "If-None-Match",
                    "X-Appery-Session-Token", "Accept", "Idempotency-Key"), listed(reply, "Access-Control-Allow-Headers"));
            assertEquals("3600", reply.header("Access-Control-Max-Age"));
            assertTrue(listed(reply, "Vary").contains("Origin"));
        }
        Reply count = preflight("/count/boot", PORTAL, "GET", "authorization");
        assertEquals(204, count.status());
        assertEquals(List.of("GET"), listed(count, "Access-Control-Allow-Methods"));
        Reply document = preflight("/boot/547c3c20a000000000000001", PORTAL, "PUT", null);
        assertEquals(204, document.status());
        assertEquals(List.of("GET", "PUT", "DELETE"), listed(document, "Access-Control-Allow-Methods"));
    }

    @Test
    @DisplayName("the README's preflight sample is what the service answers")
    void readmeSample() throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("README.md"));
        int start = lines.indexOf("    HTTP/1.1 204 No Content");
        assertTrue(start > 0, "the README shows a preflight's answer");
        Reply reply = preflight("/batch", PORTAL, "POST", "authorization, content-type");
        assertEquals(204, reply.status());
        int shown = 0;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.isBlank()) {
                break;
            }
            String[] header = line.strip().split(": ", 2);
            assertEquals(header[1], String.join(", ", reply.headers().allValues(header[0])), line);
            shown++;
        }
        assertEquals(6, shown);
    }

    @Test
    @DisplayName("every route openapi.json describes: a preflight allows each method that answers more than errors, refuses the others")
    void preflightForEveryRoute() {
        JsonObject paths = json(http.get("/openapi.json").body()).getJsonObject("paths");
        int checked = 0;
        for (String template : paths.keySet()) {
            if (template.startsWith("/dashboard")) {
                continue;
            }
            String path = template.replace("{collection}", "boot").replace("{id}", "547c3c20a000000000000001")
                    .replace("{field}", "board");
            for (Map.Entry<String, jakarta.json.JsonValue> operation : paths.getJsonObject(template).entrySet()) {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                boolean answers = operation.getValue().asJsonObject().getJsonObject("responses").keySet().stream()
                        .anyMatch(status -> status.startsWith("2") || status.equals("304"));
                Reply reply = preflight(path, PORTAL, method, "authorization");
                if (answers) {
                    assertEquals(204, reply.status(), method + " " + template + ": " + reply.body());
                    assertTrue(listed(reply, "Access-Control-Allow-Methods").contains(method), method + " " + template);
                } else {
                    assertRefused(reply, "Method '" + method + "' is not allowed on '" + path + "'");
                }
                checked++;
            }
        }
        assertTrue(checked > 30, "routes checked: " + checked);
    }

    @Test
    @DisplayName("a listed origin's requests carry the CORS headers on every answer: 200, errors (403, 404, 405), and a kept batch's 304")
    void actualRequestsFromListedOrigin() {
        Reply count = http.get("/count/boot", "Origin", PORTAL, "Authorization", READER);
        assertEquals(200, count.status(), count.body());
        assertCors(count, PORTAL);
        assertEquals(PORTAL, count.header("Timing-Allow-Origin"));
        assertNotNull(count.header("ETag"));
        assertCors(http.get("/count/boot", "Origin", PORTAL), PORTAL);
        assertEquals(403, http.get("/count/boot", "Origin", PORTAL).status(), "no token");
        Reply missing = http.get("/no-such-collection", "Origin", PORTAL, "Authorization", READER);
        assertEquals(404, missing.status());
        assertCors(missing, PORTAL);
        Reply wrongMethod = http.send("PATCH", "/batch", null, "Origin", PORTAL, "Authorization", READER);
        assertEquals(405, wrongMethod.status());
        assertCors(wrongMethod, PORTAL);
        Reply ignored = http.get("/boot?no_such_key=1", "Origin", OTHER_PORTAL, "Authorization", READER);
        assertEquals(200, ignored.status());
        assertCors(ignored, OTHER_PORTAL);
        assertNotNull(ignored.header("X-Kci-Ignored"));

        Reply batch = http.post("/batch", BATCH, "Origin", PORTAL, "Authorization", READER, "Content-Type", "application/json");
        assertEquals(200, batch.status(), batch.body());
        assertCors(batch, PORTAL);
        assertNotNull(batch.header("Server-Timing"));
        double kept = keptAnswers();
        Reply notModified = http.post("/batch", BATCH, "Origin", PORTAL, "Authorization", READER,
                "Content-Type", "application/json", "If-None-Match", batch.header("ETag"));
        assertEquals(304, notModified.status());
        assertEquals(kept + 1, keptAnswers(), "answered by ConditionalBatchFilter, before Jersey");
        assertCors(notModified, PORTAL);
        assertEquals(List.of("Accept-Encoding", "Origin"), listed(notModified, "Vary"));
        Reply viaJersey = http.get("/count/boot", "Origin", PORTAL, "Authorization", READER,
                "If-None-Match", count.header("ETag"));
        assertEquals(304, viaJersey.status());
        assertCors(viaJersey, PORTAL);
    }

    /** How many 304s the service answered from kept batches before Jersey. */
    private static double keptAnswers() {
        Reply metrics = http.get("/metrics", "Authorization", TestServer.ADMIN_TOKEN);
        assertEquals(200, metrics.status());
        Matcher total = Pattern.compile("(?m)^kci_batch_kept_not_modified_total (\\S+)$").matcher(metrics.body());
        assertTrue(total.find(), "the counter is published");
        return Double.parseDouble(total.group(1));
    }

    @Test
    @DisplayName("an unlisted origin: no CORS header, and the same answer as without an Origin")
    void unlistedOrigin() {
        for (String origin : List.of(UNLISTED, "https://portal.example.org.evil.example.org", "http://portal.example.org",
                "null")) {
            Reply preflight = preflight("/batch", origin, "POST", "authorization");
            Reply plainOptions = http.send("OPTIONS", "/batch", null);
            assertEquals(plainOptions.status(), preflight.status(), origin);
            assertNoCors(preflight);
            Reply count = http.get("/count/boot", "Origin", origin, "Authorization", READER);
            Reply plain = http.get("/count/boot", "Authorization", READER);
            assertEquals(200, count.status());
            assertEquals(plain.body(), count.body());
            assertEquals(plain.header("ETag"), count.header("ETag"));
            assertNoCors(count);
        }
        assertNoCors(http.get("/count/boot", "Authorization", READER));
    }

    @Test
    @DisplayName("bad input: a malformed Origin, a method the route does not take, no requested method: a 403 naming it, never a 500")
    void badInput() {
        assertRefused(http.get("/count/boot", "Origin", PORTAL + "/", "Authorization", READER),
                "The Origin header is not one origin (scheme://host[:port]): 'https://portal.example.org/'");
        assertRefused(preflight("/batch", PORTAL + " " + UNLISTED, "POST", null),
                "is not one origin (scheme://host[:port]): 'https://portal.example.org https://evil.example.org'");
        assertRefused(http.get("/count/boot", "Origin", PORTAL, "Origin", PORTAL), "is not one origin");
        assertRefused(http.get("/count/boot", "Origin", "javascript:alert(1)<\u00e9>"),
                "'javascript:alert(1)<?>'");
        assertRefused(preflight("/batch", PORTAL, "DELETE", null),
                "Method 'DELETE' is not allowed on '/batch' from https://portal.example.org (allowed: POST)");
        assertRefused(preflight("/count/boot", PORTAL, "POST", null), "(allowed: GET)");
        assertRefused(preflight("/batch", PORTAL, null, null), "without Access-Control-Request-Method");
        assertRefused(preflight("/batch", PORTAL, "POST", "authorization, x-requested-with"),
                "Header 'x-requested-with' is not allowed");
        assertRefused(preflight("/count/boot/extra", PORTAL, "GET", null), "No API route at '/count/boot/extra'");
    }

    @Test
    @DisplayName("the dashboard's files take no CORS; their frame-ancestors is KCI_FRAME_ANCESTORS")
    void dashboard() {
        Reply page = http.get("/dashboard/", "Origin", PORTAL);
        assertEquals(200, page.status());
        assertNoCors(page);
        assertTrue(page.header("Content-Security-Policy").endsWith("; frame-ancestors https://portal.example.org 'self'"),
                page.header("Content-Security-Policy"));
        assertNull(page.header("X-Frame-Options"));
        assertNoCors(preflight("/dashboard/index.html", PORTAL, "GET", null));
    }

    @Test
    @DisplayName("without the settings: no CORS header anywhere, whatever the Origin; frame-ancestors 'none'")
    void offByDefault() {
        TestServer plain = FixtureServer.get();
        for (String origin : List.of(PORTAL, "not an origin")) {
            Reply preflight = plain.http().send("OPTIONS", "/batch", null, "Origin", origin,
                    "Access-Control-Request-Method", "POST");
            assertEquals(plain.http().send("OPTIONS", "/batch", null).status(), preflight.status());
            assertNoCors(preflight);
            Reply count = plain.http().get("/count/boot", "Origin", origin, "Authorization", FixtureServer.READER_TOKEN);
            assertEquals(200, count.status());
            assertNoCors(count);
        }
        assertTrue(plain.http().get("/dashboard/").header("Content-Security-Policy").endsWith("; frame-ancestors 'none'"));
    }
}

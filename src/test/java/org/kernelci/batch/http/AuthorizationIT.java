package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;
import org.slf4j.LoggerFactory;

/** CONTRACT.md section 5 on a real service: permissions, expiry, addresses, token management. */
class AuthorizationIT {
    private static final String FORBIDDEN = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";
    private static final String JOB = "547c3c20a000000000000001";
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static HttpProbe http;
    private static TestServer behindProxy;

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOG.start();
        root.addAppender(LOG);
        // Everything the service's libraries log, down to DEBUG, is searched for secrets.
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        // The test's own HTTP client (java.net.http) is no part of the service.
        ((Logger) LoggerFactory.getLogger("jdk")).setLevel(ch.qos.logback.classic.Level.INFO);
        http = FixtureServer.get().http();
        behindProxy = TestServer.start(FixtureServer.get().jdbcUrl(), Clock.fixed(FixtureServer.NOW, ZoneOffset.UTC),
                Map.of(Setting.TRUSTED_PROXIES, "127.0.0.1, 192.168.0.0/16"));
        make("none", "{\"email\":\"n@x\"}");
        make("get", "{\"email\":\"g@x\",\"get\":true}");
        make("post", "{\"email\":\"p@x\",\"post\":true}");
        make("lab", "{\"email\":\"l@x\",\"post\":true,\"delete\":true,\"lab\":true}");
        make("superuser", "{\"email\":\"s@x\",\"superuser\":true}");
        make("admin", "{\"email\":\"a@x\",\"admin\":true}");
        make("creator", "{\"email\":\"c@x\",\"create_token\":true,\"get\":true}");
        make("upload", "{\"email\":\"u@x\",\"upload\":true}");
        make("expired", "{\"email\":\"e@x\",\"get\":true,\"expired\":true}");
        make("past", "{\"email\":\"e@x\",\"get\":true,\"expires_on\":\"2014-12-08\"}");
        make("future", "{\"email\":\"e@x\",\"get\":true,\"expires_on\":\"2300-01-01\"}");
        make("localhost", "{\"email\":\"i@x\",\"get\":true,\"ip_restricted\":true,\"ip_address\":[\"127.0.0.1\"]}");
        make("loopback", "{\"email\":\"i@x\",\"get\":true,\"ip_restricted\":true,\"ip_address\":[\"127.0.0.0/8\"]}");
        make("ten", "{\"email\":\"i@x\",\"get\":true,\"ip_restricted\":true,\"ip_address\":[\"10.0.0.0/8\"]}");
    }

    @AfterAll
    static void stop() {
        behindProxy.close();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(LOG);
        root.setLevel(ch.qos.logback.classic.Level.INFO);
        ((Logger) LoggerFactory.getLogger("jdk")).setLevel(null);
    }

    private static void make(String name, String body) {
        Reply reply = http.post("/token", body, "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
        assertEquals(201, reply.status(), reply.body());
        JsonObject created = json(reply.body()).getJsonArray("result").getJsonObject(0);
        TOKENS.put(name, created.getString("token"));
    }

    private static int status(String token, String method, String path, String body) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        if (token != null) {
            headers.addAll(List.of("Authorization", TOKENS.getOrDefault(token, token)));
        }
        return http.send(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                headers.toArray(String[]::new)).status();
    }

    @Test
    @DisplayName("§5 each permission against each endpoint")
    void permissions() {
        String batch = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"job\"}]}";
        String[] endpoints = {"GET /job", "GET /defconfig", "GET /boot", "GET /job/" + JOB, "GET /count", "GET /count/boot",
            "GET /lab", "GET /count/lab", "POST /batch", "GET /token", "GET /version", "GET /health"};
        Map<String, String> expected = new LinkedHashMap<>();
        // 200 or 403 per endpoint, in the order above.
        expected.put("none", "403 403 403 403 403 403 403 403 200 403 200 200");
        expected.put("get", "200 200 200 200 200 200 403 403 200 403 200 200");
        expected.put("post", "403 403 403 403 403 403 403 403 200 403 200 200");
        expected.put("lab", "403 403 403 403 403 403 403 403 200 403 200 200");
        expected.put("upload", "403 403 403 403 403 403 403 403 200 403 200 200");
        expected.put("creator", "200 200 200 200 200 200 403 403 200 403 200 200");
        expected.put("superuser", "200 200 200 200 200 200 200 200 200 200 200 200");
        expected.put("admin", "200 200 200 200 200 200 200 200 200 200 200 200");
        expected.put("expired", "403 403 403 403 403 403 403 403 403 403 200 200");
        expected.put("past", "403 403 403 403 403 403 403 403 403 403 200 200");
        expected.put("future", "200 200 200 200 200 200 403 403 200 403 200 200");
        expected.put("nonsense-token", "403 403 403 403 403 403 403 403 403 403 200 200");
        for (Map.Entry<String, String> row : expected.entrySet()) {
            StringBuilder actual = new StringBuilder();
            for (String endpoint : endpoints) {
                String[] parts = endpoint.split(" ");
                actual.append(actual.length() == 0 ? "" : " ")
                        .append(status(row.getKey(), parts[0], parts[1], parts[0].equals("POST") ? batch : null));
            }
            assertEquals(row.getValue(), actual.toString(), row.getKey());
        }
        assertEquals(403, status(null, "GET", "/job", null));
        assertEquals(403, status(null, "POST", "/batch", batch));
    }

    @Test
    @DisplayName("§5 the batch authorises each operation as its own GET")
    void batchPerOperation() {
        String body = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"job\",\"query\":\"field=job&limit=1\"},"
                + "{\"method\":\"GET\",\"collection\":\"lab\",\"query\":\"field=name\"},"
                + "{\"method\":\"GET\",\"collection\":\"count\"},"
                + "{\"method\":\"GET\",\"collection\":\"job\",\"document_id\":\"" + JOB + "\"},"
                + "{\"method\":\"GET\",\"collection\":\"lab\",\"document_id\":\"52c35a80d000000000000017\"}]}";
        Map<String, String> expected = Map.of("get", "200 403 200 200 403", "lab", "403 403 403 403 403",
                "post", "403 403 403 403 403", "admin", "200 200 200 200 200", "superuser", "200 200 200 200 200");
        expected.forEach((token, codes) -> {
            Reply reply = http.post("/batch", body, "Authorization", TOKENS.get(token), "Content-Type", "application/json");
            assertEquals(200, reply.status(), token);
            JsonArray entries = json(reply.body()).getJsonArray("result");
            StringBuilder actual = new StringBuilder();
            for (int i = 0; i < entries.size(); i++) {
                actual.append(i == 0 ? "" : " ").append(entries.getJsonObject(i).getInt("code"));
            }
            assertEquals(codes, actual.toString(), token);
        });
    }

    @Test
    @DisplayName("§5 missing, unknown, expired and out-of-range tokens get the same 403")
    void forbiddenBodies() {
        assertEquals(FORBIDDEN, http.get("/job").body());
        assertEquals(FORBIDDEN, http.get("/job", "Authorization", "").body());
        assertEquals(FORBIDDEN, http.get("/job", "Authorization", "Bearer nope").body());
        assertEquals(FORBIDDEN, http.get("/job", "Authorization", TOKENS.get("expired")).body());
        assertEquals(FORBIDDEN, http.get("/job", "Authorization", TOKENS.get("ten")).body());
    }

    @Test
    @DisplayName("§5 the expired flag and the expiry can be changed by an admin")
    void expiry() {
        Reply made = http.post("/token", "{\"email\":\"t@x\",\"get\":true}", "Authorization", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json");
        JsonObject created = json(made.body()).getJsonArray("result").getJsonObject(0);
        String value = created.getString("token");
        String id = created.getString("_id");
        assertEquals(200, http.get("/job", "Authorization", value).status());
        assertEquals(200, http.post("/token/" + id, "{\"expired\":true}", "Authorization", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json").status());
        assertEquals(403, http.get("/job", "Authorization", value).status());
        assertEquals(200, http.send("PUT", "/token/" + id, "{\"expired\":false,\"expires_on\":\"1970-01-01\"}".getBytes(),
                "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/json").status());
        assertEquals(403, http.get("/job", "Authorization", value).status());
        assertEquals(200, http.post("/token/" + id, "{\"expires_on\":null}", "Authorization", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json").status());
        assertEquals(200, http.get("/job", "Authorization", value).status());
        assertEquals(200, http.send("DELETE", "/token/" + id, null, "Authorization", TestServer.ADMIN_TOKEN).status());
        assertEquals(403, http.get("/job", "Authorization", value).status());
        assertEquals(404, http.send("DELETE", "/token/" + id, null, "Authorization", TestServer.ADMIN_TOKEN).status());
    }

    @Test
    @DisplayName("§5 IP restriction with CIDR ranges; X-Forwarded-For believed only from trusted proxies")
    void addresses() {
        assertEquals(200, http.get("/job", "Authorization", TOKENS.get("localhost")).status());
        assertEquals(200, http.get("/job", "Authorization", TOKENS.get("loopback")).status());
        assertEquals(403, http.get("/job", "Authorization", TOKENS.get("ten")).status());
        assertEquals(403, http.get("/job", "Authorization", TOKENS.get("ten"), "X-Forwarded-For", "10.1.2.3").status());

        HttpProbe proxied = behindProxy.http();
        assertEquals(200, proxied.get("/job", "Authorization", TOKENS.get("ten"), "X-Forwarded-For", "10.1.2.3").status());
        assertEquals(200, proxied.get("/job", "Authorization", TOKENS.get("ten"),
                "X-Forwarded-For", "10.1.2.3, 192.168.7.1").status());
        assertEquals(403, proxied.get("/job", "Authorization", TOKENS.get("ten"),
                "X-Forwarded-For", "10.1.2.3, 172.16.0.1").status());
        assertEquals(403, proxied.get("/job", "Authorization", TOKENS.get("localhost"), "X-Forwarded-For", "10.1.2.3").status());
        // Two header lines are one list: the client's own line cannot hide the proxy's.
        assertEquals(403, proxied.get("/job", "Authorization", TOKENS.get("ten"),
                "X-Forwarded-For", "10.1.2.3", "X-Forwarded-For", "172.16.0.1").status());
        assertEquals(403, proxied.get("/job", "Authorization", TOKENS.get("ten")).status());
    }

    @Test
    @DisplayName("§5 token management: admins list, read, change, delete; creators make lesser tokens")
    void management() {
        Reply list = http.get("/token", "Authorization", TOKENS.get("superuser"));
        assertEquals(200, list.status());
        JsonObject first = json(list.body()).getJsonArray("result").getJsonObject(0);
        assertEquals(16, first.getJsonArray("properties").size());
        assertFalse(first.containsKey("token"));
        Reply read = http.get("/token/" + first.getString("_id"), "Authorization", TestServer.ADMIN_TOKEN);
        assertEquals(200, read.status());
        assertEquals(first, json(read.body()).getJsonArray("result").getJsonObject(0));
        assertEquals(400, http.get("/token/zzz", "Authorization", TestServer.ADMIN_TOKEN).status());
        assertEquals(404, http.get("/token/0123456789abcdef01234567", "Authorization", TestServer.ADMIN_TOKEN).status());

        assertEquals(403, status("superuser", "POST", "/token", "{\"email\":\"x@x\"}"));
        assertEquals(403, status("superuser", "DELETE", "/token/" + first.getString("_id"), null));
        assertEquals(201, status("creator", "POST", "/token", "{\"email\":\"x@x\",\"get\":true}"));
        assertEquals(403, status("creator", "POST", "/token", "{\"email\":\"x@x\",\"admin\":true}"));
        assertEquals(403, status("get", "POST", "/token", "{\"email\":\"x@x\"}"));
        assertEquals(415, http.post("/token", "{\"email\":\"x@x\"}", "Authorization", TestServer.ADMIN_TOKEN).status());
        assertEquals(422, status("admin", "POST", "/token", "{\"email\""));

        Reply invalid = http.post("/token", "{\"get\":\"yes\",\"expires_on\":\"soon\",\"ip_address\":[\"300.1.1.1\"],\"color\":1}",
                "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
        assertEquals(400, invalid.status());
        assertEquals("Invalid token request: 'get' must be a boolean; unknown member 'color'; 'email' is required; "
                + "'expires_on' must be a date as YYYY-MM-DD or an ISO-8601 date-time, not 'soon'; "
                + "'ip_address' has '300.1.1.1', not an IP address or CIDR range", json(invalid.body()).getString("reason"));

        Reply admin = http.get("/token", "Authorization", TOKENS.get("admin"));
        JsonArray all = json(admin.body()).getJsonArray("result");
        JsonObject adminToken = all.stream().map(v -> v.asJsonObject())
                .filter(t -> "a@x".equals(t.getString("email", null))).findFirst().orElseThrow();
        assertEquals("[1,1,1,1,1,0,1,0,1,0,0,0,0,0,0,0]", adminToken.getJsonArray("properties").toString());
    }

    @Test
    @DisplayName("§5 no response or log line carries a token's value or stored hash")
    void secretsStaySecret() throws Exception {
        List<String> secrets = new ArrayList<>();
        List<String> values = new ArrayList<>(TOKENS.values());
        values.add(TestServer.ADMIN_TOKEN);
        values.add(FixtureServer.READER_TOKEN);
        for (String value : values) {
            secrets.add(value);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            secrets.add(HexFormat.of().formatHex(hash));
            secrets.add(java.util.Base64.getEncoder().encodeToString(hash));
        }
        List<String> bodies = List.of(
                http.get("/token", "Authorization", TestServer.ADMIN_TOKEN).body(),
                http.get("/job", "Authorization", TOKENS.get("expired")).body(),
                http.post("/batch", "{\"batch\":[{\"method\":\"GET\",\"collection\":\"lab\"}]}", "Authorization",
                        TOKENS.get("get"), "Content-Type", "application/json").body());
        for (String body : bodies) {
            for (String secret : secrets) {
                assertFalse(body.contains(secret), "a response carries a secret");
            }
        }
        // Other threads log while this runs (java.util.logging is bridged): read a copy.
        List<ILoggingEvent> events;
        synchronized (LOG) {
            events = List.copyOf(LOG.list);
        }
        assertFalse(events.stream().noneMatch(e -> e.getFormattedMessage().startsWith("Token ")),
                "the token changes were not logged: the check below would prove nothing");
        for (ILoggingEvent event : events) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a log line carries a secret: " + event.getFormattedMessage());
            }
        }
    }
}

package org.kernelci.batch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;

/**
 * The WAR in a real Tomcat 10.1, configured only by {@code tomcat-conf/context.xml}: the build
 * (pom.xml) starts PostgreSQL ({@link DeploymentDatabase}) and then Tomcat through Cargo, with the
 * WAR deployed twice, each with a copy of context.xml in which the build changed only the
 * database address, the role, the admin token and one setting:
 * <ul>
 *   <li>{@code /kci}: the role {@code kci} owns its database and the service migrates it at
 *   start-up; {@code kci.max.rows} is 100;</li>
 *   <li>{@code /}: the role {@code kci_app} may not change the schema ({@code kci.migrate=false});
 *   {@code kci_owner} applied the migrations and {@code tomcat-conf/restricted-role.sql}.</li>
 * </ul>
 * Both have the admin token of the build's {@code it.admin.token}. Skipped with -DskipTomcat.
 */
@DisabledIfSystemProperty(named = "kci.it.tomcat.skip", matches = "true")
class TomcatDeploymentIT {
    private static final String KCI = "/kci";
    private static final String ROOT = "";
    private static final String JSON = "application/json";
    private static final String FORBIDDEN = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";
    /** The document of the later seed's third operation; it exists here. */
    private static final String SEED_BOOT = "123456789012345678901234";
    private static final int STABLE_BOOTS = 200;

    private static HttpProbe http;
    private static String[] admin;
    private static String mainlineBuild;

    @BeforeAll
    static void deployed() throws SQLException, InterruptedException {
        http = new HttpProbe(URI.create("http://127.0.0.1:" + Integer.getInteger("kci.it.tomcat.port")));
        admin = new String[] {"Authorization", System.getProperty("kci.it.admin.token")};
        awaitHealthy(KCI);
        awaitHealthy(ROOT);
        String prefix = String.format("%08x", Instant.now().getEpochSecond());
        mainlineBuild = prefix + "0000000000000b01";
        String data = """
                INSERT INTO job (id, created_on, job, kernel, status) VALUES
                  ('%1$s0000000000000a01', now() - interval '3 hours', 'mainline', 'v6.12', 'PASS'),
                  ('%1$s0000000000000a02', now() - interval '2 hours', 'next', 'next-20261120', 'FAIL');
                INSERT INTO build (id, created_on, job, job_id, kernel, defconfig, defconfig_full, arch, status) VALUES
                  ('%1$s0000000000000b01', now() - interval '170 minutes', 'mainline', '%1$s0000000000000a01', 'v6.12',
                   'bcm2835_defconfig', 'bcm2835_defconfig', 'arm64', 'PASS'),
                  ('%1$s0000000000000b02', now() - interval '165 minutes', 'mainline', '%1$s0000000000000a01', 'v6.12',
                   'multi_v7_defconfig', 'multi_v7_defconfig', 'arm', 'FAIL'),
                  ('%1$s0000000000000b03', now() - interval '110 minutes', 'next', '%1$s0000000000000a02', 'next-20261120',
                   'multi_v7_defconfig', 'multi_v7_defconfig', 'arm', 'PASS');
                INSERT INTO boot (id, created_on, job, job_id, kernel, defconfig, defconfig_id, arch, board, lab_name, status) VALUES
                  ('%2$s', now() - interval '100 minutes', 'next', '%1$s0000000000000a02', 'next-20261120',
                   'multi_v7_defconfig', '%1$s0000000000000b03', 'arm', 'beaglebone-black', 'lab-a', 'FAIL'),
                  ('%1$s0000000000000c02', now() - interval '99 minutes', 'next', '%1$s0000000000000a02', 'next-20261120',
                   'multi_v7_defconfig', '%1$s0000000000000b03', 'arm', 'panda', 'lab-b', 'FAIL'),
                  ('%1$s0000000000000c03', now() - interval '98 minutes', 'next', '%1$s0000000000000a02', 'next-20261120',
                   'multi_v7_defconfig', '%1$s0000000000000b03', 'arm', 'qemu', 'lab-b', 'PASS'),
                  ('%1$s0000000000000c04', now() - interval '160 minutes', 'mainline', '%1$s0000000000000a01', 'v6.12',
                   'bcm2835_defconfig', '%1$s0000000000000b01', 'arm64', 'rpi-4', 'lab-a', 'FAIL');
                INSERT INTO boot (id, created_on, job, kernel, defconfig, arch, board, lab_name, status, time_ms)
                SELECT '%1$s' || lpad(to_hex(n), 16, '0'), now() - interval '1 day', 'stable', 'v6.6.' || n,
                       'multi_v7_defconfig', 'arm', 'board-' || n, 'lab-' || (n %% 3), 'PASS', 1000 + n
                FROM generate_series(1, %3$d) AS n;
                INSERT INTO lab (id, created_on, name, private) VALUES ('%1$s0000000000000d01', now(), 'lab-a', false);
                """.formatted(prefix, SEED_BOOT, STABLE_BOOTS);
        execute(DeploymentDatabase.OWNED, "kci", data);
        execute(DeploymentDatabase.RESTRICTED, "kci_owner", data);
    }

    private static void execute(String database, String role, String sql) throws SQLException {
        try (Connection connection = connect(database, role); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(String database, String role) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Integer.getInteger("kci.it.pg.port") + "/"
                + database, role, "change-me");
    }

    private static void awaitHealthy(String context) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Reply reply;
        do {
            reply = http.get(context + "/health");
            if (reply.status() == 200) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(context + "/health: " + reply.status() + " " + reply.body()
                + " (Tomcat's log: target/tomcat-it/tomcat.log)");
    }

    private static Reply batch(String context, String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Content-Type";
        all[1] = JSON;
        all[2] = admin[0];
        all[3] = admin[1];
        System.arraycopy(headers, 0, all, 4, headers.length);
        return http.post(context + "/batch", body, all);
    }

    /** Sent with Content-Length, the bytes received, and not chunked (CONTRACT.md section 3). */
    private static void assertWhole(Reply reply) {
        assertEquals(Integer.toString(reply.received()), reply.header("Content-Length"), reply.headers().map().toString());
        assertNull(reply.header("Transfer-Encoding"));
    }

    private static void assertJsonType(Reply reply) {
        String type = reply.header("Content-Type");
        assertNotNull(type);
        assertEquals("application/json;charset=utf-8", type.replace(" ", "").toLowerCase(Locale.ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("GET /version under each context path, without a token")
    void version(String context) throws IOException {
        Properties build = new Properties();
        try (InputStream in = TomcatDeploymentIT.class.getResourceAsStream("/kci-batch.properties")) {
            build.load(in);
        }
        Reply reply = http.get(context + "/version");
        assertEquals(200, reply.status());
        assertJsonType(reply);
        assertEquals("{\"code\":200,\"result\":[{\"name\":\"kci-batch\",\"version\":\"" + build.getProperty("version")
                + "\"}]}", reply.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("§8 ArangoDB's batch at /_api/batch under each context path: a model read and /version sent in process")
    void arangoBatch(String context) {
        String part = "Content-Type: application/x-arango-batchpart\r\n";
        String body = "--B\r\n" + part + "Content-Id: v\r\n\r\nGET version HTTP/1.1\r\n\r\n--B\r\n" + part
                + "\r\nGET /count/boot?job=stable HTTP/1.1\r\n\r\n--B\r\n" + part + "\r\nGET /nothing HTTP/1.1\r\n\r\n--B--\r\n";
        Reply reply = http.post(context + "/_api/batch", body, "Content-Type", "multipart/form-data; boundary=B",
                admin[0], admin[1]);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("1", reply.header("x-arango-errors"));
        String version = http.get(context + "/version").body();
        assertTrue(reply.body().contains("Content-Id: v\r\n\r\nHTTP/1.1 200 OK\r\n"), reply.body());
        assertTrue(reply.body().contains("\r\n\r\n" + version + "\r\n--B\r\n"), reply.body());
        assertTrue(reply.body().contains("\r\n\r\n" + http.get(context + "/count/boot?job=stable", admin).body()
                + "\r\n--B\r\n"), reply.body());
        assertTrue(reply.body().contains("HTTP/1.1 404 Not Found\r\n"), reply.body());
        assertTrue(reply.body().endsWith("\r\n--B--\r\n"), reply.body());
    }

    @Test
    @DisplayName("/kci: the routes live under the context path, and only there")
    void routesUnderTheContextPath() {
        assertEquals(501, http.get(KCI + "/batch", admin).status());
        assertEquals("{\"code\":501,\"reason\":\"Method not implemented\"}", http.get(KCI + "/batch", admin).body());
        Reply unknown = http.get(KCI + "/no-such-collection", admin);
        assertEquals(404, unknown.status());
        assertEquals(404, json(unknown.body()).getInt("code"));
        assertEquals(404, http.get(KCI + KCI + "/version").status());
        assertEquals(200, http.get(KCI + "/count", admin).status());
    }

    @Test
    @DisplayName("/kci: the 2014 seed (collection/document_id), count keyed 'collection'; kci.max.rows from context.xml")
    void seed2014() {
        Reply reply = batch(KCI, """
                {
                    "batch": [
                        {
                            "method": "GET",
                            "operation_id": "foo",
                            "collection": "count",
                            "document_id": "boot",
                            "query": "status=FAIL&job=next&date_range=5"
                        },
                        {
                            "method": "GET",
                            "operation_id": "bar",
                            "collection": "defconfig",
                            "query": "status=PASS&job=mainline&date_range=5&field=arch&field=defconfig"
                        }
                    ]
                }""");
        assertEquals(200, reply.status(), reply.body());
        assertJsonType(reply);
        assertNull(reply.header("X-Batch-Errors"));
        assertEquals("""
                {"code":200,"result":[{"operation_id":"foo","code":200,"result":[{"count":2,"collection":"boot"}]},\
                {"operation_id":"bar","code":200,"count":1,"limit":100,"skip":0,"result":[{"_id":{"$oid":"%s"},\
                "defconfig":"bcm2835_defconfig","arch":"arm64"}]}]}""".formatted(mainlineBuild), reply.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("the later seed (resource/document), count keyed 'resource', a document by id")
    void seedLater(String context) {
        Reply reply = batch(context, """
                { "batch": [ { "method": "GET", "operation_id": "op-0", "resource": "count", "document": "boot",
                  "query": "status=FAIL&job=next&date_range=5" }, { "method": "GET", "operation_id": "op-1",
                  "resource": "defconfig", "query": "status=PASS&job=mainline&date_range=5&field=arch&field=defconfig" },
                  { "method": "GET", "operation_id": "op-2", "resource": "boot", "document": "123456789012345678901234" } ] }""");
        assertEquals(200, reply.status(), reply.body());
        assertNull(reply.header("X-Batch-Errors"));
        var entries = json(reply.body()).getJsonArray("result");
        assertEquals(json("{\"operation_id\":\"op-0\",\"code\":200,\"result\":[{\"count\":2,\"resource\":\"boot\"}]}"),
                entries.getJsonObject(0));
        assertEquals(json("{\"_id\":{\"$oid\":\"" + mainlineBuild + "\"},\"defconfig\":\"bcm2835_defconfig\",\"arch\":\"arm64\"}"),
                entries.getJsonObject(1).getJsonArray("result").getJsonObject(0));
        JsonObject boot = entries.getJsonObject(2).getJsonArray("result").getJsonObject(0);
        assertEquals(SEED_BOOT, boot.getJsonObject("_id").getString("$oid"));
        assertEquals("arm", boot.getString("arch"));
        assertEquals("beaglebone-black", boot.getString("board"));
    }

    @Test
    @DisplayName("/: the role that may not change the schema serves every collection, and cannot change it")
    void restrictedRole() throws SQLException {
        Reply reply = http.get("/count", admin);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(json("""
                {"code":200,"result":[{"collection":"job","count":2},{"collection":"defconfig","count":3},
                {"collection":"boot","count":%d}]}""".formatted(STABLE_BOOTS + 4)), json(reply.body()));
        assertEquals(1, json(http.get("/lab", admin).body()).getInt("count"));
        try (Connection connection = connect(DeploymentDatabase.RESTRICTED, "kci_app");
             Statement statement = connection.createStatement()) {
            SQLException denied = assertThrows(SQLException.class, () -> statement.execute("CREATE TABLE probe (n int)"));
            assertEquals("42501", denied.getSQLState(), denied.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("§12.5 a compare request is kept by either role (restricted-role.sql grants it), its Location under "
            + "the context path")
    void compareKept(String context) {
        String body = "{\"job\":\"mainline\",\"kernel\":\"v6.12\",\"compare_to\":[{\"job\":\"next\",\"kernel\":\"next-20261120\"}]}";
        Reply kept = http.post(context + "/job/compare", body, admin[0], admin[1], "Content-Type", JSON);
        assertEquals(201, kept.status(), kept.body());
        String id = kept.header("X-Kernelci-Compare-Id");
        // The path from the host's root, the context's first (CONTRACT.md section 12.5, under a context).
        assertEquals(context + "/job/compare/" + id + "/", kept.header("Location"));
        assertEquals(200, http.post(context + "/job/compare", body, admin[0], admin[1], "Content-Type", JSON).status());
        Reply read = http.get(kept.header("Location"), admin);
        assertEquals(200, read.status(), read.body());
        assertEquals(json(kept.body()).getJsonArray("result"), json(read.body()).getJsonArray("result"));
    }

    @Test
    @DisplayName("each context connects through its context.xml's jdbc/kci (Tomcat's pool, the WAR's driver)")
    void connectionsComeFromTheContextFiles() throws SQLException {
        try (Connection connection = connect(DeploymentDatabase.OWNED, "kci");
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("""
                     SELECT datname, usename FROM pg_stat_activity
                     WHERE application_name = 'kci-batch' GROUP BY datname, usename ORDER BY datname""")) {
            List<String> seen = new ArrayList<>();
            while (rows.next()) {
                seen.add(rows.getString(1) + " as " + rows.getString(2));
            }
            assertEquals(List.of("kci as kci", "kci_restricted as kci_app"), seen);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("no token, an unknown token: 403 with the contract's body; the admin token of context.xml works")
    void authorization(String context) {
        Reply noToken = http.post(context + "/batch", "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\"}]}",
                "Content-Type", JSON);
        assertEquals(403, noToken.status());
        assertEquals(FORBIDDEN, noToken.body());
        Reply unknown = http.get(context + "/boot", "Authorization", "not-a-token");
        assertEquals(403, unknown.status());
        assertEquals(FORBIDDEN, unknown.body());
        assertEquals(403, http.get(context + "/lab").status());
        assertEquals(200, http.get(context + "/lab", admin).status());
        assertEquals(200, http.get(context + "/lab", "Authorization", "Bearer " + admin[1]).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("§3 gzip by the application only when asked, /version's 62 bytes too; Vary: Accept-Encoding always; "
            + "Tomcat adds no second encoding; Content-Length on listings, never chunked")
    void gzip(String context) {
        Reply version = http.get(context + "/version", "Accept-Encoding", "gzip");
        assertEquals(200, version.status());
        assertEquals("gzip", version.header("Content-Encoding"));
        assertTrue(version.body().startsWith("{\"code\":200,\"result\":[{\"name\":\"kci-batch\""), version.body());
        assertWhole(version);
        int limit = context.equals(KCI) ? 100 : 10000;
        Reply zipped = http.get(context + "/boot?job=stable&sort=created_on", admin[0], admin[1], "Accept-Encoding", "gzip");
        assertEquals(200, zipped.status());
        assertEquals("gzip", zipped.header("Content-Encoding"));
        assertTrue(zipped.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Accept-Encoding")),
                zipped.headers().map().toString());
        JsonObject list = json(zipped.body());
        assertEquals(STABLE_BOOTS, list.getInt("count"));
        assertEquals(limit, list.getInt("limit"));
        assertEquals(Math.min(limit, STABLE_BOOTS), list.getJsonArray("result").size());

        Reply plain = http.get(context + "/boot?job=stable&sort=created_on", admin);
        assertEquals(200, plain.status());
        assertNull(plain.header("Content-Encoding"));
        assertFalse(plain.gzipped());
        assertTrue(plain.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Accept-Encoding")));
        assertEquals(zipped.body(), plain.body());
        // Longer than Tomcat's 8 KiB response buffer: sent whole all the same.
        assertTrue(plain.received() > 8192, "a listing of " + plain.received() + " bytes");
        assertWhole(zipped);
        assertWhole(plain);

        Reply batch = batch(context, "{\"batch\":[{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"job=stable\"}]}",
                "Accept-Encoding", "gzip");
        assertEquals(200, batch.status());
        assertEquals("gzip", batch.header("Content-Encoding"));
        assertWhole(batch);
        assertEquals(STABLE_BOOTS, json(batch.body()).getJsonArray("result").getJsonObject(0).getInt("count"));
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("§9 a polled batch's 304 under each context path, answered by web.xml's filter before Jersey; a stale tag reaches Jersey")
    void conditionalBatch(String context) {
        String body = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"boot\","
                + "\"query\":\"job=stable\"}]}";
        String tag = batch(context, body).header("ETag");
        assertNotNull(tag);
        double kept = keptAnswers(context);
        Reply notModified = batch(context, body, "If-None-Match", tag);
        assertEquals(304, notModified.status());
        assertEquals(tag, notModified.header("ETag"));
        assertEquals(kept + 1, keptAnswers(context));
        // A tag not current: the filter, asynchronous, sends the request on to Jersey, body whole.
        Reply stale = batch(context, body, "If-None-Match", "W/\"stale\"");
        assertEquals(200, stale.status(), stale.body());
        assertEquals(batch(context, body).body(), stale.body());
        assertEquals(kept + 1, keptAnswers(context));
    }

    private static double keptAnswers(String context) {
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("(?m)^kci_batch_kept_not_modified_total (\\S+)$")
                .matcher(http.get(context + "/metrics", admin).body());
        assertTrue(total.find());
        return Double.parseDouble(total.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {KCI, ROOT})
    @DisplayName("the dashboard under each context path: its pages and the WebJar's chart with their headers; / moves a browser there")
    void dashboard(String context) {
        for (String file : new String[] {"/dashboard/", "/dashboard/js/overview.js", "/dashboard/lib/chart.umd.js"}) {
            Reply page = http.get(context + file);
            assertEquals(200, page.status(), context + file + ": " + page.body());
            assertEquals(file.endsWith("/") ? "text/html;charset=utf-8" : "text/javascript;charset=utf-8",
                    page.header("Content-Type").replace(" ", "").toLowerCase(Locale.ROOT));
            assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"), page.headers().map().toString());
            assertEquals("nosniff", page.header("X-Content-Type-Options"));
        }
        assertTrue(http.get(context + "/dashboard/").body().contains("<script type=\"module\" src=\"js/overview.js\">"));
        Reply browser = http.get(context + "/", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertEquals(303, browser.status());
        assertEquals(context + "/dashboard/", browser.header("Location"));
        assertEquals(404, http.get(context + "/", "Accept", JSON).status());
        assertEquals(404, http.get(context + "/dashboard/WEB-INF/web.xml").status());
    }

    @Test
    @DisplayName("the context's access log valve writes a line per request; /metrics and /openapi.json answer in Tomcat")
    void accessLogAndOperatorRoutes() throws IOException, InterruptedException {
        String probe = java.util.UUID.randomUUID().toString();
        assertEquals(200, http.get(KCI + "/version?probe=" + probe).status());
        java.nio.file.Path logs = java.nio.file.Path.of("target", "tomcat-it", "base", "logs");
        // The valve writes its line once the response is complete, which may be just after the
        // client has it: look again for a while.
        List<String> lines = new ArrayList<>();
        for (int attempt = 0; attempt < 100 && lines.stream()
                .noneMatch(line -> line.contains("\"GET /kci/version?probe=" + probe + " HTTP/1.1\" 200 ")); attempt++) {
            if (attempt > 0) {
                Thread.sleep(100);
            }
            lines.clear();
            try (var files = java.nio.file.Files.newDirectoryStream(logs, "kci-batch_access*.log")) {
                for (java.nio.file.Path file : files) {
                    lines.addAll(java.nio.file.Files.readAllLines(file));
                }
            }
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("\"GET /kci/version?probe=" + probe + " HTTP/1.1\" 200 ")),
                "access log lines: " + lines.size());
        Reply metrics = http.get(KCI + "/metrics", admin);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("kci_http_requests_seconds_count{method=\"GET\",route=\"/version\",status=\"200\"}"),
                "requests are counted under Tomcat");
        assertEquals(403, http.get(ROOT + "/metrics").status());
        assertEquals(200, http.get(ROOT + "/openapi.json").status());
    }
}

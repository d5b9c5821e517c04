package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.Ids;
import org.kernelci.batch.testing.TestServer;

/** CONTRACT.md section 6: PUT and DELETE /<collection>/<id> over HTTP, on a database of their own. */
class WritesIT {
    static final String ADMIN = TestServer.ADMIN_TOKEN;
    static final String FORBIDDEN = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";
    private static final int MAX_BODY_BYTES = 4000;
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.MAX_BODY_BYTES, Integer.toString(MAX_BODY_BYTES)));
        http = server.http();
        server.addToken("reader", "can_get");
        server.addToken("poster", "can_get", "can_post");
        server.addToken("deleter", "can_get", "can_delete");
        server.addToken("superuser", "is_superuser");
        // As the original made lab tokens: POST and DELETE, lab, no GET.
        server.addToken("lab", "can_post", "can_delete", "is_lab");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Reply send(String method, String path, String body, String token) {
        return http.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "Authorization", token, "Content-Type", "application/json");
    }

    /** A new boot, reported by the admin; returns its id. */
    static String newBoot(HttpProbe http, String job) {
        Reply reply = http.send("POST", "/boot", IngestIT.boot(job, "beaglebone").getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/json");
        assertEquals(201, reply.status(), reply.body());
        return Ids.of(json(reply.body()).getJsonArray("result").getJsonObject(0));
    }

    static JsonObject get(String collection, String id) {
        Reply reply = http.get("/" + collection + "/" + id, "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    static long sql(String jdbcUrl, String query) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("§6 PUT sets the members it names, converted as an import line is; updated_on is the time of the write")
    void putSetsMembers() {
        String id = newBoot(http, "put-sets");
        long before = System.currentTimeMillis();
        Reply reply = send("PUT", "/boot/" + id, """
                {"status":"FAIL","board":"panda","warnings":"3.0e0","retries":2.0,"time":{"$date":1500},
                 "metadata":{"note":"re-run"},"fastboot":true,"build_id":"54819030b000000000000009",
                 "boot_result_description":null}""".replace("\"3.0e0\"", "3"), "poster");
        assertEquals(200, reply.status(), reply.body());
        JsonObject after = json(reply.body()).getJsonArray("result").getJsonObject(0);
        assertEquals(after, get("boot", id));
        assertEquals("FAIL", after.getString("status"));
        assertEquals("panda", after.getString("board"));
        assertEquals(3, after.getInt("warnings"));
        assertEquals(2, after.getInt("retries"));
        assertEquals(1500, after.getJsonObject("time").getJsonNumber("$date").longValue());
        assertEquals(json("{\"note\":\"re-run\"}"), after.getJsonObject("metadata"));
        assertEquals("54819030b000000000000009", Ids.of(after.get("defconfig_id")));
        assertTrue(after.getBoolean("fastboot"));
        assertEquals("lab-x", after.getString("lab_name"), "members not named keep their values");
        long updated = after.getJsonObject("updated_on").getJsonNumber("$date").longValue();
        assertTrue(updated >= before - 1000 && updated <= System.currentTimeMillis() + 1000, reply.body());
        assertTrue(after.getJsonObject("created_on").getJsonNumber("$date").longValue() <= updated);
        assertEquals(id, Ids.of(after));
    }

    @Test
    @DisplayName("§6 PUT refuses _id, created_on, updated_on, unknown members and refused values, naming each; nothing changes")
    void putRefusals() {
        String id = newBoot(http, "put-refused");
        JsonObject before = get("boot", id);
        Reply reply = send("PUT", "/boot/" + id, """
                {"status":"FAIL","_id":"54819030b000000000000009","created_on":{"$date":0},"updated_on":{"$date":0},
                 "nope":1,"warnings":"three","fastboot":"yes","time":-5,"job_id":"x"}""", ADMIN);
        assertEquals(400, reply.status(), reply.body());
        String reason = json(reply.body()).getString("reason");
        for (String named : new String[] {"'_id' cannot be set", "'created_on' cannot be set", "'updated_on' cannot be set",
                "unknown member 'nope'", "'warnings' must be an integer, not \"three\"", "'fastboot' must be true or false",
                "'time' must be", "'job_id' must be"}) {
            assertTrue(reason.contains(named), named + " in " + reason);
        }
        assertEquals(before, get("boot", id));
        assertEquals(400, send("PUT", "/boot/" + id, "[1]", ADMIN).status());
        assertEquals(before, get("boot", id));
    }

    @Test
    @DisplayName("§6 PUT and DELETE: checks in the order of the reports, malformed id, missing document")
    void checksInOrder() {
        String id = newBoot(http, "put-order");
        String missing = "0123456789abcdef01234567";
        assertEquals(404, send("PUT", "/nothing/" + id, "{}", "nobody").status());
        assertEquals(FORBIDDEN, send("PUT", "/boot/" + id, "{}", "nobody").body());
        assertEquals(415, http.send("PUT", "/boot/" + id, "{}".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "text/plain").status());
        assertEquals(413, send("PUT", "/boot/" + id, "{\"board\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}", ADMIN).status());
        assertEquals(422, send("PUT", "/boot/" + id, "{\"board\":", ADMIN).status());
        assertEquals("{\"code\":400,\"reason\":\"Wrong ID value provided\"}", send("PUT", "/boot/xyz", "{}", ADMIN).body());
        Reply notThere = send("PUT", "/boot/" + missing, "{\"board\":\"b\"}", ADMIN);
        assertEquals(404, notThere.status());
        assertEquals("{\"code\":404,\"reason\":\"Resource '" + missing + "' not found\"}", notThere.body());

        assertEquals(404, send("DELETE", "/nothing/" + id, null, ADMIN).status());
        assertEquals(FORBIDDEN, send("DELETE", "/boot/" + id, null, "nobody").body());
        assertEquals("{\"code\":400,\"reason\":\"Wrong ID value provided\"}", send("DELETE", "/boot/xyz", null, ADMIN).body());
        assertEquals(404, send("DELETE", "/boot/" + missing, null, ADMIN).status());
    }

    @Test
    @DisplayName("§6 DELETE answers 'Resource <id> deleted'; the document is gone; again is a 404")
    void delete() {
        String id = newBoot(http, "delete-me");
        Reply reply = send("DELETE", "/boot/" + id.toUpperCase(java.util.Locale.ROOT), null, "deleter");
        assertEquals("{\"code\":200,\"reason\":\"Resource '" + id + "' deleted\"}", reply.body());
        assertEquals(404, http.get("/boot/" + id, "Authorization", ADMIN).status());
        assertEquals(0, sql(server.jdbcUrl(), "SELECT count(*) FROM boot WHERE id = '" + id + "'"));
        assertEquals(404, send("DELETE", "/boot/" + id, null, "deleter").status());
    }

    @Test
    @DisplayName("§6 permissions: PUT needs post, DELETE delete; a lab token deletes boots only; labs need admin or superuser")
    void permissions() {
        String boot = newBoot(http, "perm");
        String job = Ids.of(get("boot", boot).get("job_id"));
        for (String token : new String[] {"reader", "deleter", "lab"}) {
            assertEquals(FORBIDDEN, send("PUT", "/boot/" + boot, "{\"board\":\"b\"}", token).body(), token);
        }
        for (String token : new String[] {"reader", "poster"}) {
            assertEquals(FORBIDDEN, send("DELETE", "/boot/" + boot, null, token).body(), token);
        }
        assertEquals(FORBIDDEN, send("DELETE", "/job/" + job, null, "lab").body());
        assertEquals(200, send("PUT", "/boot/" + boot, "{\"board\":\"b\"}", "poster").status());
        assertEquals(200, send("PUT", "/job/" + job, "{\"status\":\"PASS\"}", "superuser").status());

        String lab = "5481903000000000000000aa";
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO lab (id, created_on, name) VALUES ('" + lab + "', now(), 'lab-perm')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(FORBIDDEN, send("PUT", "/lab/" + lab, "{\"private\":true}", "poster").body());
        assertEquals(FORBIDDEN, send("DELETE", "/lab/" + lab, null, "deleter").body());
        JsonObject changed = json(send("PUT", "/lab/" + lab, "{\"private\":true,\"contact\":{\"name\":\"x\"}}", ADMIN).body())
                .getJsonArray("result").getJsonObject(0);
        assertTrue(changed.getBoolean("private"));
        // A value the database refuses (a lab must have a name) is a 400, and nothing changes.
        Reply noName = send("PUT", "/lab/" + lab, "{\"name\":null,\"private\":false}", ADMIN);
        assertEquals(400, noName.status(), noName.body());
        assertTrue(json(noName.body()).getString("reason").startsWith("A value cannot be stored"), noName.body());
        assertTrue(get("lab", lab).getBoolean("private"));

        assertEquals(200, send("DELETE", "/boot/" + boot, null, "lab").status());
        assertEquals(200, send("DELETE", "/lab/" + lab, null, "superuser").status());
        assertEquals(200, send("DELETE", "/job/" + job, null, "deleter").status());
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import jakarta.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.ProvokedFaults;
import org.kernelci.batch.testing.TestServer;

/**
 * A service whose database role lacks grants, as README's "A role that may not change the
 * schema" makes it (tomcat-conf/restricted-role.sql: reads, and the writes of its bookkeeping),
 * less SELECT on {@code lab}: every path answers 503 naming the table and the grant, and the
 * log says so once per grant.
 */
@ExtendWith(ProvokedFaults.class)
class RestrictedRoleIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String ROLE = "kci_restricted_it";
    private static TestServer owner;
    private static TestServer restricted;
    private static String boot;

    @BeforeAll
    static void start() throws IOException, SQLException {
        owner = TestServer.start(Clock.systemUTC(), Map.of());
        boot = WritesIT.newBoot(owner.http(), "restricted");
        String grants = Files.readString(Path.of("tomcat-conf/restricted-role.sql"))
                .replace("kci_app", ROLE).replace("kci_owner", "postgres");
        try (Connection connection = DriverManager.getConnection(owner.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + ROLE + " LOGIN");
            statement.execute(grants);
            statement.execute("REVOKE SELECT ON lab FROM " + ROLE);
        }
        // The shared PostgreSQL's URLs name their user, which a setting does not override.
        restricted = TestServer.start(owner.jdbcUrl().replace("user=postgres", "user=" + ROLE), Clock.systemUTC(),
                Map.of(Setting.DB_USER, ROLE, Setting.MIGRATE, "false"));
    }

    @AfterAll
    static void stop() {
        restricted.close();
        owner.close();
    }

    private static Reply send(String method, String path, String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = ADMIN;
        all[2] = "Content-Type";
        all[3] = "application/json";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return restricted.http().send(method, path, body.getBytes(StandardCharsets.UTF_8), all);
    }

    private static String missing(String privilege, String table) {
        return "The service's database role lacks " + privilege + " on table " + table + ": an operator must GRANT "
                + privilege + " ON " + table + " to it";
    }

    private static String answer(String privilege, String table) {
        return "{\"code\":503,\"reason\":\"" + missing(privilege, table) + "\"}";
    }

    private static String appery(String body) {
        return send("POST", "/batch", body, "X-Appery-Database-Id", "58a59358975a4fa00e0ff50f",
                "X-Appery-Session-Token", ADMIN).body();
    }

    @Test
    @DisplayName("a write the role may not make: 503 naming the table and the grant, logged once however often it comes")
    void write() {
        // Grants no other test of this class meets: each is logged once per service.
        try (CapturedLog log = new CapturedLog(Database.class)) {
            for (int i = 0; i < 3; i++) {
                Reply reply = restricted.http().send("DELETE", "/boot/" + boot, null, "Authorization", ADMIN);
                assertEquals(503, reply.status(), reply.body());
                assertEquals(missing("DELETE", "boot"), json(reply.body()).getString("reason"));
            }
            Reply report = send("POST", "/job", "{\"job\":\"restricted\",\"kernel\":\"v4.1\"}");
            assertEquals(503, report.status(), report.body());
            assertEquals(missing("INSERT", "job"), json(report.body()).getString("reason"));
            assertEquals(List.of(
                    missing("DELETE", "boot") + "; requests that need it get 503 (PostgreSQL: permission denied for table boot)",
                    missing("INSERT", "job") + "; requests that need it get 503 (PostgreSQL: permission denied for table job)"),
                    log.at(Level.WARN).stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertEquals(List.of(), log.at(Level.ERROR));
        }
        assertEquals(200, restricted.http().get("/boot/" + boot, "Authorization", ADMIN).status(), "reads still work");
    }

    @Test
    @DisplayName("a read of a table the role may not SELECT: 503 alone, and its entry alone in a batch")
    void read() {
        Reply plain = restricted.http().get("/lab", "Authorization", ADMIN);
        assertEquals(503, plain.status(), plain.body());
        assertEquals(missing("SELECT", "lab"), json(plain.body()).getString("reason"));
        JsonArray entries = json(send("POST", "/batch", """
                {"batch": [{"method": "GET", "operation_id": "a", "collection": "lab"},
                           {"method": "GET", "operation_id": "b", "collection": "boot", "document_id": "%s"}]}"""
                .formatted(boot)).body()).getJsonArray("result");
        assertEquals(503, entries.getJsonObject(0).getInt("code"));
        assertEquals(missing("SELECT", "lab"), entries.getJsonObject(0).getString("reason"));
        assertEquals(200, entries.getJsonObject(1).getInt("code"));
    }

    @Test
    @DisplayName("batches of writes: the refused operations' entries are 503s naming the grant, the others answer")
    void batches() {
        JsonArray results = jakarta.json.Json.createReader(new java.io.StringReader(appery("""
                [{"method": "put", "collection": "boot", "_id": "%s", "data": {"board": "c"}},
                 {"method": "get", "collection": "boot", "_id": "%s"},
                 {"method": "post", "collection": "boot", "data": %s}]""".formatted(boot, boot,
                IngestIT.boot("restricted", "y"))))).readArray();
        assertEquals("KCI503", results.getJsonObject(0).getJsonObject("error").getString("code"));
        assertEquals(missing("UPDATE", "boot"), results.getJsonObject(0).getJsonObject("error").getString("description"));
        assertEquals(boot, org.kernelci.batch.testing.Ids.of(results.getJsonObject(1).getJsonObject("success")));
        assertEquals(missing("INSERT", "boot"), results.getJsonObject(2).getJsonObject("error").getString("description"));

        String arango = new String(restricted.http().send("POST", "/batch", ArangoBatchIT.body("b", List.of(
                ArangoBatchIT.part(null, "PUT", "/boot/" + boot, "{\"board\":\"d\"}", "Content-Type", "application/json"),
                ArangoBatchIT.part(null, "GET", "/lab", null))), "Authorization", ADMIN,
                "Content-Type", "multipart/form-data; boundary=b").body().getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        assertTrue(arango.contains("HTTP/1.1 503 Service Unavailable"), arango);
        assertTrue(arango.contains(answer("UPDATE", "boot")), arango);
        assertTrue(arango.contains(answer("SELECT", "lab")), arango);
    }

    @Test
    @DisplayName("an import the role may not store: the whole import is a 503 naming the grant, not a refusal per line")
    void importing() {
        Reply reply = restricted.http().send("POST", "/import/job", """
                {"_id":{"$oid":"54819030b000000000000001"},"job":"j","kernel":"k"}
                {"_id":{"$oid":"54819030b000000000000002"},"job":"j","kernel":"l"}
                """.getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
        assertEquals(503, reply.status(), reply.body());
        assertEquals(missing("INSERT, UPDATE", "job") + "; the import stopped at line 1: no line was imported",
                json(reply.body()).getString("reason"));
    }
}

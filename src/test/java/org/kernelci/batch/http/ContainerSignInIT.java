package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.app.KciApplication;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.app.Settings;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.SignedInUsers;
import org.kernelci.batch.testing.TestServer;

/**
 * KCI_AUTH=container on the embedded Jetty: users the container signed in ({@link SignedInUsers})
 * authorised by their roles through KCI_AUTH_ROLES' default mapping, beside tokens; the same
 * users ignored with KCI_AUTH=token; bad settings refused at start-up.
 */
class ContainerSignInIT {
    private static final String FORBIDDEN = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";
    private static final String NO_ROLE = "{\"code\":403,\"reason\":\"Operation not permitted: the signed-in user has "
            + "none of the roles kci-read, kci-write, kci-admin\"}";
    private static final String USER = SignedInUsers.USER;
    private static final String READER_TOKEN = "container-it-reader-token";
    private static final SignedInUsers USERS = new SignedInUsers(Map.of(
            "reader", Set.of("kci-read"),
            "writer", Set.of("kci-write", "staff"),
            "boss", Set.of("kci-admin"),
            "visitor", Set.of("staff"),
            "o'brien <b>", Set.of("kci-read")));
    private static TestServer container;
    private static TestServer tokensOnly;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        container = TestServer.start(Clock.systemUTC(), Map.of(Setting.AUTH, "container"), USERS);
        tokensOnly = TestServer.start(Clock.systemUTC(), Map.of(), USERS);
        container.addToken(READER_TOKEN, "can_get");
        http = container.http();
    }

    @AfterAll
    static void stop() {
        container.close();
        tokensOnly.close();
    }

    private static Reply batch(String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json"));
        all.addAll(List.of(headers));
        return http.post("/batch", body, all.toArray(String[]::new));
    }

    private static JsonObject whoami(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reader | [\"get\"]",
        "writer | [\"get\",\"post\",\"delete\"]",
        "boss   | [\"admin\"]"})
    @DisplayName("GET /whoami: the signed-in user, auth container, the permissions its roles map to")
    void whoamiPerRole(String user, String permissions) {
        assertEquals(json("{\"user\":\"" + user + "\",\"auth\":\"container\",\"permissions\":" + permissions + "}"),
                whoami(http.get("/whoami", USER, user)));
    }

    @Test
    @DisplayName("GET /whoami: a token is named by its id; a token sent wins over the signed-in user; none at all is a 403")
    void whoamiTokens() {
        JsonObject admin = whoami(http.get("/whoami", "Authorization", TestServer.ADMIN_TOKEN));
        assertEquals("token", admin.getString("auth"));
        assertTrue(admin.getString("user").matches("[0-9a-f]{24}"), admin.toString());
        assertTrue(admin.getJsonArray("permissions").contains(Json.createValue("admin")), admin.toString());
        JsonObject tokenWins = whoami(http.get("/whoami", USER, "boss", "Authorization", READER_TOKEN));
        assertEquals("token", tokenWins.getString("auth"));
        assertEquals("[\"get\"]", tokenWins.getJsonArray("permissions").toString());
        Reply badToken = http.get("/whoami", USER, "boss", "Authorization", "not-a-token");
        assertEquals(403, badToken.status());
        assertEquals(FORBIDDEN, badToken.body(), "a bad token is refused, not passed over for the signed-in user");
        assertEquals(FORBIDDEN, http.get("/whoami").body());
        assertEquals(FORBIDDEN, http.get("/whoami", USER, "stranger").body());
    }

    @Test
    @DisplayName("a user whose roles map to nothing: 403 naming the mapped roles, on a route, /whoami and a batch; "
            + "its name never in a reason")
    void unmappedRoles() {
        assertEquals(NO_ROLE, http.get("/boot", USER, "visitor").body());
        assertEquals(403, http.get("/whoami", USER, "visitor").status());
        assertEquals(NO_ROLE, http.get("/whoami", USER, "visitor").body());
        Reply batch = batch("{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\"}]}", USER, "visitor");
        assertEquals(403, batch.status());
        assertEquals(NO_ROLE, batch.body());
        assertEquals(FORBIDDEN, tokensOnly.http().get("/whoami", USER, "reader").body());
    }

    @Test
    @DisplayName("a browser's request from another site's page is not signed in by the container's session; a token still is")
    void crossSite() {
        String arango = "--B\r\nContent-Type: application/x-arango-batchpart\r\n\r\nPOST /boot HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n\r\n" + IngestIT.boot("cross-site", "b3") + "\r\n--B--\r\n";
        Reply forged = http.post("/_api/batch", arango, "Content-Type", "multipart/form-data; boundary=B", USER, "writer",
                "Sec-Fetch-Site", "cross-site");
        assertEquals(403, forged.status());
        assertEquals(FORBIDDEN, forged.body());
        assertEquals(FORBIDDEN, http.get("/whoami", USER, "writer", "Sec-Fetch-Site", "cross-site").body());
        assertEquals("container", whoami(http.get("/whoami", USER, "writer", "Sec-Fetch-Site", "same-site")).getString("auth"));
        assertEquals("container", whoami(http.get("/whoami", USER, "writer", "Sec-Fetch-Site", "same-origin")).getString("auth"));
        assertEquals("token", whoami(http.get("/whoami", USER, "writer", "Sec-Fetch-Site", "cross-site",
                "Authorization", READER_TOKEN)).getString("auth"));
    }

    @Test
    @DisplayName("a name as the container gives it: JSON-escaped in /whoami, the user is authorised like any other")
    void nameAsGiven() {
        assertEquals("o'brien <b>", whoami(http.get("/whoami", USER, "o'brien <b>")).getString("user"));
        assertEquals(200, http.get("/count", USER, "o'brien <b>").status());
    }

    @Test
    @DisplayName("reads and writes per role on plain routes; token routes for the admin role only")
    void plainRoutes() {
        String boot = IngestIT.boot("signed-in", "beaglebone");
        assertEquals(200, http.get("/count", USER, "reader").status());
        assertEquals(403, http.post("/boot", boot, USER, "reader", "Content-Type", "application/json").status());
        Reply posted = http.post("/boot", boot, USER, "writer", "Content-Type", "application/json");
        assertEquals(201, posted.status(), posted.body());
        assertEquals(FORBIDDEN, http.get("/lab", USER, "writer").body());
        assertEquals(200, http.get("/lab", USER, "boss").status());
        assertEquals(FORBIDDEN, http.get("/token", USER, "writer").body());
        assertEquals(200, http.get("/token", USER, "boss").status());
        assertEquals(FORBIDDEN, tokensOnly.http().get("/count", USER, "boss").body(), "KCI_AUTH=token ignores the container's user");
    }

    @Test
    @DisplayName("kernelci's batch: each operation authorised for the user's roles (labs for the admin role only)")
    void kernelciBatch() {
        String body = "{\"batch\":[{\"method\":\"GET\",\"operation_id\":\"boots\",\"collection\":\"count\",\"document_id\":\"boot\"},"
                + "{\"method\":\"GET\",\"operation_id\":\"labs\",\"collection\":\"lab\"}]}";
        JsonArray reader = json(batch(body, USER, "reader").body()).getJsonArray("result");
        assertEquals(200, reader.getJsonObject(0).getInt("code"));
        assertEquals(json("{\"operation_id\":\"labs\",\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}"),
                reader.getJsonObject(1));
        JsonArray boss = json(batch(body, USER, "boss").body()).getJsonArray("result");
        assertEquals(200, boss.getJsonObject(1).getInt("code"), boss.toString());
    }

    @Test
    @DisplayName("Appery's batch: the reader's writes are KCI403 and its read answers; the writer's write is done")
    void apperyBatch() {
        String body = "[{\"method\":\"POST\",\"collection\":\"boot\",\"data\":" + IngestIT.boot("appery-signed-in", "b1")
                + "},{\"method\":\"GET\",\"collection\":\"count\"}]";
        Reply reader = batch(body, USER, "reader");
        JsonArray refused = array(reader);
        assertEquals("KCI403", refused.getJsonObject(0).getJsonObject("error").getString("code"), reader.body());
        assertTrue(refused.getJsonObject(1).containsKey("success"), reader.body());
        assertEquals("1", reader.header("X-Batch-Errors"));
        Reply writer = batch(body, USER, "writer");
        JsonArray done = array(writer);
        assertNotNull(done.getJsonObject(0).getJsonObject("success").getString("_id"), writer.body());
        assertEquals(null, writer.header("X-Batch-Errors"));
    }

    @Test
    @DisplayName("ArangoDB's batch: parts run as the envelope's user, in the model and in process (/whoami)")
    void arangoBatch() {
        String part = "Content-Type: application/x-arango-batchpart\r\n\r\n";
        String body = "--B\r\n" + part + "POST /boot HTTP/1.1\r\nContent-Type: application/json\r\n\r\n"
                + IngestIT.boot("arango-signed-in", "b2") + "\r\n--B\r\n" + part + "GET /whoami HTTP/1.1\r\n\r\n--B--\r\n";
        Reply reader = http.post("/_api/batch", body, "Content-Type", "multipart/form-data; boundary=B", USER, "reader");
        assertEquals(200, reader.status(), reader.body());
        assertTrue(reader.body().contains("HTTP/1.1 403 Forbidden"), reader.body());
        assertTrue(reader.body().contains("\"user\":\"reader\",\"auth\":\"container\""), reader.body());
        Reply writer = http.post("/_api/batch", body, "Content-Type", "multipart/form-data; boundary=B", USER, "writer");
        assertTrue(writer.body().contains("HTTP/1.1 201 Created"), writer.body());
        assertTrue(writer.body().contains("\"user\":\"writer\",\"auth\":\"container\""), writer.body());
    }

    @Test
    @DisplayName("a kept batch's 304 before Jersey for a signed-in user; a user with no mapped role gets no 304 of it")
    void conditionalBatch() {
        String body = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"job\"}]}";
        String tag = batch(body, USER, "reader").header("ETag");
        assertNotNull(tag);
        assertEquals(304, batch(body, USER, "reader", "If-None-Match", tag).status());
        Reply visitor = batch(body, USER, "visitor", "If-None-Match", tag);
        assertEquals(403, visitor.status());
        assertEquals(NO_ROLE, visitor.body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "AUTH       | ldap                   | Setting KCI_AUTH must be one of token, container, not 'ldap'",
        "AUTH_ROLES | kci-read=gett          | Setting KCI_AUTH_ROLES: role 'kci-read': unknown permission 'gett' (one of admin, "
                + "superuser, get, post, delete, create_token, lab, upload, test_lab)",
        "AUTH_ROLES | =get                   | Setting KCI_AUTH_ROLES: '=get' has no role name before '='",
        "AUTH_ROLES | kci-read               | Setting KCI_AUTH_ROLES: 'kci-read' is not role=permission,permission",
        "AUTH_ROLES | kci-read=              | Setting KCI_AUTH_ROLES: role 'kci-read' grants no permission",
        "AUTH_ROLES | a=get;a=post           | Setting KCI_AUTH_ROLES: role 'a' is mapped twice",
        "AUTH_ROLES | a=ip_restricted        | Setting KCI_AUTH_ROLES: role 'a': unknown permission 'ip_restricted' (one of "
                + "admin, superuser, get, post, delete, create_token, lab, upload, test_lab)",
        "AUTH_ROLES | ;                      | Setting KCI_AUTH_ROLES: no role is mapped"})
    @DisplayName("a bad KCI_AUTH or KCI_AUTH_ROLES stops the start, naming the setting and the entry at fault")
    void badSettings(String setting, String value, String message) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        values.put(Setting.AUTH, "container");
        values.put(Setting.valueOf(setting), value);
        Settings settings = Settings.of(values);
        try (CapturedLog log = new CapturedLog(KciApplication.class)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new KciApplication(settings, Clock.systemUTC()));
            assertEquals(message, refused.getMessage());
            // The one line a container's log gets for it.
            assertEquals(List.of("Not started: " + message),
                    log.at(Level.ERROR).stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
    }

    private static JsonArray array(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        try (JsonReader reader = Json.createReader(new StringReader(reply.body()))) {
            return reader.readArray();
        }
    }
}

package org.kernelci.batch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;

/**
 * Container sign-in in a real Tomcat 10.1: the WAR at {@code /portal} (beside the contexts of
 * {@link TomcatDeploymentIT}, on the database of {@code /kci}), configured as README.md says:
 * {@code tomcat-conf/context.xml} with {@code kci.auth=container}, a realm (here a MemoryRealm
 * over {@code src/test/resources/tomcat-it-users.xml}, one user per role and one whose role maps
 * to nothing), and the WAR's web.xml with {@code tomcat-conf/sign-in-web.xml} added, read through
 * {@code altDDName} (pom.xml makes both). Users sign in with the FORM login of the dashboard's
 * pages; the API calls of the same session carry them. Skipped with -DskipTomcat.
 */
@DisabledIfSystemProperty(named = "kci.it.tomcat.skip", matches = "true")
class TomcatSignInIT {
    private static final String PORTAL = "/portal";
    private static final String JSON = "application/json";
    private static final String FORBIDDEN = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";
    private static final Map<String, String> SESSIONS = new HashMap<>();

    private static HttpProbe http;
    private static String[] admin;

    @BeforeAll
    static void deployed() throws InterruptedException {
        http = new HttpProbe(URI.create("http://127.0.0.1:" + Integer.getInteger("kci.it.tomcat.port")));
        admin = new String[] {"Authorization", System.getProperty("kci.it.admin.token")};
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (http.get(PORTAL + "/health").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(PORTAL + "/health does not answer (Tomcat's log: target/tomcat-it/tomcat.log)");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Signs the user in as a browser does: asks for the dashboard, gets the login page and a
     * session, posts the form to j_security_check, and is sent back to the dashboard; the
     * session cookie of the signed-in user.
     */
    private static String signIn(String user) {
        return SESSIONS.computeIfAbsent(user, name -> {
            Reply page = http.get(PORTAL + "/dashboard/");
            assertEquals(200, page.status(), page.body());
            assertTrue(page.body().contains("action=\"j_security_check\""), page.body());
            String session = cookie(page);
            Reply login = http.send("POST", PORTAL + "/dashboard/j_security_check",
                    ("j_username=" + name + "&j_password=" + name + "-pass").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Content-Type", "application/x-www-form-urlencoded", "Cookie", session);
            assertTrue(login.status() == 302 || login.status() == 303, login.status() + " " + login.body());
            assertEquals(PORTAL + "/dashboard/", URI.create(login.header("Location")).getPath());
            // Tomcat gives the signed-in user a new session id (session fixation).
            String signedIn = cookie(login);
            Reply dashboard = http.get(PORTAL + "/dashboard/", "Cookie", signedIn);
            assertEquals(200, dashboard.status());
            assertTrue(dashboard.body().contains("js/overview.js"), dashboard.body());
            return signedIn;
        });
    }

    private static String cookie(Reply reply) {
        String header = reply.header("Set-Cookie");
        assertNotNull(header, reply.headers().map().toString());
        return header.substring(0, header.indexOf(';'));
    }

    private static Reply batch(String user, String body) {
        return http.post(PORTAL + "/batch", body, "Content-Type", JSON, "Cookie", signIn(user));
    }

    private static JsonObject whoami(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    @Test
    @DisplayName("CORS and framing in Tomcat (kci.cors.origins, kci.frame.ancestors in the context file): the listed"
            + " portal's preflight and answers carry the headers, another origin gets none, the dashboard may be framed by it")
    void portalOrigin() {
        String portal = "https://portal.example.org";
        Reply preflight = http.send("OPTIONS", PORTAL + "/batch", new byte[0], "Origin", portal,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type");
        assertEquals(204, preflight.status(), preflight.body());
        assertEquals(portal, preflight.header("Access-Control-Allow-Origin"));
        assertEquals("true", preflight.header("Access-Control-Allow-Credentials"));
        assertEquals("POST", preflight.header("Access-Control-Allow-Methods"));
        Reply answer = http.get(PORTAL + "/count/boot", "Origin", portal, admin[0], admin[1]);
        assertEquals(200, answer.status(), answer.body());
        assertEquals(portal, answer.header("Access-Control-Allow-Origin"));
        assertTrue(answer.header("Vary").contains("Origin"), answer.header("Vary"));
        Reply other = http.get(PORTAL + "/count/boot", "Origin", "https://other.example.org", admin[0], admin[1]);
        assertEquals(200, other.status());
        assertNull(other.header("Access-Control-Allow-Origin"));
        Reply refused = http.send("OPTIONS", PORTAL + "/batch", new byte[0], "Origin", portal,
                "Access-Control-Request-Method", "DELETE");
        assertEquals(403, refused.status(), refused.body());
        assertTrue(http.get(PORTAL + "/dashboard/sign-in.html").header("Content-Security-Policy")
                .endsWith("frame-ancestors " + portal));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reader | [\"get\"]",
        "writer | [\"get\",\"post\",\"delete\"]",
        "boss   | [\"admin\"]"})
    @DisplayName("signed in by FORM: /whoami names the user, auth container and its roles' permissions")
    void whoami(String user, String permissions) {
        assertEquals(json("{\"user\":\"" + user + "\",\"auth\":\"container\",\"permissions\":" + permissions + "}"),
                whoami(http.get(PORTAL + "/whoami", "Cookie", signIn(user))));
    }

    @Test
    @DisplayName("a wrong password gets the error page and no session of a user; the API routes are never challenged")
    void wrongPasswordAndNoChallenge() {
        Reply page = http.get(PORTAL + "/dashboard/");
        Reply login = http.send("POST", PORTAL + "/dashboard/j_security_check",
                "j_username=reader&j_password=wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie(page));
        assertEquals(200, login.status());
        assertTrue(login.body().contains("did not match"), login.body());
        assertEquals(FORBIDDEN, http.get(PORTAL + "/whoami", "Cookie", cookie(page)).body());
        Reply anonymous = http.get(PORTAL + "/boot");
        assertEquals(403, anonymous.status());
        assertNull(anonymous.header("WWW-Authenticate"));
        assertEquals(200, http.get(PORTAL + "/version").status());
    }

    @Test
    @DisplayName("tokens still work beside the signed-in users; a token sent wins over the session's user")
    void tokens() {
        JsonObject token = whoami(http.get(PORTAL + "/whoami", admin));
        assertEquals("token", token.getString("auth"));
        assertEquals(200, http.get(PORTAL + "/lab", admin).status());
        JsonObject both = whoami(http.get(PORTAL + "/whoami", admin[0], admin[1], "Cookie", signIn("reader")));
        assertEquals("token", both.getString("auth"));
        assertEquals(FORBIDDEN, http.get(PORTAL + "/lab", "Cookie", signIn("reader"), "Authorization", "not-a-token").body());
    }

    @Test
    @DisplayName("a user whose roles map to nothing: a clear 403 naming the mapped roles, on /whoami and on a batch")
    void unmappedRoles() {
        String reason = "{\"code\":403,\"reason\":\"Operation not permitted: the signed-in user has none of the roles "
                + "kci-read, kci-write, kci-admin\"}";
        assertEquals(reason, http.get(PORTAL + "/whoami", "Cookie", signIn("visitor")).body());
        Reply batch = batch("visitor", "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\"}]}");
        assertEquals(403, batch.status());
        assertEquals(reason, batch.body());
    }

    @ParameterizedTest
    @CsvSource({"reader, 403", "writer, 403", "boss, 200"})
    @DisplayName("kernelci's batch: each role's reads per operation (boots for all, labs for the admin role only)")
    void kernelciBatch(String user, int labs) {
        Reply reply = batch(user, "{\"batch\":[{\"method\":\"GET\",\"operation_id\":\"boots\",\"collection\":\"count\","
                + "\"document_id\":\"boot\"},{\"method\":\"GET\",\"operation_id\":\"labs\",\"collection\":\"lab\"}]}");
        assertEquals(200, reply.status(), reply.body());
        JsonArray entries = json(reply.body()).getJsonArray("result");
        assertEquals(200, entries.getJsonObject(0).getInt("code"), reply.body());
        assertEquals(labs, entries.getJsonObject(1).getInt("code"), reply.body());
    }

    @ParameterizedTest
    @CsvSource({"reader, KCI403", "writer, ", "boss, "})
    @DisplayName("Appery's batch: a report written per role (refused KCI403 for the reader), the read beside it answered")
    void apperyWrite(String user, String refused) {
        String boot = """
                {"version":"1.0","lab_name":"lab-portal","job":"portal-sign-in","kernel":"v6.12","defconfig":"multi_v7_defconfig",
                 "arch":"arm","board":"board-%s","boot_result":"PASS"}""".formatted(user);
        Reply reply = batch(user, "[{\"method\":\"POST\",\"collection\":\"boot\",\"data\":" + boot + "},"
                + "{\"method\":\"GET\",\"collection\":\"count\"}]");
        assertEquals(200, reply.status(), reply.body());
        JsonArray results;
        try (JsonReader reader = Json.createReader(new StringReader(reply.body()))) {
            results = reader.readArray();
        }
        if (refused == null) {
            assertNotNull(results.getJsonObject(0).getJsonObject("success").getString("_id"), reply.body());
            assertNull(reply.header("X-Batch-Errors"));
        } else {
            assertEquals(refused, results.getJsonObject(0).getJsonObject("error").getString("code"), reply.body());
            assertEquals("1", reply.header("X-Batch-Errors"));
        }
        assertTrue(results.getJsonObject(1).containsKey("success"), reply.body());
    }
}

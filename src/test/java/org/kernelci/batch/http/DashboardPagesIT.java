package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** The dashboard's files over HTTP: types, security headers, the redirects, and API answers left as they were. */
class DashboardPagesIT {
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/ | text/html;charset=utf-8", "/dashboard/index.html | text/html;charset=utf-8",
        "/dashboard/tree.html | text/html;charset=utf-8", "/dashboard/console.html | text/html;charset=utf-8",
        "/dashboard/tile.html | text/html;charset=utf-8", "/dashboard/js/tile.js | text/javascript;charset=utf-8",
        "/dashboard/js/api.js | text/javascript;charset=utf-8", "/dashboard/css/dashboard.css | text/css;charset=utf-8",
        "/dashboard/lib/chart.umd.js | text/javascript;charset=utf-8", "/dashboard/favicon.svg | image/svg+xml",
        "/dashboard/examples/dashboard-batch.json | application/json;charset=utf-8"})
    @DisplayName("each file with its type, the Content-Security-Policy and nosniff, no token needed")
    void files(String row) {
        String[] parts = row.split(" \\| ");
        Reply reply = server.http().get(parts[0]);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(parts[1], reply.header("Content-Type").replace(" ", "").toLowerCase());
        assertEquals(DashboardResource.contentSecurityPolicy(FrameAncestors.NONE), reply.header("Content-Security-Policy"));
        assertTrue(reply.header("Content-Security-Policy").contains("script-src 'self';"));
        assertEquals("nosniff", reply.header("X-Content-Type-Options"));
        assertTrue(reply.body().length() > 100);
    }

    @Test
    @DisplayName("the pages hold no inline script and no inline handler: the policy would block them")
    void noInlineScript() {
        for (String page : new String[] {"index.html", "tree.html", "console.html", "tile.html"}) {
            String html = server.http().get("/dashboard/" + page).body();
            assertTrue(html.replaceAll("<script (type=\"module\" )?src=\"[^\"]+\"></script>", "").indexOf("<script") < 0, page);
            assertTrue(!html.matches("(?s).*\\son[a-z]+=.*"), page);
            assertTrue(!html.contains("style="), page);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/nope.html", "/dashboard/WEB-INF/web.xml", "/dashboard/js/api.exe", "/dashboard/JS/API.JS",
        "/dashboard/js/", "/dashboard/.hidden.js"})
    @DisplayName("anything else under /dashboard/ is the service's 404 JSON; WEB-INF stays out of reach")
    void missing(String path) {
        Reply reply = server.http().get(path);
        assertEquals(404, reply.status(), reply.body());
        assertEquals(404, json(reply.body()).getInt("code"));
    }

    @Test
    @DisplayName("/dashboard without the slash moves to /dashboard/, so the pages' relative links resolve")
    void slash() {
        Reply reply = server.http().get("/dashboard");
        assertEquals(301, reply.status());
        assertEquals("/dashboard/", reply.header("Location"));
    }

    @Test
    @DisplayName("GET / from a browser moves to the dashboard")
    void browserHome() {
        Reply reply = server.http().get("/", "Accept", BROWSER_ACCEPT);
        assertEquals(303, reply.status());
        assertEquals("/dashboard/", reply.header("Location"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*/*", "application/json", "application/json, text/html", "text/html;q=0.5, application/json",
        "text/*", "not a media type"})
    @DisplayName("GET / from anything else is the 404 it always was")
    void apiHome(String accept) {
        Reply reply = accept.isEmpty() ? server.http().get("/") : server.http().get("/", "Accept", accept);
        assertEquals(404, reply.status(), accept);
        assertEquals(404, json(reply.body()).getInt("code"));
        assertNull(reply.header("Location"));
    }

    @Test
    @DisplayName("only GET / moves: other paths and methods with a browser's Accept answer as before")
    void onlyTheRoot() {
        assertEquals(403, server.http().get("/boot", "Accept", BROWSER_ACCEPT).status());
        assertEquals(404, server.http().send("DELETE", "/", null, "Accept", BROWSER_ACCEPT).status());
        assertEquals(404, server.http().send("HEAD", "/", null, "Accept", BROWSER_ACCEPT).status());
        assertEquals(405, server.http().post("/dashboard", "{}", "Content-Type", "application/json").status());
    }
}

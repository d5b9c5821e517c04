package org.kernelci.batch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.TestServer;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A portal's page on another origin (a second server, another port, serving
 * {@code portal/portal.html}) in a real browser: its script calls {@code POST /batch} with a token,
 * then again with the answer's tag, and it frames a dashboard tile that takes its token by postMessage. With KCI_CORS_ORIGINS and
 * KCI_FRAME_ANCESTORS naming the portal both work; without them the browser refuses both. Skipped
 * without the browser on a developer machine, failed in CI, as {@link DashboardBrowserIT}.
 */
class PortalBrowserIT {
    private static final String CHROMIUM = System.getProperty("kci.it.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("kci.it.chromedriver", "/usr/bin/chromedriver");
    private static final String TOKEN = "portal-reader-token";

    private static Server portal;
    private static String portalOrigin;
    private static TestServer embeddable;
    private static TestServer closed;
    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            String message = "The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver";
            if (System.getenv("CI") != null) {
                fail("CI is set: " + message);
            }
            Assumptions.abort("Skipped: " + message);
        }
        byte[] page;
        try (InputStream in = PortalBrowserIT.class.getResourceAsStream("/portal/portal.html")) {
            page = in.readAllBytes();
        }
        portal = new Server();
        ServerConnector connector = new ServerConnector(portal);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        portal.addConnector(connector);
        portal.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=UTF-8");
                response.write(true, ByteBuffer.wrap(page), callback);
                return true;
            }
        });
        portal.start();
        portalOrigin = "http://127.0.0.1:" + connector.getLocalPort();

        embeddable = TestServer.start(Clock.systemUTC(), Map.of(Setting.CORS_ORIGINS, portalOrigin,
                Setting.FRAME_ANCESTORS, portalOrigin));
        closed = TestServer.start(Clock.systemUTC(), Map.of());
        for (TestServer server : List.of(embeddable, closed)) {
            server.addToken(TOKEN, "can_get");
        }

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + Files.createTempDirectory("kci-chromium"));
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        // Generous, as the machine is shared; a wait on a condition, never a sleep.
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        for (TestServer server : new TestServer[] {embeddable, closed}) {
            if (server != null) {
                server.close();
            }
        }
        if (portal != null) {
            portal.stop();
        }
    }

    /** Opens the portal's page calling and framing this service; its script's results, once it ran. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> openPortal(TestServer server) {
        driver.manage().logs().get(LogType.BROWSER);
        driver.get(portalOrigin + "/portal.html?api=" + URLEncoder.encode(server.base().toString(), StandardCharsets.UTF_8)
                + "&token=" + TOKEN);
        return (Map<String, Object>) wait.until(browser -> driver.executeScript("return window.portalResults"));
    }

    /** The title of the document in the portal's frame, or null when the browser put its error page there. */
    private static String framedTitle() {
        try {
            return wait.until(browser -> {
                driver.switchTo().defaultContent();
                driver.switchTo().frame("tile");
                String location = (String) driver.executeScript("return location.href");
                if (location.startsWith("chrome-error:")) {
                    return "";
                }
                String title = (String) driver.executeScript("return document.readyState === 'complete' ? document.title : null");
                return title == null || title.isEmpty() ? null : title;
            });
        } finally {
            driver.switchTo().defaultContent();
        }
    }

    /** The status of the framed tile's last batch, once it has one. */
    private static String tileStatus() {
        try {
            return wait.until(browser -> {
                driver.switchTo().defaultContent();
                driver.switchTo().frame("tile");
                return (String) driver.executeScript("return document.body.dataset.lastStatus || null");
            });
        } finally {
            driver.switchTo().defaultContent();
        }
    }

    private static List<String> browserProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage).toList();
    }

    @Test
    @DisplayName("with the portal's origin in both settings: its script reads /batch's answers (a 200, then the kept batch's 304),"
            + " its frame shows a dashboard tile, which takes its token from the portal's page by postMessage")
    void portalWithTheSettings() {
        Map<String, Object> results = openPortal(embeddable);
        assertNull(results.get("failure"), results.toString());
        assertEquals(200L, results.get("status"), results.toString());
        assertEquals(200L, results.get("code"));
        assertNotNull(results.get("etag"), "the ETag is exposed: " + results);
        assertTrue(String.valueOf(results.get("serverTiming")).contains("db;dur="), "Server-Timing is exposed: " + results);
        assertEquals(304L, results.get("againStatus"), "the 304 carries the CORS headers too: " + results);
        assertEquals("Tile · kci-batch", framedTitle());
        assertEquals("200", tileStatus(), "the tile's batch, with the token the portal's page posted");
        assertEquals(List.of(), browserProblems().stream().filter(problem -> problem.contains("CORS")
                || problem.contains("frame-ancestors")).toList());
    }

    @Test
    @DisplayName("without the settings: the browser refuses the portal's call (CORS) and the frame (frame-ancestors 'none')")
    void portalWithoutTheSettings() {
        Map<String, Object> results = openPortal(closed);
        assertEquals("TypeError: Failed to fetch", results.get("failure"), results.toString());
        assertNull(results.get("status"));
        assertEquals("", framedTitle(), "the frame holds the browser's error page");
        List<String> problems = browserProblems();
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("CORS policy")), problems.toString());
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("frame-ancestors 'none'")), problems.toString());
    }
}

package org.kernelci.batch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.SignedInUsers;
import org.kernelci.batch.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through /usr/bin/chromedriver)
 * against a test server with generated data: the numbers shown are the API's answers to the
 * same queries, fetched here over HTTP; the server counts what each view cost. Screenshots at
 * 1280 px go to {@code target/dashboard-screenshots/}. Without the browser the test is skipped on
 * a developer machine and fails in CI (the variable {@code CI} set; {@code .ci/run} installs it).
 */
class DashboardBrowserIT {
    /** Debian's; given here, Selenium Manager downloads nothing. */
    private static final String CHROMIUM = System.getProperty("kci.it.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("kci.it.chromedriver", "/usr/bin/chromedriver");
    private static final String TOKEN = "dashboard-reader-token";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    /** Every status the tree page counts, in its order; the overview counts the same. */
    private static final List<String> BUILD_STATUSES = List.of("FAIL", "PASS", "UNKNOWN");
    private static final List<String> BOOT_STATUSES = List.of("FAIL", "OFFLINE", "PASS", "UNTRIED");
    /** The window "last 5 days" (the default): today and the 4 days before, date_range=4. */
    private static final String LAST_5_DAYS = "date_range=4";

    private static TestServer server;
    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException, SQLException {
        requireBrowser();
        // The tiles' portal page frames them from the service's own origin.
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.FRAME_ANCESTORS, "'self'"), new PortalPages());
        assertEquals(200, server.http().get("/health").status());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            DataGenerator.load(connection, 42, 20_000, LocalDate.now(ZoneOffset.UTC), rows -> { });
            // The newest failed boot of all, with a board name that is HTML.
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO boot (id, created_on, job, kernel, defconfig, arch, board, lab_name, status, boot_result_description)
                    VALUES (?, ?, 'mainline', 'v6.13-hostile', 'multi_v7_defconfig', 'arm', ?, 'lab-collabora', 'FAIL', ?)""")) {
                insert.setString(1, String.format("%08x", Instant.now().getEpochSecond()) + "0000000000000bad");
                insert.setObject(2, OffsetDateTime.now(ZoneOffset.UTC).toLocalDate().atTime(23, 59, 59).atOffset(ZoneOffset.UTC));
                insert.setString(3, HOSTILE);
                insert.setString(4, "<script>alert(2)</script>");
                insert.execute();
            }
        }
        server.addToken(TOKEN, "can_get");
        Files.createDirectories(SCREENSHOTS);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + Files.createTempDirectory("kci-chromium"));
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        // An explicit wait on conditions, generous because the machine is shared; never a sleep.
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    private static void requireBrowser() {
        if (Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER))) {
            return;
        }
        String message = "The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install -y chromium chromium-driver";
        if (System.getenv("CI") != null) {
            fail("CI is set: " + message);
        }
        Assumptions.abort("Skipped: " + message);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Opens a page in a tab with no token and no remembered trees, counting from here. */
    private static void openFresh(String path) {
        driver.get(server.base().resolve("/dashboard/console.html?blank").toString());
        driver.executeScript("sessionStorage.clear(); localStorage.clear();");
        browserProblems();
        server.requests().clear();
        driver.get(server.base().resolve(path).toString());
    }

    /**
     * The browser console's warnings and errors since the last call: script errors, refused
     * loads, Content-Security-Policy violations. Not the answer to GET /whoami, which the
     * console reports as a failed load when it is no 200: the token path, as the pages expect.
     */
    private static List<String> browserProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.matches("\\S+/whoami - Failed to load resource: .*"))
                .toList();
    }

    private static void enterToken(String token) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        input.sendKeys(token);
        driver.findElement(By.id("token-submit")).click();
    }

    private static void awaitView() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "This view:"));
    }

    /** The API's requests (not the page's files, nor its sign-in question, GET /whoami), as the server saw them. */
    private static List<String> apiRequests() {
        return server.requests().all().stream()
                .filter(request -> !request.startsWith("GET /dashboard/") && !request.equals("GET /whoami")).toList();
    }

    private static int apiCount(String collection, String query) {
        Reply reply = server.http().get("/count/" + collection + "?" + query, "Authorization", TOKEN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0).getInt("count");
    }

    private static JsonObject apiList(String collection, String query) {
        Reply reply = server.http().get("/" + collection + "?" + query, "Authorization", TOKEN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body());
    }

    /** An id in either wire form: {"$oid": hex} or a plain string. */
    private static String idOf(JsonValue value) {
        return value instanceof JsonString text ? text.getString() : value.asJsonObject().getString("$oid");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int number(WebElement cell) {
        return Integer.parseInt(cell.getText().strip());
    }

    /** The whole page at 1280 px wide, written under target/. */
    private static void screenshot(String name) throws IOException {
        long height = (Long) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(1280, (int) Math.max(800, Math.min(height + 140, 4000))));
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(before);
    }

    private static void assertNoAlert() {
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
    }

    @Test
    @DisplayName("container sign-in (KCI_AUTH=container): a user the container signed in sees the overview without"
            + " a token, and who is signed in; the batch goes without Authorization")
    void containerSignIn() {
        try (TestServer signedIn = TestServer.start(Clock.systemUTC(), Map.of(Setting.AUTH, "container"),
                SignedInUsers.always("jdoe <reader>", Set.of("kci-read")))) {
            driver.get(signedIn.base().resolve("/dashboard/").toString());
            driver.executeScript("sessionStorage.clear(); localStorage.clear();");
            signedIn.requests().clear();
            driver.navigate().refresh();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "This view:"));
            WebElement who = driver.findElement(By.id("signed-in"));
            assertTrue(who.isDisplayed());
            assertEquals("signed in as jdoe <reader>", who.getText());
            assertTrue(driver.findElements(By.id("token-input")).stream().noneMatch(WebElement::isDisplayed),
                    "no token is asked for");
            assertEquals(1, signedIn.requests().count("POST", "/batch"));
            assertEquals(null, driver.executeScript("return sessionStorage.getItem('kci-batch.token')"));
        } finally {
            browserProblems();
        }
    }

    @Test
    @DisplayName("overview: a browser at / lands on it, pastes the token once, and one POST /batch shows the API's numbers")
    void overview() throws IOException {
        openFresh("/");
        enterToken(TOKEN);
        awaitView();
        assertTrue(driver.getCurrentUrl().endsWith("/dashboard/"), driver.getCurrentUrl());
        assertEquals(List.of("GET /", "POST /batch"), apiRequests());
        assertEquals(1, server.requests().count("GET", "/whoami"), "the page asks once who the container signed in");
        assertEquals(List.of(), browserProblems());

        List<WebElement> rows = driver.findElements(By.cssSelector("#trees tbody tr"));
        // Every tree with its newest job, the most recently active first.
        List<String> expectedTrees = apiList("job", "aggregate=job&sort=created_on&field=job&field=created_on")
                .getJsonArray("result").stream().map(JsonValue::asJsonObject)
                .sorted(java.util.Comparator.comparingLong(
                        (JsonObject doc) -> doc.getJsonObject("created_on").getJsonNumber("$date").longValue()).reversed())
                .map(doc -> doc.getString("job")).toList();
        assertEquals(expectedTrees, rows.stream().map(row -> row.getAttribute("data-tree")).toList());
        assertEquals(DataGenerator.JOBS.size(), rows.size());
        assertEquals("last 5 days", new Select(driver.findElement(By.id("window"))).getFirstSelectedOption().getText());
        int nonZero = 0;
        int untried = 0;
        for (WebElement row : rows) {
            String tree = row.getAttribute("data-tree");
            for (String status : BUILD_STATUSES) {
                assertEquals(apiCount("defconfig", "job=" + encode(tree) + "&status=" + status + "&" + LAST_5_DAYS),
                        number(row.findElement(By.cssSelector("[data-metric='defconfig-" + status + "']"))), tree + " builds " + status);
            }
            for (String status : BOOT_STATUSES) {
                int shown = number(row.findElement(By.cssSelector("[data-metric='boot-" + status + "']")));
                assertEquals(apiCount("boot", "job=" + encode(tree) + "&status=" + status + "&" + LAST_5_DAYS), shown,
                        tree + " boots " + status);
                nonZero += shown;
                untried += status.equals("UNTRIED") ? shown : 0;
            }
            JsonObject latest = apiList("job", "job=" + encode(tree) + "&sort=created_on&limit=1&field=kernel")
                    .getJsonArray("result").getJsonObject(0);
            assertEquals(latest.getString("kernel"), row.findElement(By.cssSelector("[data-metric='kernel']")).getText());
        }
        assertTrue(nonZero > 0, "the generated data has boots in the window");
        assertTrue(untried > 0, "the generated data has untried boots in the window");

        driver.findElement(By.cssSelector("#chart-heading ~ details summary")).click();
        List<WebElement> days = driver.findElements(By.cssSelector("#per-day tbody tr"));
        assertEquals(5, days.size(), "the last 5 days: today and the 4 days before");
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(4).toString(), days.get(0).getAttribute("data-day"));
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), days.get(4).getAttribute("data-day"));
        for (String status : BOOT_STATUSES) {
            int window = 0;
            for (WebElement day : days) {
                int shown = number(day.findElement(By.cssSelector("[data-status='" + status + "']")));
                assertEquals(apiCount("boot", "created_on=" + day.getAttribute("data-day") + "&status=" + status), shown,
                        day.getAttribute("data-day") + " " + status);
                window += shown;
            }
            // The day bars cover exactly the days the trees' counts cover.
            assertEquals(apiCount("boot", "status=" + status + "&" + LAST_5_DAYS), window, "boots " + status + " per day, summed");
        }
        assertEquals(5, ((Number) driver.executeScript("return Chart.getChart('boots-chart').data.labels.length")).intValue(),
                "one bar per day");
        assertTrue((Boolean) driver.executeScript(
                "const c = document.getElementById('boots-chart'); return c instanceof HTMLCanvasElement && c.width > 0 && !!window.Chart;"),
                "Chart.js drew the chart");

        List<WebElement> failed = driver.findElements(By.cssSelector("#failed-boots tbody tr"));
        JsonObject apiFailed = apiList("boot", "status=FAIL&" + LAST_5_DAYS + "&sort=created_on&limit=15&field=board");
        assertEquals(apiFailed.getJsonArray("result").size(), failed.size());
        for (int i = 0; i < failed.size(); i++) {
            assertEquals(idOf(apiFailed.getJsonArray("result").getJsonObject(i).get("_id")), failed.get(i).getAttribute("data-id"));
        }
        screenshot("overview");

        // Another window: again exactly one batch, and its numbers.
        server.requests().clear();
        new Select(driver.findElement(By.id("window"))).selectByValue("14");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#per-day tbody tr"), 14));
        awaitView();
        assertEquals(List.of("POST /batch"), apiRequests());
        WebElement next = driver.findElement(By.cssSelector("#trees tr[data-tree='next'] [data-metric='boot-FAIL']"));
        assertEquals(apiCount("boot", "job=next&status=FAIL&date_range=13"), number(next));
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(13).toString(),
                driver.findElement(By.cssSelector("#per-day tbody tr")).getAttribute("data-day"));
        new Select(driver.findElement(By.id("window"))).selectByValue("1");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#per-day tbody tr"), 1));
        awaitView();
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), driver.findElement(By.cssSelector("#per-day tbody tr")).getAttribute("data-day"));
        next = driver.findElement(By.cssSelector("#trees tr[data-tree='next'] [data-metric='boot-PASS']"));
        assertEquals(apiCount("boot", "job=next&status=PASS&date_range=0"), number(next));
        assertTrue(driver.getCurrentUrl().endsWith("?days=1"), driver.getCurrentUrl());
        assertEquals(List.of(), browserProblems());
        assertFalse(driver.getCurrentUrl().contains(TOKEN));
    }

    @Test
    @DisplayName("trees the browser had not seen cost one more batch, once; then the view is one batch again")
    void newTrees() {
        openFresh("/dashboard/console.html");
        driver.executeScript("localStorage.setItem('kci-batch.trees', '[\"mainline\"]');"
                + "sessionStorage.setItem('kci-batch.token', arguments[0]);", TOKEN);
        server.requests().clear();
        driver.get(server.base().resolve("/dashboard/").toString());
        awaitView();
        assertEquals(List.of("POST /batch", "POST /batch"), apiRequests());
        assertEquals(DataGenerator.JOBS.size(), driver.findElements(By.cssSelector("#trees tbody tr")).size());
        assertTrue(driver.findElement(By.id("status")).getText().startsWith("This view: 2 POST /batch"));
        server.requests().clear();
        driver.navigate().refresh();
        awaitView();
        assertEquals(List.of("POST /batch"), apiRequests());
    }

    @Test
    @DisplayName("hostile document text is shown as text: no element made from it, no script run")
    void hostileTextStaysText() {
        openFresh("/dashboard/");
        enterToken(TOKEN);
        awaitView();
        WebElement first = driver.findElement(By.cssSelector("#failed-boots tbody tr"));
        assertEquals(HOSTILE, first.findElement(By.cssSelector("td.board")).getText());
        assertTrue(first.getText().contains("<script>alert(2)</script>"), first.getText());
        assertTrue(driver.findElements(By.cssSelector("main img, main script")).isEmpty());
        assertNoAlert();
        assertEquals(List.of(), browserProblems());
    }

    @Test
    @DisplayName("a refused token is asked for again; the token lives in sessionStorage, never in a cookie or the URL")
    void badTokenAskedAgain() {
        openFresh("/dashboard/");
        enterToken("not-a-token");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-reason"), "refused"));
        assertTrue(driver.findElements(By.cssSelector("#trees")).isEmpty());
        enterToken(TOKEN);
        awaitView();
        assertEquals(List.of("POST /batch", "POST /batch"), apiRequests());
        assertEquals(TOKEN, driver.executeScript("return sessionStorage.getItem('kci-batch.token')"));
        assertTrue(driver.manage().getCookies().isEmpty());
        assertFalse(driver.getCurrentUrl().contains(TOKEN));

        // Cancelling the dialog leaves a message in the page, not a blank page.
        openFresh("/dashboard/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        driver.findElement(By.cssSelector("#token-dialog button[type='button']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "No token"));
        assertTrue(driver.findElement(By.id("status")).getAttribute("class").contains("error"));
    }

    @Test
    @DisplayName("a page that cannot show its view says why in the page")
    void errorsInThePage() {
        openFresh("/dashboard/tree.html");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "No tree given"));
        assertTrue(driver.findElement(By.id("status")).getAttribute("class").contains("error"));
        assertTrue(apiRequests().isEmpty());
    }

    @Test
    @DisplayName("a tree's page (opened from the keyboard): one batch per view; counts, lists failures first and paging equal the API's")
    void treePage() throws IOException {
        openFresh("/dashboard/");
        enterToken(TOKEN);
        awaitView();
        // The most recently active tree, first row.
        WebElement first = driver.findElement(By.cssSelector("#trees tbody tr"));
        String tree = first.getAttribute("data-tree");
        List<String> overviewNames = driver.findElements(By.cssSelector("#trees thead tr:nth-child(2) th")).stream()
                .map(WebElement::getText).toList();
        List<Integer> overviewCounts = new ArrayList<>();
        BUILD_STATUSES.forEach(status -> overviewCounts.add(number(first.findElement(By.cssSelector("[data-metric='defconfig-" + status + "']")))));
        BOOT_STATUSES.forEach(status -> overviewCounts.add(number(first.findElement(By.cssSelector("[data-metric='boot-" + status + "']")))));
        server.requests().clear();
        driver.findElement(By.cssSelector("#trees tbody tr a")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.id("tree-title"), tree));
        awaitView();
        assertEquals(List.of("POST /batch"), apiRequests());

        String window = "job=" + encode(tree) + "&" + LAST_5_DAYS;
        for (String status : BUILD_STATUSES) {
            assertEquals(apiCount("defconfig", window + "&status=" + status),
                    number(driver.findElement(By.cssSelector("#build-counts [data-status='" + status + "'] strong"))), "builds " + status);
        }
        for (String status : BOOT_STATUSES) {
            assertEquals(apiCount("boot", window + "&status=" + status),
                    number(driver.findElement(By.cssSelector("#boot-counts [data-status='" + status + "'] strong"))), "boots " + status);
        }
        // The overview's row of the tree counts every status this page counts, by the same names.
        List<WebElement> chips = driver.findElements(By.cssSelector("#build-counts .chip, #boot-counts .chip"));
        assertEquals(overviewNames, chips.stream().map(chip -> chip.getText().replaceAll("\\s*\\d+$", "")).toList());
        assertEquals(overviewCounts, chips.stream().map(chip -> number(chip.findElement(By.tagName("strong")))).toList());
        int boots = apiCount("boot", window);
        assertTrue(boots > 20, "more than one page of boots: " + boots);
        assertEquals("1–20 of " + boots, driver.findElement(By.id("boots-range")).getText());
        assertEquals("FAIL", driver.findElement(By.cssSelector("#boots tbody tr td.status-cell")).getText(), "failures first");
        assertEquals(apiCount("defconfig", window), Integer.parseInt(driver.findElement(By.id("builds-range")).getText().replaceAll(".* of ", "")));
        // The kernels of the window only: the tree has older ones.
        int kernels = apiList("job", window).getInt("count");
        assertEquals(kernels, Integer.parseInt(driver.findElement(By.id("kernels-range")).getText().replaceAll(".* of ", "")));
        assertTrue(kernels < apiList("job", "job=" + encode(tree)).getInt("count"), "the tree has kernels older than the window");
        String oldest = LocalDate.now(ZoneOffset.UTC).minusDays(4).toString();
        driver.findElements(By.cssSelector("#kernels tbody td.when"))
                .forEach(cell -> assertTrue(cell.getText().compareTo(oldest) >= 0, cell.getText() + " is in the window"));
        screenshot("tree");

        server.requests().clear();
        driver.findElement(By.id("boots-next")).click();
        wait.until(ExpectedConditions.textToBe(By.id("boots-range"), "21–" + Math.min(40, boots) + " of " + boots));
        awaitView();
        assertEquals(List.of("POST /batch"), apiRequests());
        JsonObject second = apiList("boot", window + "&sort=status&sort=lab_name&sort=board&sort_order=1&limit=20&skip=20&field=board");
        List<String> expected = new ArrayList<>();
        second.getJsonArray("result").forEach(doc -> expected.add(idOf(doc.asJsonObject().get("_id"))));
        assertEquals(expected, driver.findElements(By.cssSelector("#boots tbody tr")).stream().map(row -> row.getAttribute("data-id")).toList());

        // A filter by arch: the builds' counts follow it.
        server.requests().clear();
        new Select(driver.findElement(By.id("arch-filter"))).selectByValue("arm64");
        wait.until(ExpectedConditions.urlContains("arch=arm64"));
        awaitView();
        assertEquals(List.of("POST /batch"), apiRequests());
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#build-counts [data-status='PASS'] strong"),
                String.valueOf(apiCount("defconfig", window + "&arch=arm64&status=PASS"))));
        driver.findElements(By.cssSelector("#builds tbody tr td:nth-child(2)")).forEach(cell -> assertEquals("arm64", cell.getText()));
    }

    @Test
    @DisplayName("batch console: an example with BOOT_ID filled in, run, each entry with its code, the time, and curl")
    void console() throws IOException {
        String newest = idOf(apiList("boot", "sort=created_on&limit=1&field=_id").getJsonArray("result").getJsonObject(0).get("_id"));
        openFresh("/dashboard/console.html");
        new Select(driver.findElement(By.id("example"))).selectByValue("dashboard-batch.json");
        enterToken(TOKEN);
        WebElement body = driver.findElement(By.id("batch-body"));
        wait.until(ExpectedConditions.attributeContains(body, "value", newest));
        assertFalse(body.getDomProperty("value").contains("BOOT_ID"));

        driver.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#entries tbody tr"), 10));
        assertEquals(List.of("POST /batch", "POST /batch"), apiRequests(), "the BOOT_ID lookup, then the run");
        List<WebElement> entries = driver.findElements(By.cssSelector("#entries tbody tr"));
        entries.forEach(row -> assertEquals("200", row.getAttribute("data-code"), row.getText()));
        assertEquals("count " + apiCount("boot", "job=next&status=FAIL&date_range=5") + " (boot)",
                entries.get(0).findElement(By.cssSelector("summary")).getText());
        assertEquals("1 document", entries.get(9).findElement(By.cssSelector("summary")).getText());
        assertTrue(entries.get(9).getDomProperty("textContent").contains(newest));
        String summary = driver.findElement(By.id("answer-summary")).getText();
        assertTrue(summary.matches("HTTP 200 · \\d+ ms · 10 entries"), summary);

        driver.findElement(By.id("copy-curl")).click();
        String curl = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("curl"))).getDomProperty("value");
        assertTrue(curl.startsWith("curl "), curl);
        assertTrue(curl.contains("'" + server.base().resolve("/batch") + "'"), curl);
        assertTrue(curl.contains("$KCI_TOKEN") && !curl.contains(TOKEN), curl);
        assertTrue(curl.contains("\"operation_id\": \"next-boot-fail\""), curl);
        screenshot("console");

        // An entry that fails shows its code; a body that is no JSON shows the service's 422.
        body.clear();
        body.sendKeys("{\"batch\":[{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"limit=abc\"},{\"method\":\"GET\",\"collection\":\"count\"}]}");
        driver.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("answer-summary"), "X-Batch-Errors: 1"));
        List<WebElement> mixed = driver.findElements(By.cssSelector("#entries tbody tr"));
        assertEquals(List.of("400", "200"), mixed.stream().map(row -> row.getAttribute("data-code")).toList());
        assertTrue(mixed.get(0).getText().contains("limit"), mixed.get(0).getText());
        // "As curl" follows the body as it is edited, without another click.
        WebElement curlArea = driver.findElement(By.id("curl"));
        curl = curlArea.getDomProperty("value");
        assertTrue(curl.contains("limit=abc") && !curl.contains("next-boot-fail"), curl);
        assertFalse(driver.findElement(By.id("curl-problem")).isDisplayed());
        body.clear();
        body.sendKeys("{not json");
        // A body that does not parse: no command, but a message that says so.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("curl-problem")));
        assertTrue(driver.findElement(By.id("curl-problem")).getText().startsWith("The body is not JSON"),
                driver.findElement(By.id("curl-problem")).getText());
        assertEquals("", curlArea.getDomProperty("value"));
        assertFalse(curlArea.isDisplayed());
        driver.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("answer-summary"), "HTTP 422"));
        assertTrue(driver.findElements(By.cssSelector("#entries tbody tr")).isEmpty());
        driver.findElement(By.id("copy-curl")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Nothing copied"));
        body.sendKeys(Keys.BACK_SPACE.toString().repeat("not json".length()) + "}");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("curl-problem")));
        assertTrue(curlArea.getDomProperty("value").contains("--data-binary '{}'"), curlArea.getDomProperty("value"));
    }

    @Test
    @DisplayName("on a phone-sized screen the pages do not scroll sideways; wide tables scroll in their box")
    void phone() throws IOException {
        openFresh("/dashboard/");
        enterToken(TOKEN);
        awaitView();
        Dimension before = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new Dimension(390, 844));
            for (String page : List.of("/dashboard/", "/dashboard/tree.html?job=next", "/dashboard/console.html")) {
                driver.get(server.base().resolve(page).toString());
                if (!page.contains("console")) {
                    awaitView();
                }
                Boolean fits = (Boolean) ((JavascriptExecutor) driver).executeScript(
                        "return document.documentElement.scrollWidth <= window.innerWidth");
                assertTrue(fits, page + " is wider than the screen");
            }
            Files.write(SCREENSHOTS.resolve("console-phone.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /** A tile's attribute on its body: data-polls, data-last-status, data-ignored-tokens. */
    private static String tileData(String name) {
        return driver.findElement(By.tagName("body")).getAttribute("data-" + name);
    }

    private static void awaitPolls(int polls) {
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-polls", String.valueOf(polls)));
    }

    /** The tile alone: no header, no navigation, no window picker. */
    private static void assertAlone() {
        assertTrue(driver.findElements(By.cssSelector("header, nav, #window, #controls")).isEmpty(),
                "a tile has no navigation chrome");
    }

    private static double keptNotModified() {
        Reply metrics = server.http().get("/metrics", "Authorization", TestServer.ADMIN_TOKEN);
        assertEquals(200, metrics.status());
        return metrics.body().lines().filter(line -> line.startsWith("kci_batch_kept_not_modified_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip())).findFirst().orElse(0);
    }

    @Test
    @DisplayName("tile of a tree: alone, the API's numbers in one batch; an idle poll is a 304, a new boot shows at the next")
    void treeTile() throws Exception {
        // The most recently active tree: it has builds and boots in the window.
        String tree = apiList("job", "sort=created_on&limit=1&field=job").getJsonArray("result").getJsonObject(0).getString("job");
        openFresh("/dashboard/tile.html?view=tree&job=" + encode(tree) + "&days=14&refresh=10");
        enterToken(TOKEN);
        awaitPolls(1);
        assertAlone();
        assertEquals(List.of("POST /batch"), apiRequests());
        assertEquals("200", tileData("last-status"));
        String window = "job=" + encode(tree) + "&date_range=13";
        int boots = 0;
        for (String status : BUILD_STATUSES) {
            assertEquals(apiCount("defconfig", window + "&status=" + status),
                    number(driver.findElement(By.cssSelector("#build-counts [data-status='" + status + "'] strong"))), "builds " + status);
        }
        for (String status : BOOT_STATUSES) {
            int shown = number(driver.findElement(By.cssSelector("#boot-counts [data-status='" + status + "'] strong")));
            assertEquals(apiCount("boot", window + "&status=" + status), shown, "boots " + status);
            boots += shown;
        }
        assertTrue(boots > 0, "the tree has boots in the window");
        assertEquals(apiList("job", "job=" + encode(tree) + "&sort=created_on&limit=1&field=kernel").getJsonArray("result").getJsonObject(0)
                .getString("kernel"), driver.findElement(By.id("kernel")).getText());
        assertEquals("tree.html?job=" + encode(tree) + "&days=14", driver.findElement(By.cssSelector("#tile-title a")).getAttribute("href")
                .replaceAll(".*/dashboard/", ""));
        String changed = driver.findElement(By.id("status")).getAttribute("data-changed");
        assertTrue(driver.findElement(By.id("status")).getText().startsWith("Changed "), driver.findElement(By.id("status")).getText());
        screenshot("tile-tree");

        // Nothing written since: the next poll is a 304 from the kept batch, and the tile stays as it was.
        double kept = keptNotModified();
        awaitPolls(2);
        assertEquals("304", tileData("last-status"));
        assertEquals(kept + 1, keptNotModified());
        assertEquals(changed, driver.findElement(By.id("status")).getAttribute("data-changed"));
        assertTrue(driver.findElement(By.id("status")).getText().contains("(unchanged)"));

        // A new failed boot of the tree: the next poll is a 200 with the new count.
        int failed = apiCount("boot", window + "&status=FAIL");
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO boot (id, created_on, job, kernel, defconfig, arch, board, lab_name, status)
                     VALUES (?, now(), ?, 'v6.14-tile', 'defconfig', 'arm64', 'tile-board', 'lab-tile', 'FAIL')""")) {
            insert.setString(1, String.format("%08x", Instant.now().getEpochSecond()) + "0000000000000001");
            insert.setString(2, tree);
            insert.execute();
        }
        awaitPolls(3);
        assertEquals("200", tileData("last-status"));
        assertEquals(failed + 1, apiCount("boot", window + "&status=FAIL"));
        assertEquals(failed + 1, number(driver.findElement(By.cssSelector("#boot-counts [data-status='FAIL'] strong"))));
        assertFalse(changed.equals(driver.findElement(By.id("status")).getAttribute("data-changed")));
        assertEquals(3, server.requests().count("POST", "/batch"), "one batch a poll");
        assertEquals(List.of(), browserProblems());
    }

    @Test
    @DisplayName("tiles of the overview's tables: each alone, one batch, the API's numbers")
    void overviewTiles() {
        openFresh("/dashboard/tile.html?view=overview&table=per-day&days=14&refresh=0");
        enterToken(TOKEN);
        awaitPolls(1);
        assertAlone();
        assertEquals(List.of("POST /batch"), apiRequests());
        List<WebElement> days = driver.findElements(By.cssSelector("#per-day tbody tr"));
        assertEquals(14, days.size());
        for (WebElement day : days.subList(10, 14)) {
            for (String status : BOOT_STATUSES) {
                assertEquals(apiCount("boot", "created_on=" + day.getAttribute("data-day") + "&status=" + status),
                        number(day.findElement(By.cssSelector("[data-status='" + status + "']"))), day.getAttribute("data-day") + " " + status);
            }
        }
        assertTrue(driver.findElements(By.cssSelector("#trees, #failed-boots, canvas")).isEmpty(), "only the table asked for");

        server.requests().clear();
        driver.get(server.base().resolve("/dashboard/tile.html?view=overview&table=trees&days=1&refresh=0").toString());
        awaitPolls(1);
        assertAlone();
        assertEquals(List.of("POST /batch"), apiRequests(), "the token is kept in the tab; the trees were seen");
        List<WebElement> rows = driver.findElements(By.cssSelector("#trees tbody tr"));
        assertEquals(DataGenerator.JOBS.size(), rows.size());
        for (WebElement row : rows.subList(0, 2)) {
            String tree = row.getAttribute("data-tree");
            for (String status : BOOT_STATUSES) {
                assertEquals(apiCount("boot", "job=" + encode(tree) + "&status=" + status + "&date_range=0"),
                        number(row.findElement(By.cssSelector("[data-metric='boot-" + status + "']"))), tree + " boots " + status);
            }
            assertEquals("_blank", row.findElement(By.cssSelector("a")).getAttribute("target"), "a tree opens the dashboard in a tab");
        }

        driver.get(server.base().resolve("/dashboard/tile.html?view=overview&table=failed-boots&refresh=0").toString());
        awaitPolls(1);
        JsonObject apiFailed = apiList("boot", "status=FAIL&" + LAST_5_DAYS + "&sort=created_on&limit=15&field=board");
        List<String> expected = apiFailed.getJsonArray("result").stream().map(doc -> idOf(doc.asJsonObject().get("_id"))).toList();
        assertEquals(expected, driver.findElements(By.cssSelector("#failed-boots tbody tr")).stream()
                .map(row -> row.getAttribute("data-id")).toList());
        assertEquals(List.of(), browserProblems());

        // A parameter the tile cannot use is said in the tile, and costs no batch.
        server.requests().clear();
        driver.get(server.base().resolve("/dashboard/tile.html?view=overview&table=boards").toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "table must be one of trees, per-day, failed-boots"));
        driver.get(server.base().resolve("/dashboard/tile.html?view=tree&job=next&days=40").toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "days must be"));
        driver.get(server.base().resolve("/dashboard/tile.html?view=tree&job=next&parent=" + encode("https://portal.example/x")).toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "parent must be an origin"));
        assertEquals(List.of(), apiRequests());
    }

    /** The portal test page, framing a tile whose portal is this origin; the page's own parameters after. */
    private static String portalPage(String tileQuery, String more) {
        String origin = server.base().toString().replaceAll("/$", "");
        String tile = origin + "/dashboard/tile.html?" + tileQuery + "&parent=" + encode(origin);
        return PortalPages.PATH + "tile-portal.html?tile=" + encode(tile) + "&token=" + encode(TOKEN) + more;
    }

    @Test
    @DisplayName("a tile in a portal's iframe takes the token the portal page posts: no dialog, no token in a URL")
    void tokenFromPortal() {
        openFresh(portalPage("view=tree&job=mainline&refresh=0", ""));
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("tile")));
        awaitPolls(1);
        assertTrue(driver.findElements(By.id("token-dialog")).isEmpty());
        assertEquals(String.valueOf(apiCount("boot", "job=mainline&" + LAST_5_DAYS + "&status=PASS")),
                driver.findElement(By.cssSelector("#boot-counts [data-status='PASS'] strong")).getText());
        assertEquals(TOKEN, driver.executeScript("return sessionStorage.getItem('kci-batch.token')"));
        assertFalse(((String) driver.executeScript("return location.href")).contains(TOKEN));
        driver.switchTo().defaultContent();
        assertEquals("1", driver.findElement(By.tagName("body")).getAttribute("data-wanted"));
        assertEquals(1, server.requests().count("POST", "/batch"));
        assertEquals(List.of(), browserProblems());
    }

    @Test
    @DisplayName("a token posted to a tile by another origin's frame is ignored; the framing page's is taken")
    void tokenFromAnotherOrigin() {
        // A sandboxed frame beside the tile: another origin (an opaque one) in the same portal page.
        openFresh(portalPage("view=tree&job=mainline&refresh=0", "&hold&beside"));
        // The tile asked its portal page for a token; the page holds its answer.
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-wanted", "1"));
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("beside")));
        wait.until(ExpectedConditions.textToBe(By.tagName("p"), "Another origin"));
        driver.executeScript("parent[0].postMessage({type: 'kci-token', token: arguments[0]}, '*')", TOKEN);
        driver.switchTo().defaultContent();
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("tile")));
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ignored-tokens", "1"));
        assertTrue(driver.findElement(By.id("status")).getText().startsWith("Waiting for the token from "));
        assertEquals(null, driver.executeScript("return sessionStorage.getItem('kci-batch.token')"));
        assertEquals(0, server.requests().count("POST", "/batch"));
        List<String> problems = browserProblems();
        assertTrue(problems.stream().anyMatch(message -> message.contains("ignored a token from null: only the framing page at " + server.base().toString().replaceAll("/$", ""))),
                problems.toString());

        // The framing page's answer is taken.
        driver.switchTo().defaultContent();
        driver.executeScript("const tile = document.getElementById('tile');"
                + "tile.contentWindow.postMessage({type: 'kci-token', token: arguments[0]}, new URL(tile.src).origin)", TOKEN);
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("tile")));
        awaitPolls(1);
        assertEquals("200", tileData("last-status"));
        assertEquals("1", tileData("ignored-tokens"));
        driver.switchTo().defaultContent();
    }
}

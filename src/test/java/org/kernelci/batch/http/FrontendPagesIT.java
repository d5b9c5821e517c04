package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.kernelci.batch.http.RealClientsIT.isSet;
import static org.kernelci.batch.http.RealClientsIT.number;
import static org.kernelci.batch.http.RealClientsIT.oid;
import static org.kernelci.batch.http.RealClientsIT.reads;
import static org.kernelci.batch.http.RealClientsIT.wire;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.launch.Launcher;
import org.kernelci.batch.testing.FrontendProxy;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * The real kernelci web frontend against the service, page by page, on the run command's demo
 * data: every backend request a page sends, in its order, as the frontend's Flask proxy sends it
 * ({@link FrontendProxy}), later requests fed with values read from earlier answers as the page
 * does; every answer checked on the wire (status, {@code Content-Encoding: gzip} from 5 bytes,
 * {@code Content-Length}, never chunked: CONTRACT.md section 3), every batch entry a 200 (an
 * entry without {@code result} stops the page's loop), each member the page reads present with
 * the JSON type it needs, and the lists it renders not empty.
 *
 * <p>Where the requests come from (read, not copied): {@code kernelci/kernelci-frontend} at
 * {@code 2020.01} ({@code app/dashboard/static/js/app/view-*.js}, the Flask views and Atom feeds
 * under {@code app/dashboard/views} and {@code utils/feed}), its {@code 2020.05} Tests, jobs and
 * SoC views ({@code view-*.2020.5.js}) and {@code 2019.11}'s compare views; the proxy's paths and
 * headers from {@code utils/backend.py} and {@code default_settings.py}. {@code
 * notes/frontend-requests.md} lists them page by page. The page's URL values are taken from the
 * demo data the way a user arrives at the page: a row of the page before, a regression, a failed
 * build, the newest boot.
 *
 * <p>The service runs as README's section on the frontend tells operators: at the root of its
 * host, {@code KCI_BATCH_LISTS=original}, a read token; the data are the run command's (seed,
 * size and today's date), and the service's clock is the system's, as the run command's.
 */
@DisplayName("kernelci-frontend's pages show the demo data")
class FrontendPagesIT {
    static final String FE01 = "kernelci-frontend 2020.01 ";
    static final String FE05 = "kernelci-frontend 2020.05 ";
    static final String FE1911 = "kernelci-frontend 2019.11 ";

    /** The frontend's {@code DATE_RANGE} and {@code NUMBER_RANGE} settings, as shipped. */
    static final int N = 5;
    static final int NR = 20;
    /** {@code MAX_QUERY_LIMIT} of {@code utils/const.js}. */
    static final int MAX_QUERY_LIMIT = 1024;
    private static final String TOKEN = "frontend-backend-token";
    private static final long DAY_MS = 86_400_000L;

    private static TestServer server;
    private static FrontendProxy proxy;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.BATCH_LISTS, "original"));
        server.http().get("/health");
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            DataGenerator.load(connection, Launcher.DEMO_SEED, Launcher.DEMO_BOOTS, LocalDate.now(ZoneOffset.UTC),
                    rows -> { });
        }
        // The frontend's BACKEND_TOKEN: a read token (README, "The kernelci web frontend").
        server.addToken(TOKEN, "can_get");
        proxy = new FrontendProxy(server.base(), TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---------------------------------------------------------------- server side

    @Nested
    @DisplayName("Server side (Flask views)")
    class ServerSide {
        @Test
        @DisplayName(FE01 + "every HTML page (inject_variables): GET /version, read only when gzipped, result[0].version")
        void version() {
            JsonObject body = get("/version");
            reads(body.getJsonArray("result").getJsonObject(0), "version");
        }
    }

    // ---------------------------------------------------------------- statistics

    @Nested
    @DisplayName("Statistics (2020.01)")
    class Statistics {
        @Test
        @DisplayName(FE01 + "/stats/ (view-stats.2017.3.3.js): the newest statistics, start_date.$date unguarded, totals positive")
        void stats() {
            List<JsonObject> docs = shown(list("/statistics?sort=created_on&sort_order=-1&limit=1"), "/stats/");
            JsonObject stats = docs.get(0);
            reads(stats, "start_date.$date", "created_on.$date");
            for (String total : List.of("total_jobs", "total_builds", "total_boots", "total_unique_trees",
                    "total_unique_kernels", "total_unique_defconfigs", "total_unique_archs", "total_unique_boards",
                    "total_unique_machs")) {
                assertTrue(number(stats, total) > 0, total + " in " + stats);
            }
            for (String period : List.of("daily", "weekly", "biweekly")) {
                for (String kind : List.of("jobs", "builds", "boots")) {
                    int value = number(stats, period + "_total_" + kind);
                    assertTrue(value > 0 && value <= number(stats, "total_" + kind), period + " " + kind + ": " + stats);
                }
            }
        }
    }

    // ---------------------------------------------------------------- jobs

    static final String JOBS_ALL = "/job?aggregate=job&aggregate=git_branch&sort=created_on&sort_order=-1&date_range=";
    static final String JOBS_ALL_FIELDS = fields("job", "kernel", "status", "created_on", "git_branch");

    /** The job and branch rows of {@code /job/} (both releases). */
    static List<JsonObject> jobsAllRows(int dateRange) {
        List<JsonObject> rows = shown(list(JOBS_ALL + dateRange + JOBS_ALL_FIELDS), "/job/ rows");
        for (JsonObject row : rows) {
            reads(row, "job", "git_branch", "kernel", "status", "created_on.$date");
        }
        return rows;
    }

    /** {@code /job/} 2020.01: eight counts per job and branch, one batch. */
    static List<JsonObject> jobsAllCounts(List<JsonObject> rows) {
        List<JsonObject> ops = new ArrayList<>();
        for (JsonObject row : rows) {
            ops.addAll(buildAndBootCounts(row.getString("job") + "-" + row.getString("git_branch"),
                    "job=" + row.getString("job") + "&kernel=" + row.getString("kernel") + "&git_branch="
                            + row.getString("git_branch"),
                    "status=OFFLINE&status=UNTRIED&status=UNKNOWN&"));
        }
        return ops;
    }

    @Nested
    @DisplayName("Jobs (2020.01)")
    class Jobs {
        @Test
        @DisplayName(FE01 + "/job/ (view-jobs-all.2017.3.5.js): trees and branches of the date range, eight counts each in one batch")
        void jobsAll() {
            List<JsonObject> rows = jobsAllRows(N);
            Map<String, Integer> counts = counts(batch(jobsAllCounts(rows)));
            assertTrue(sum(counts, "build-total-count-") > 0, counts.toString());
            assertTrue(sum(counts, "boot-total-count-") > 0, counts.toString());
        }

        @Test
        @DisplayName(FE01 + "/job/<job>/ (view-jobs-job.2017.4.js): kernels, three totals, build and boot trends, eight counts per kernel")
        void jobsJob() {
            Branch tree = regressingBranch();
            String job = tree.job();
            List<JsonObject> kernels = jobKernels(job);
            List<JsonObject> details = batch(List.of(
                    count("builds-count", "job", "job=" + job),
                    count("defconfs-count", "build", "job=" + job),
                    count("boot-reports-count", "boot", "job=" + job)));
            assertEquals(3, details.size());
            for (JsonObject entry : details) {
                assertTrue(count(entry) > 0, entry.toString());
            }
            String trends = trendsQuery(job, kernels) + "&nfield=_id";
            trendRows("/build" + trends);
            trendRows("/boot" + trends);
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : kernels) {
                ops.addAll(buildAndBootCounts(row.getString("kernel") + "-" + row.getString("git_branch"),
                        "job=" + job + "&kernel=" + row.getString("kernel") + "&git_branch=" + row.getString("git_branch"),
                        "status=OFFLINE&status=UNTRIED&"));
            }
            Map<String, Integer> counts = counts(batch(ops));
            assertTrue(sum(counts, "build-total-count-") > 0, counts.toString());
        }

        @Test
        @DisplayName(FE01 + "/job/<job>/branch/<branch>/ (view-jobs-job-branch.2017.4.js): kernels, totals with limit=, trends, counts")
        void jobsJobBranch() {
            Branch tree = regressingBranch();
            List<JsonObject> kernels = branchKernels(tree);
            String q = "job=" + tree.job() + "&git_branch=" + tree.branch() + "&limit=20";
            for (JsonObject entry : batch(List.of(count("builds-count", "job", q), count("defconfs-count", "build", q),
                    count("boot-reports-count", "boot", q)))) {
                assertTrue(count(entry) > 0, entry.toString());
            }
            String trends = trendsQuery(tree.job(), kernels) + "&git_branch=" + enc(tree.branch());
            trendRows("/build" + trends);
            trendRows("/boot" + trends);
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : kernels) {
                ops.addAll(buildAndBootCounts(row.getString("kernel"), "job=" + tree.job() + "&kernel="
                        + row.getString("kernel") + "&git_branch=" + tree.branch(), "status=OFFLINE&status=UNTRIED&"));
            }
            Map<String, Integer> counts = counts(batch(ops));
            assertTrue(sum(counts, "build-total-count-") > 0, counts.toString());
        }

        @Test
        @DisplayName(FE01 + "/job/ with DATE_RANGE covering the demo data: one batch of 8 counts per tree and branch, 120 or more")
        void jobsAllLargeBatch() {
            List<JsonObject> rows = jobsAllRows(DataGenerator.DAYS);
            List<JsonObject> ops = jobsAllCounts(rows);
            assertTrue(ops.size() >= 120, ops.size() + " operations");
            Map<String, Integer> counts = counts(batch(ops));
            assertEquals(ops.size(), counts.size());
            for (JsonObject row : rows) {
                String tail = row.getString("job") + "-" + row.getString("git_branch");
                int total = counts.get("build-total-count-" + tail);
                assertTrue(total >= counts.get("build-success-count-" + tail) + counts.get("build-fail-count-" + tail),
                        tail + ": " + counts);
            }
        }
    }

    /** jobs-job request 1 (both releases): one build per kernel and branch of the tree. */
    static List<JsonObject> jobKernels(String job) {
        List<JsonObject> kernels = shown(list("/build?aggregate=kernel&aggregate=git_branch&job=" + enc(job)
                + "&sort=created_on&sort_order=-1&limit=" + NR
                + fields("job", "kernel", "created_on", "git_branch", "git_commit", "git_url")), "/job/<job>/ kernels");
        for (JsonObject row : kernels) {
            reads(row, "kernel", "git_branch", "git_commit", "git_url", "created_on.$date", "job");
        }
        return kernels;
    }

    /** jobs-job-branch request 1 (both releases): one build per kernel of the branch (limit 20, always). */
    static List<JsonObject> branchKernels(Branch tree) {
        List<JsonObject> kernels = shown(list("/build?aggregate=kernel&job=" + enc(tree.job()) + "&git_branch="
                + enc(tree.branch()) + "&sort=created_on&sort_order=-1&limit=20"
                + fields("created_on", "git_branch", "git_commit", "git_url", "job", "kernel")), "branch kernels");
        for (JsonObject row : kernels) {
            reads(row, "kernel", "git_branch", "git_commit", "git_url", "created_on.$date", "job");
        }
        return kernels;
    }

    /** getTrendsData: from the newest row's day back as many days as the rows span. */
    static String trendsQuery(String job, List<JsonObject> rows) {
        long first = date(rows.get(0), "created_on");
        long last = date(rows.get(rows.size() - 1), "created_on");
        long range = rows.size() > 1 ? Math.round((first - last) / (double) DAY_MS) : 0;
        return "?job=" + enc(job) + "&sort=created_on&sort_order=1&created_on=" + day(first) + "&date_range=" + range
                + fields("status", "kernel", "created_on", "job");
    }

    static void trendRows(String target) {
        for (JsonObject row : shown(list(target), target)) {
            reads(row, "kernel", "status", "job");
        }
    }

    static List<JsonObject> buildCounts(String suffix, String q) {
        return List.of(
                count("build-total-count-" + suffix, "build", q),
                count("build-success-count-" + suffix, "build", "status=PASS&" + q),
                count("build-fail-count-" + suffix, "build", "status=FAIL&" + q),
                count("build-unknown-count-" + suffix, "build", "status=UNKNOWN&" + q));
    }

    static List<JsonObject> buildAndBootCounts(String suffix, String q, String bootUnknown) {
        List<JsonObject> ops = new ArrayList<>(buildCounts(suffix, q));
        ops.add(count("boot-total-count-" + suffix, "boot", q));
        ops.add(count("boot-success-count-" + suffix, "boot", "status=PASS&" + q));
        ops.add(count("boot-fail-count-" + suffix, "boot", "status=FAIL&" + q));
        ops.add(count("boot-unknown-count-" + suffix, "boot", bootUnknown + q));
        return ops;
    }

    /** 2020.05's jobs pages: the four build counts, then the test ones (regressions from test_regression). */
    static List<JsonObject> buildAndTestCounts(String suffix, String q) {
        List<JsonObject> ops = new ArrayList<>(buildCounts(suffix, q));
        ops.add(count("test-total-count-" + suffix, "test_case", q));
        ops.add(count("test-success-count-" + suffix, "test_case", "status=PASS&" + q));
        ops.add(count("test-fail-count-" + suffix, "test_regression", q));
        ops.add(count("test-unknown-count-" + suffix, "test_case", "status=FAIL&status=SKIP&regression_id=null&" + q));
        return ops;
    }

    @Nested
    @DisplayName("Jobs (2020.05)")
    class Jobs2020 {
        @Test
        @DisplayName(FE05 + "/job/ (view-jobs-all.2020.5.js): trees and branches, build and test counts in one batch")
        void jobsAll() {
            List<JsonObject> rows = jobsAllRows(N);
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : rows) {
                ops.addAll(buildAndTestCounts(row.getString("job") + "-" + row.getString("git_branch"),
                        "job=" + row.getString("job") + "&kernel=" + row.getString("kernel") + "&git_branch="
                                + row.getString("git_branch")));
            }
            Map<String, Integer> counts = counts(batch(ops));
            assertTrue(sum(counts, "build-total-count-") > 0, counts.toString());
        }

        @Test
        @DisplayName(FE05 + "/job/<job>/ (view-jobs-job.2020.5.js): kernels, totals, build and test trends, counts per kernel")
        void jobsJob() {
            String job = regressingBranch().job();
            List<JsonObject> kernels = jobKernels(job);
            for (JsonObject entry : batch(List.of(count("builds-count", "job", "job=" + job),
                    count("defconfs-count", "build", "job=" + job),
                    count("test-results-count", "test_case", "job=" + job)))) {
                assertTrue(count(entry) > 0, entry.toString());
            }
            String trends = trendsQuery(job, kernels) + "&nfield=_id";
            trendRows("/build" + trends);
            trendRows("/test/case" + trends);
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : kernels) {
                ops.addAll(buildAndTestCounts(row.getString("kernel") + "-" + row.getString("git_branch"),
                        "job=" + job + "&kernel=" + row.getString("kernel") + "&git_branch=" + row.getString("git_branch")));
            }
            Map<String, Integer> counts = counts(batch(ops));
            assertTrue(sum(counts, "test-total-count-") > 0, counts.toString());
        }

        @Test
        @DisplayName(FE05 + "/job/<job>/branch/<branch>/ (view-jobs-job-branch.2020.5.js): kernels, totals, trends, counts")
        void jobsJobBranch() {
            Branch tree = regressingBranch();
            List<JsonObject> kernels = branchKernels(tree);
            String q = "job=" + tree.job() + "&git_branch=" + tree.branch() + "&limit=20";
            for (JsonObject entry : batch(List.of(count("builds-count", "job", q), count("defconfs-count", "build", q),
                    count("test-results-count", "test_case", q)))) {
                assertTrue(count(entry) > 0, entry.toString());
            }
            String trends = trendsQuery(tree.job(), kernels) + "&git_branch=" + enc(tree.branch());
            trendRows("/build" + trends);
            trendRows("/test/case" + trends);
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : kernels) {
                ops.addAll(buildAndTestCounts(row.getString("kernel"), "job=" + tree.job() + "&kernel="
                        + row.getString("kernel") + "&git_branch=" + tree.branch()));
            }
            Map<String, Integer> counts = counts(batch(ops));
            assertTrue(sum(counts, "test-total-count-") > 0, counts.toString());
        }
    }

    // ---------------------------------------------------------------- builds

    @Nested
    @DisplayName("Builds (2020.01)")
    class Builds {
        @Test
        @DisplayName(FE01 + "/build/ (view-builds-all.2017.5.js): builds of the date range, paged by 1024 while fewer than count")
        void buildsAll() {
            String target = "/build?sort=created_on&sort_order=-1&date_range=" + N + "&limit=" + MAX_QUERY_LIMIT
                    + fields("_id", "arch", "compiler_version_ext", "created_on", "defconfig_full", "git_branch", "job",
                            "kernel", "status");
            List<JsonObject> rows = paged(target, true);
            shown(rows, "/build/");
            for (JsonObject row : rows) {
                reads(row, "_id.$oid", "job", "git_branch", "kernel", "defconfig_full", "arch", "created_on.$date",
                        "status");
                present(row, "compiler_version_ext");
            }
        }

        @Test
        @DisplayName(FE01 + "/build/<job>/kernel/<kernel>/ (view-builds-job-kernel.2017.4.js): the job, then one build per branch (sort_on ignored)")
        void buildsJobKernel() {
            Branch tree = regressingBranch();
            JsonObject job = shown(list("/job?job=" + enc(tree.job()) + "&kernel=" + enc(tree.kernel())), "job").get(0);
            buildsOfKernel(job);
        }

        @Test
        @DisplayName(FE01 + "/build/<job>/kernel/latest/ (view-builds-job-kernel.2017.4.js): the newest job, then its builds per branch")
        void buildsJobKernelLatest() {
            Branch tree = regressingBranch();
            JsonObject job = shown(list("/job?job=" + enc(tree.job()) + "&sort=created_on&sort_order=-1&limit=1"), "job")
                    .get(0);
            buildsOfKernel(job);
        }

        private void buildsOfKernel(JsonObject job) {
            reads(job, "job", "kernel");
            List<JsonObject> rows = shown(list("/build?aggregate=git_branch&job=" + enc(job.getString("job")) + "&kernel="
                    + enc(job.getString("kernel")) + "&sort_on=created_on&sort_order=-1"
                    + fields("job", "kernel", "created_on", "git_branch", "git_commit", "git_url") + "&limit=" + NR),
                    "branches of the kernel");
            for (JsonObject row : rows) {
                reads(row, "git_branch", "kernel", "git_commit", "created_on.$date");
            }
        }

        @Test
        @DisplayName(FE01 + "/build/<tree>/branch/<branch>/kernel/<kernel>/ (view-builds-job-branch-kernel.2017.7.1.js): job, log summary, builds")
        void buildsJobBranchKernel() {
            Branch tree = regressingBranch();
            JsonObject job = shown(list("/job?job=" + enc(tree.job()) + "&git_branch=" + enc(tree.branch()) + "&kernel="
                    + enc(tree.kernel())), "job").get(0);
            reads(job, "_id.$oid", "job", "kernel", "git_branch", "git_commit", "git_url", "created_on.$date");
            String keys = "job=" + enc(job.getString("job")) + "&kernel=" + enc(job.getString("kernel")) + "&git_branch="
                    + enc(job.getString("git_branch"));
            JsonObject summary = shown(list("/job/logs/?" + keys), "log summary").get(0);
            int lines = 0;
            for (String kind : List.of("errors", "warnings", "mismatches")) {
                for (JsonValue pair : array(summary, kind)) {
                    assertInstanceOf(JsonArray.class, pair, kind + " in " + summary);
                    assertEquals(2, pair.asJsonArray().size(), kind + " in " + summary);
                    assertInstanceOf(JsonNumber.class, pair.asJsonArray().get(0), kind + " in " + summary);
                    assertInstanceOf(JsonString.class, pair.asJsonArray().get(1), kind + " in " + summary);
                    lines++;
                }
            }
            assertTrue(lines > 0, "the log summary shows lines: " + summary);
            List<JsonObject> builds = shown(list("/build?job=" + enc(job.getString("job")) + "&job_id=" + oid(job, "_id")
                    + "&kernel=" + enc(job.getString("kernel")) + "&git_branch=" + enc(job.getString("git_branch"))
                    + "&sort=defconfig_full&sort=arch&sort_order=1&nfield=dtb_dir_data"), "builds");
            for (JsonObject build : builds) {
                reads(build, "_id.$oid", "git_branch", "job", "kernel", "defconfig_full", "arch", "status", "errors#",
                        "warnings#");
                present(build, "file_server_url", "file_server_resource", "build_log", "build_log_size", "dtb_dir",
                        "modules", "modules_size", "text_offset", "kernel_image", "kernel_image_size", "kernel_config",
                        "kernel_config_size", "build_time", "compiler", "compiler_version", "compiler_version_full",
                        "cross_compile", "version");
                assertFalse(build.containsKey("dtb_dir_data"), build.toString());
            }
        }

        @Test
        @DisplayName(FE01 + "/build/<job>/kernel/<kernel>/defconfig/<defconfig>/ (view-builds-job-kernel-defconfig.2017.3.3.js): the defconfig's builds")
        void buildsJobKernelDefconfig() {
            JsonObject build = failedBuild();
            List<JsonObject> builds = shown(list("/build?job=" + enc(build.getString("job")) + "&kernel="
                    + enc(build.getString("kernel")) + "&defconfig_full=" + enc(build.getString("defconfig_full"))
                    + "&nfield=dtb_dir_data"), "builds of the defconfig");
            for (JsonObject row : builds) {
                reads(row, "git_branch", "arch", "created_on.$date", "status", "_id.$oid");
                present(row, "compiler_version_ext");
            }
        }

        @Test
        @DisplayName(FE01 + "/build/id/<id>/ (view-builds-id.2017.4.js): a failed build, its boots, its bisection to a good commit, compared to mainline")
        void buildsId() {
            String id = oid(failedBuild(), "_id");
            JsonObject build = one("/build/" + id + "?nfield=dtb_dir_data");
            reads(build, "_id.$oid", "job", "kernel", "git_branch", "git_url", "git_commit", "created_on.$date", "arch",
                    "defconfig", "defconfig_full", "status", "errors#", "warnings#");
            present(build, "build_time", "dtb_dir", "modules", "modules_size", "text_offset", "kconfig_fragments",
                    "kernel_image", "kernel_image_size", "kernel_config", "kernel_config_size", "build_log",
                    "build_log_size", "file_server_url", "file_server_resource", "compiler", "compiler_version",
                    "compiler_version_full", "cross_compile", "vmlinux_file_size", "vmlinux_bss_size",
                    "vmlinux_data_size", "vmlinux_text_size", "system_map", "system_map_size");
            // build_platform !== null && .length === 6: present, an array (CONTRACT.md section 1).
            array(build, "build_platform");
            for (JsonObject boot : list("/boot?build_id=" + id)) {
                reads(boot, "board", "lab_name", "status", "_id.$oid", "job", "kernel", "arch", "defconfig_full",
                        "git_branch");
                present(boot, "boot_result_description", "file_server_url", "boot_log", "boot_log_html",
                        "file_server_resource");
            }
            assertEquals("FAIL", build.getString("status"));
            JsonObject bisection = one("/bisect/?collection=build&build_id=" + id);
            bisection(bisection, "build");
            reads(bisection, "good_commit", "good_commit_date.$date", "bad_commit");
            if (!"mainline".equals(bisection.getString("job"))) {
                JsonObject compared = one("/bisect/?collection=build&compare_to=mainline&build_id="
                        + oid(bisection, "build_id"));
                bisection(compared, "build");
                assertEquals("mainline", compared.getString("compare_to"));
            }
        }

        @Test
        @DisplayName(FE01 + "/build/id/<id>/logs/ (view-builds-job-kernel-defconfig-logs.2017.4.js): the build, then its log's lines")
        void buildLogs() {
            String id = buildWithErrorLines();
            JsonObject build = one("/build/" + id);
            reads(build, "job", "kernel", "git_branch", "git_url", "git_commit", "arch", "defconfig", "defconfig_full",
                    "created_on.$date", "status");
            present(build, "build_time", "build_log", "build_log_size", "file_server_url");
            JsonObject log = one("/build/" + id + "/logs/");
            present(log, "file_server_url", "file_server_resource");
            reads(log, "job", "kernel", "arch", "defconfig", "defconfig_full", "git_branch");
            for (String kind : List.of("errors", "warnings", "mismatches")) {
                int count = number(log, kind + "_count");
                JsonArray lines = array(log, kind);
                assertEquals(count, lines.size(), kind + " in " + log);
                lines.forEach(line -> assertInstanceOf(JsonString.class, line, kind + " in " + log));
            }
            assertTrue(number(log, "errors_count") > 0, "the page shows error lines: " + log);
        }
    }

    @Nested
    @DisplayName("Builds (2020.05)")
    class Builds2020 {
        @Test
        @DisplayName(FE05 + "/build/id/<id>/ (view-builds-id.2020.5.js): a tested build, its plan runs, their counts and status")
        void buildsId() {
            String id = oid(newestTopGroup(), "build_id");
            JsonObject build = one("/build/" + id + "?nfield=dtb_dir_data");
            reads(build, "_id.$oid", "job", "kernel", "git_branch", "arch", "defconfig_full", "status");
            List<JsonObject> runs = shown(list("/test/group?parent_id=null&sort=created_on&sort_order=-1&build_id="
                    + oid(build, "_id")), "plan runs of the build");
            List<JsonObject> counts = new ArrayList<>();
            List<JsonObject> status = new ArrayList<>();
            for (JsonObject run : runs) {
                reads(run, "_id.$oid", "name", "device_type");
                String runId = oid(run, "_id");
                String f = buildQuery("job", run.getString("job"), "kernel", run.getString("kernel"), "git_branch",
                        run.getString("git_branch"), "plan", run.getString("name"), "device_type",
                        run.getString("device_type"), "lab_name", run.getString("lab_name"), "build_environment",
                        run.getString("build_environment"), "defconfig_full", run.getString("defconfig_full"));
                counts.add(count(pair(runId, "total"), "test_case", f));
                counts.add(count(pair(runId, "success"), "test_case", f + "&status=PASS"));
                counts.add(count(pair(runId, "fail"), "test_regression", f));
                counts.add(count(pair(runId, "unknown"), "test_case", f + "&status=FAIL&status=SKIP&regression_id=null"));
                status.add(count(pair(runId, "status"), "test_regression", f));
            }
            int total = 0;
            for (JsonObject entry : batch(counts)) {
                if (entry.getJsonArray("operation_id").getString(1).equals("total")) {
                    total += count(entry);
                }
            }
            assertTrue(total > 0, "the runs show test cases");
            batch(status);
            if ("FAIL".equals(build.getString("status"))) {
                bisection(one("/bisect/?collection=build&build_id=" + id), "build");
            }
        }
    }

    /** A bisection as the builds-id and boots-id pages read it (CONTRACT.md section 12.4). */
    static void bisection(JsonObject doc, String type) {
        assertEquals(type, doc.getString("type"), doc.toString());
        reads(doc, "job");
        reads(doc, type + "_id.$oid");
        present(doc, "compare_to", "bad_commit", "good_commit");
        for (JsonValue value : array(doc, "bisect_data")) {
            JsonObject item = value.asJsonObject();
            if (type.equals("build")) {
                reads(item, "_id.$oid", "git_describe", "defconfig_full", "git_commit", "git_url", "status",
                        "created_on.$date");
            } else {
                reads(item, "boot_id.$oid", "board", "lab_name", "boot_status", "boot_created_on.$date",
                        "git_describe", "defconfig_full", "git_commit", "git_url");
            }
        }
    }

    /** The extra pages of a listing, as builds-all, boots-all and boots-board send them (correct skips). */
    static List<JsonObject> paged(String target, boolean correctSkips) {
        JsonObject first = get(target);
        int count = number(first, "count");
        List<JsonObject> rows = new ArrayList<>(documents(first, target));
        if (rows.size() < count) {
            int pages = count / MAX_QUERY_LIMIT;
            for (int i = 1; i <= pages; i++) {
                int skip = MAX_QUERY_LIMIT * (correctSkips ? i : pages);
                JsonObject page = get(target + "&skip=" + skip);
                assertEquals(skip, number(page, "skip"));
                assertEquals(count, number(page, "count"));
                List<JsonObject> more = documents(page, target);
                if (correctSkips) {
                    rows.addAll(more);
                }
            }
        }
        if (correctSkips) {
            assertEquals(count, rows.size(), target + ": the pages hold every match");
        }
        return rows;
    }

    // ---------------------------------------------------------------- boots

    static final String BOOT_LIST_FIELDS = fields("_id", "arch", "board", "created_on", "defconfig_full", "git_branch",
            "job", "kernel", "lab_name", "status");

    /** Columns of the boot tables read with {@link #BOOT_LIST_FIELDS} (boots-all, board and lab pages). */
    static void listedBoot(JsonObject boot) {
        reads(boot, "_id.$oid", "job", "git_branch", "kernel", "lab_name", "defconfig_full", "arch", "board",
                "created_on.$date", "status");
    }

    /** Columns of the boot tables of whole documents: also the description, file server and log links. */
    static void bootRow(JsonObject boot) {
        listedBoot(boot);
        present(boot, "boot_result_description", "file_server_url", "boot_log", "boot_log_html");
    }

    /**
     * A boot as components/boot/view.js shows it in the accordion, of the members the page asked
     * for (socs-soc-job-kernel names 21): arch and time.$date unguarded.
     */
    static void accordionFields(JsonObject boot) {
        reads(boot, "_id.$oid", "job", "kernel", "defconfig_full", "arch", "lab_name", "board", "status", "time.$date");
        present(boot, "file_server_url", "file_server_resource", "warnings", "boot_log", "boot_log_html", "kernel_image",
                "mach", "endian");
    }

    /** A whole boot document in the accordion: also its board instance and image size. */
    static void accordion(JsonObject boot) {
        accordionFields(boot);
        present(boot, "board_instance", "kernel_image_size");
    }

    @Nested
    @DisplayName("Boots (2020.01)")
    class Boots {
        @Test
        @DisplayName(FE01 + "/boot/ (view-boots-all.2017.5.js): boots of the date range ('fields=' ignored: whole documents), paged")
        void bootsAll() {
            List<JsonObject> rows = shown(paged("/boot?sort=created_on&sort_order=-1&date_range=" + N + "&limit="
                    + MAX_QUERY_LIMIT + repeated("fields", "_id", "arch", "board", "created_on", "defconfig_full",
                            "git_branch", "job", "kernel", "lab_name", "status"), true), "/boot/");
            rows.forEach(FrontendPagesIT::bootRow);
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/ (view-boots-all-job.2017.3.4.js): kernels, totals and boards (aggregate op, unwrapped), counts")
        void bootsAllJob() {
            String job = regressingBranch().job();
            List<JsonObject> rows = shown(list("/boot?aggregate=kernel&aggregate=git_branch&job=" + enc(job)
                    + "&sort=created_on&sort_order=-1&limit=" + NR + fields("job", "git_branch", "kernel", "created_on")),
                    "kernels");
            rows.forEach(row -> reads(row, "git_branch", "kernel", "created_on.$date", "job"));
            List<JsonObject> details = batch(List.of(count("boot-reports-count", "boot", "job=" + job),
                    listOp("boot-boards-count", "boot", "job=" + job + "&aggregate=board&field=board")));
            assertEquals("boot-reports-count", details.get(0).getString("operation_id"));
            assertTrue(count(details.get(0)) > 0);
            boards(details.get(1));
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : rows) {
                ops.addAll(bootCounts(row.getString("kernel") + "-" + row.getString("git_branch"), "job=" + job
                        + "&kernel=" + row.getString("kernel") + "&git_branch=" + row.getString("git_branch")));
            }
            assertTrue(sum(counts(batch(ops)), "total-count-") > 0);
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/branch/<branch>/ (view-boots-all-jb.2017.3.4.js): kernels, totals and boards, counts")
        void bootsAllJobBranch() {
            Branch tree = regressingBranch();
            List<JsonObject> rows = shown(list("/boot?aggregate=kernel&job=" + enc(tree.job()) + "&git_branch="
                    + enc(tree.branch()) + "&sort=created_on&sort_order=-1&limit=" + NR
                    + fields("job", "git_branch", "kernel", "created_on")), "kernels");
            rows.forEach(row -> reads(row, "git_branch", "kernel", "created_on.$date", "job"));
            String q = "job=" + tree.job() + "&git_branch=" + tree.branch();
            List<JsonObject> details = batch(List.of(count("boot-reports-count", "boot", q),
                    listOp("boot-boards-count", "boot", q + "&aggregate=board&field=board")));
            assertTrue(count(details.get(0)) > 0);
            boards(details.get(1));
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : rows) {
                ops.addAll(bootCounts(row.getString("kernel"), q + "&kernel=" + row.getString("kernel")));
            }
            assertTrue(sum(counts(batch(ops)), "total-count-") > 0);
        }

        /** The page shows {@code result.length} of the aggregate op: the original's flat list of boards. */
        private void boards(JsonObject entry) {
            JsonArray items = entry.getJsonArray("result");
            assertFalse(items.isEmpty(), entry.toString());
            Set<String> boards = new LinkedHashSet<>();
            for (JsonValue item : items) {
                reads(item.asJsonObject(), "board");
                assertFalse(item.asJsonObject().containsKey("count"), "a board, not a wrapped list: " + item);
                boards.add(item.asJsonObject().getString("board"));
            }
            assertEquals(items.size(), boards.size(), "one item per board");
        }

        private List<JsonObject> bootCounts(String suffix, String q) {
            return List.of(count("total-count-" + suffix, "boot", q),
                    count("success-count-" + suffix, "boot", "status=PASS&" + q),
                    count("fail-count-" + suffix, "boot", "status=FAIL&" + q),
                    count("unknown-count-" + suffix, "boot", "status=OFFLINE&status=UNTRIED&status=UNKNOWN&" + q));
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/kernel/<kernel>/ (view-boots-job-kernel.2017.4.js): the job, then one boot per branch")
        void bootsJobKernel() {
            Branch tree = regressingBranch();
            bootsOfKernel(shown(list("/job?job=" + enc(tree.job()) + "&kernel=" + enc(tree.kernel())), "job").get(0));
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/kernel/latest/ (view-boots-job-kernel.2017.4.js): the newest job, then its boots per branch")
        void bootsJobKernelLatest() {
            Branch tree = regressingBranch();
            bootsOfKernel(shown(list("/job?job=" + enc(tree.job()) + "&sort=created_on&sort_order=-1&limit=1"), "job")
                    .get(0));
        }

        private void bootsOfKernel(JsonObject job) {
            reads(job, "job", "kernel");
            List<JsonObject> rows = shown(list("/boot?aggregate=kernel&job=" + enc(job.getString("job")) + "&kernel="
                    + enc(job.getString("kernel")) + "&sort=created_on&sort_order=-1"
                    + fields("job", "kernel", "created_on", "git_branch")), "boots of the kernel");
            rows.forEach(row -> reads(row, "git_branch", "created_on.$date"));
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/branch/<branch>/kernel/<kernel>/ (view-boots-all-job-branch-kernel.2017.4.js + view-boots-regressions.2017.3.3.js): boots, builds, regressions")
        void bootsJobBranchKernel() {
            Branch tree = regressingBranch();
            bootsOfBranchKernel(shown(list("/job?job=" + enc(tree.job()) + "&git_branch=" + enc(tree.branch())
                    + "&kernel=" + enc(tree.kernel())), "job").get(0));
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/branch/<branch>/kernel/latest/ (view-boots-all-job-branch-kernel.2017.4.js): the newest kernel's boots and regressions")
        void bootsJobBranchKernelLatest() {
            Branch tree = regressingBranch();
            JsonObject job = shown(list("/job?job=" + enc(tree.job()) + "&git_branch=" + enc(tree.branch())
                    + "&sort=created_on&sort_order=-1&limit=1"), "job").get(0);
            assertEquals(tree.kernel(), job.getString("kernel"));
            bootsOfBranchKernel(job);
        }

        private void bootsOfBranchKernel(JsonObject job) {
            reads(job, "job", "kernel", "created_on.$date", "git_branch", "git_commit", "git_url");
            JsonObject body = get("/boot?job=" + enc(job.getString("job")) + "&git_branch="
                    + enc(job.getString("git_branch")) + "&kernel=" + enc(job.getString("kernel"))
                    + "&sort=board&sort=defconfig_full&sort=arch&sort_order=1");
            List<JsonObject> boots = shown(documents(body, "boots"), "boots of the kernel");
            assertEquals(boots.size(), number(body, "count"));
            boots.forEach(FrontendPagesIT::accordion);
            JsonObject builds = one("/count/build?job=" + enc(boots.get(0).getString("job")) + "&kernel="
                    + enc(boots.get(0).getString("kernel")));
            assertTrue(number(builds, "count") > 0, builds.toString());
            // The "Regressions" tab.
            List<JsonObject> regressions = shown(list("/boot/regressions?job=" + enc(job.getString("job")) + "&kernel="
                    + enc(job.getString("kernel"))), "the regressions tab");
            List<List<JsonObject>> leaves = leaves(regressions.get(0).getJsonObject("regressions"));
            shown(leaves, "regressions");
            for (List<JsonObject> leaf : leaves) {
                assertTrue(leaf.size() >= 2, leaf.toString());
                assertEquals("PASS", leaf.get(0).getString("status"), "the last pass first");
                assertEquals("FAIL", leaf.get(leaf.size() - 1).getString("status"), "the last fail last");
                for (JsonObject boot : leaf) {
                    reads(boot, "lab_name", "job", "board", "arch", "defconfig", "defconfig_full", "created_on.$date",
                            "kernel", "git_commit", "_id.$oid", "build_id.$oid");
                    present(boot, "board_instance", "git_describe", "git_url", "compiler_version_full", "boot_log",
                            "boot_log_html", "file_server_url", "file_server_resource");
                }
            }
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/kernel/<kernel>/defconfig/<defconfig>/ (view-boots-all-job-kernel-defconfig.2017.3.3.js)")
        void bootsJobKernelDefconfig() {
            JsonObject boot = failedBoot();
            shown(list("/boot?job=" + enc(boot.getString("job")) + "&kernel=" + enc(boot.getString("kernel"))
                    + "&defconfig_full=" + enc(boot.getString("defconfig_full"))), "boots").forEach(FrontendPagesIT::bootRow);
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/branch/<branch>/kernel/<kernel>/defconfig/<defconfig>/ (view-boots-all-job-branch-kernel-defconfig.2017.3.3.js)")
        void bootsJobBranchKernelDefconfig() {
            JsonObject boot = failedBoot();
            shown(list("/boot?job=" + enc(boot.getString("job")) + "&git_branch=" + enc(boot.getString("git_branch"))
                    + "&kernel=" + enc(boot.getString("kernel")) + "&defconfig_full="
                    + enc(boot.getString("defconfig_full"))), "boots").forEach(FrontendPagesIT::bootRow);
        }

        @Test
        @DisplayName(FE01 + "/boot/all/lab/<lab_name>/ (view-boots-all-lab.2017.3.5.js): the lab's boots of the date range, paged")
        void bootsLab() {
            JsonObject boot = newestBoot();
            // The page's extra requests all carry the last skip (a shared object mutated in timers).
            shown(paged("/boot?date_range=" + N + BOOT_LIST_FIELDS + "&lab_name=" + enc(boot.getString("lab_name"))
                    + "&limit=" + MAX_QUERY_LIMIT + "&sort=created_on&sort_order=-1", false), "the lab's boots")
                    .forEach(FrontendPagesIT::listedBoot);
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/ (view-boots-board.2017.3.3.js): the board's boots of the date range, paged")
        void bootsBoard() {
            JsonObject boot = newestBoot();
            shown(paged("/boot?board=" + enc(boot.getString("board")) + "&date_range=" + N + BOOT_LIST_FIELDS
                    + "&limit=" + MAX_QUERY_LIMIT + "&sort=created_on&sort_order=-1", true), "the board's boots")
                    .forEach(FrontendPagesIT::listedBoot);
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/job/<job>/ (view-boots-board-job.2017.3.3.js): the board's boots of a tree, whole documents")
        void bootsBoardJob() {
            JsonObject boot = newestBoot();
            shown(paged("/boot?board=" + enc(boot.getString("board")) + "&date_range=" + N + "&job="
                    + enc(boot.getString("job")) + "&limit=" + MAX_QUERY_LIMIT + "&sort=created_on&sort_order=-1", false),
                    "boots").forEach(FrontendPagesIT::bootRow);
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/job/<job>/kernel/<kernel>/ (view-boots-board-job-kernel.2017.3.3.js)")
        void bootsBoardJobKernel() {
            JsonObject boot = newestBoot();
            shown(list("/boot?board=" + enc(boot.getString("board")) + "&job=" + enc(boot.getString("job")) + "&kernel="
                    + enc(boot.getString("kernel"))), "boots").forEach(FrontendPagesIT::bootRow);
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/job/<job>/kernel/<kernel>/defconfig/<defconfig>/ (view-boots-board-job-kernel-defconfig.2017.3.3.js)")
        void bootsBoardJobKernelDefconfig() {
            JsonObject boot = newestBoot();
            shown(list("/boot?board=" + enc(boot.getString("board")) + "&job=" + enc(boot.getString("job")) + "&kernel="
                    + enc(boot.getString("kernel")) + "&defconfig_full=" + enc(boot.getString("defconfig_full"))),
                    "boots").forEach(FrontendPagesIT::bootRow);
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/job/<job>/branch/<branch>/kernel/<kernel>/defconfig/<defconfig>/ (view-boots-board-jbkd.2017.3.3.js)")
        void bootsBoardJobBranchKernelDefconfig() {
            JsonObject boot = newestBoot();
            shown(list("/boot?board=" + enc(boot.getString("board")) + "&job=" + enc(boot.getString("job"))
                    + "&git_branch=" + enc(boot.getString("git_branch")) + "&kernel=" + enc(boot.getString("kernel"))
                    + "&defconfig_full=" + enc(boot.getString("defconfig_full"))), "boots")
                    .forEach(FrontendPagesIT::bootRow);
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/job/<job>/kernel/<kernel>/defconfig/<defconfig>/lab/<lab_name>/ (view-boots-board-lab.2017.3.3.js)")
        void bootsBoardLab() {
            JsonObject boot = newestBoot();
            for (JsonObject row : shown(list("/boot?board=" + enc(boot.getString("board")) + "&job="
                    + enc(boot.getString("job")) + "&kernel=" + enc(boot.getString("kernel")) + "&defconfig_full="
                    + enc(boot.getString("defconfig_full")) + "&lab_name=" + enc(boot.getString("lab_name"))), "boots")) {
                bootRow(row);
                present(row, "compiler_version_ext");
            }
        }

        @Test
        @DisplayName(FE01 + "/boot/id/<id>/ (view-boots-id.2017.4.js): a failed boot, other labs, other trees, its bisection, compared to mainline")
        void bootsId() {
            String id = oid(failedBoot(), "_id");
            JsonObject boot = one("/boot/" + id);
            reads(boot, "_id.$oid", "time.$date", "created_on.$date", "board", "job", "git_branch", "kernel",
                    "defconfig_full", "arch", "lab_name", "status", "build_id.$oid", "retries#");
            present(boot, "board_instance", "file_server_url", "file_server_resource", "boot_result_description",
                    "endian", "warnings", "dtb", "dtb_addr", "load_addr", "initrd_addr", "kernel_image",
                    "kernel_image_size", "qemu", "qemu_command", "mach", "compiler", "compiler_version",
                    "compiler_version_full", "cross_compile", "boot_log", "boot_log_html");
            String same = "&defconfig_full=" + enc(boot.getString("defconfig_full"));
            List<JsonObject> labs = shown(list("/boot?board=" + enc(boot.getString("board")) + same + "&job="
                    + enc(boot.getString("job")) + "&kernel=" + enc(boot.getString("kernel"))), "reports of the board");
            labs.forEach(FrontendPagesIT::bootRow);
            for (String tree : List.of("lsk", "mainline", "next")) {
                if (!tree.equals(boot.getString("job"))) {
                    list("/boot?created_on=" + day(date(boot, "created_on")) + "&board=" + enc(boot.getString("board"))
                            + "&date_range=" + N + same + "&limit=3&sort=created_on&sort_order=-1&job=" + tree)
                            .forEach(FrontendPagesIT::bootRow);
                }
            }
            assertEquals("FAIL", boot.getString("status"));
            JsonObject bisection = one("/bisect/?collection=boot&boot_id=" + id);
            bisection(bisection, "boot");
            reads(bisection, "good_commit", "bad_commit");
            if (!"mainline".equals(bisection.getString("job"))) {
                JsonObject compared = one("/bisect/?collection=boot&compare_to=mainline&boot_id="
                        + oid(bisection, "boot_id"));
                bisection(compared, "boot");
                assertEquals("mainline", compared.getString("compare_to"));
            }
        }
    }

    /**
     * The boot regressions worker's walk: exactly six levels of keys (lab, arch, board, board
     * instance, defconfig, toolchain), each leaf an array of boot documents.
     */
    static List<List<JsonObject>> leaves(JsonObject regressions) {
        List<List<JsonObject>> leaves = new ArrayList<>();
        walk(regressions, 6, leaves);
        return leaves;
    }

    private static void walk(JsonValue level, int depth, List<List<JsonObject>> leaves) {
        if (depth == 0) {
            assertInstanceOf(JsonArray.class, level, "a leaf of the regressions");
            leaves.add(level.asJsonArray().stream().map(JsonValue::asJsonObject).toList());
            return;
        }
        assertInstanceOf(JsonObject.class, level, "level " + (6 - depth) + " of the regressions");
        for (JsonValue next : level.asJsonObject().values()) {
            walk(next, depth - 1, leaves);
        }
    }

    // ---------------------------------------------------------------- SoCs

    @Nested
    @DisplayName("SoCs (2020.01)")
    class Socs {
        @Test
        @DisplayName(FE01 + "/soc/ (view-socs-all.2017.3.3.js): every SoC, then boards, boots and labs of each in three batches")
        void socsAll() {
            List<String> socs = shown(values("/boot/distinct/mach"), "SoCs");
            List<JsonObject> boards = new ArrayList<>();
            List<JsonObject> boots = new ArrayList<>();
            List<JsonObject> labs = new ArrayList<>();
            for (String soc : socs) {
                boards.add(distinctOp("boards-count-" + soc, "boot", "board", "mach=" + soc));
                boots.add(count("boots-count-" + soc, "boot", "mach=" + soc));
                labs.add(distinctOp("labs-count-" + soc, "boot", "lab_name", "mach=" + soc));
            }
            for (List<JsonObject> ops : List.of(boards, boots, labs)) {
                for (JsonObject entry : batch(ops)) {
                    assertTrue(count(entry) > 0, entry.toString());
                }
            }
        }

        @Test
        @DisplayName(FE01 + "/soc/<soc>/ (view-socs-soc.2018.2.js): boot count, boards, trees of the date range, four counts per tree")
        void socsSoc() {
            String soc = newestBoot().getString("mach");
            assertTrue(number(one("/count/boot?mach=" + enc(soc)), "count") > 0);
            shown(values("/boot/distinct/board?mach=" + enc(soc)), "boards");
            List<JsonObject> rows = shown(list("/boot?aggregate=job&date_range=" + N
                    + fields("job", "job_id", "git_branch", "created_on", "mach") + "&mach=" + enc(soc)
                    + "&sort=created_on&sort_order=-1"), "trees");
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : rows) {
                reads(row, "job", "git_branch", "created_on.$date", "mach");
                String job = row.getString("job");
                String tail = "&job=" + job + (isSet(row, "job_id") ? "&job_id=" + oid(row, "job_id") : "&date_range=" + N);
                String q = "mach=" + soc;
                ops.add(count("boot-total-count-" + job, "boot", q + tail));
                ops.add(count("boot-success-count-" + job, "boot", q + "&status=PASS" + tail));
                ops.add(count("boot-fail-count-" + job, "boot", q + "&status=FAIL" + tail));
                ops.add(count("boot-unknown-count-" + job, "boot", q + "&status=OFFLINE&status=UNKNOWN" + tail));
            }
            assertTrue(sum(counts(batch(ops)), "boot-total-count-") > 0);
        }

        @Test
        @DisplayName(FE01 + "/soc/<soc>/job/<job>/ (view-socs-soc-job.2017.3.3.js): totals, kernels, four counts per kernel")
        void socsSocJob() {
            JsonObject boot = newestBoot();
            String soc = boot.getString("mach");
            String job = boot.getString("job");
            String q = "mach=" + soc + "&job=" + job;
            for (JsonObject entry : batch(List.of(count("boots-count", "boot", q),
                    distinctOp("boards-count", "boot", "board", q), distinctOp("labs-count", "boot", "lab_name", q)))) {
                assertTrue(count(entry) > 0, entry.toString());
            }
            List<JsonObject> rows = shown(list("/boot?aggregate=kernel&limit=" + NR
                    + fields("build_id", "created_on", "git_branch", "git_commit", "job", "job_id", "kernel", "mach")
                    + "&job=" + enc(job) + "&mach=" + enc(soc) + "&sort=created_on&sort_order=-1"), "kernels");
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : rows) {
                reads(row, "kernel", "git_branch", "created_on.$date");
                present(row, "git_commit");
                String kernel = row.getString("kernel");
                ops.add(count("boot-total-count-" + kernel, "boot", q + "&kernel=" + kernel));
                ops.add(count("boot-success-count-" + kernel, "boot", q + "&status=PASS&kernel=" + kernel));
                ops.add(count("boot-fail-count-" + kernel, "boot", q + "&status=FAIL&kernel=" + kernel));
                ops.add(count("boot-unknown-count-" + kernel, "boot",
                        q + "&status=OFFLINE&status=UNKNOWN&status=UNTRIED&kernel=" + kernel));
            }
            assertTrue(sum(counts(batch(ops)), "boot-total-count-") > 0);
        }

        @Test
        @DisplayName(FE01 + "/soc/<soc>/job/<job>/kernel/<kernel>/ (view-socs-soc-job-kernel.2017.4.js): the boots (accordion), build count")
        void socsSocJobKernel() {
            JsonObject boot = newestBoot();
            JsonObject body = get("/boot" + fields("_id", "arch", "board", "boot_log", "boot_log_html", "created_on",
                    "defconfig_full", "endian", "file_server_resource", "file_server_url", "git_branch", "git_commit",
                    "git_url", "job", "kernel", "kernel_image", "lab_name", "mach", "time", "status", "warnings")
                    .replaceFirst("&", "?") + "&mach=" + enc(boot.getString("mach")) + "&job="
                    + enc(boot.getString("job")) + "&kernel=" + enc(boot.getString("kernel")));
            List<JsonObject> boots = shown(documents(body, "boots"), "boots");
            assertTrue(number(body, "count") > 0);
            reads(boots.get(0), "git_branch", "git_commit", "git_url", "created_on.$date");
            boots.forEach(FrontendPagesIT::accordionFields);
            assertTrue(number(one("/count/build?job=" + enc(boot.getString("job")) + "&kernel="
                    + enc(boot.getString("kernel"))), "count") > 0);
        }
    }

    @Nested
    @DisplayName("SoCs (2020.05)")
    class Socs2020 {
        @Test
        @DisplayName(FE05 + "/soc/ (view-socs-all.2020.5.js): the test cases' SoCs, then devices, tests and labs of each")
        void socsAll() {
            List<String> socs = shown(values("/test/case/distinct/mach"), "SoCs");
            List<JsonObject> devices = new ArrayList<>();
            List<JsonObject> tests = new ArrayList<>();
            List<JsonObject> labs = new ArrayList<>();
            for (String soc : socs) {
                devices.add(distinctOp("boards-count-" + soc, "test_case", "device_type", "mach=" + soc));
                tests.add(count("test-count-" + soc, "test_case", "mach=" + soc));
                labs.add(distinctOp("labs-count-" + soc, "test_group", "lab_name", "mach=" + soc));
            }
            for (List<JsonObject> ops : List.of(devices, tests, labs)) {
                for (JsonObject entry : batch(ops)) {
                    assertTrue(count(entry) > 0, entry.toString());
                }
            }
        }

        @Test
        @DisplayName(FE05 + "/soc/<soc>/ (view-socs-soc.2020.5.js): test count, devices, trees of the date range, test counts per tree")
        void socsSoc() {
            String soc = newestTestCase().getString("mach");
            assertTrue(number(one("/count/test_case?mach=" + enc(soc)), "count") > 0);
            shown(values("/test/case/distinct/device_type?mach=" + enc(soc)), "devices");
            List<JsonObject> rows = shown(list("/test/case?aggregate=job&date_range=" + N
                    + fields("job", "git_branch", "created_on", "mach", "kernel") + "&mach=" + enc(soc)
                    + "&sort=created_on&sort_order=-1"), "trees");
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : rows) {
                reads(row, "job", "git_branch", "created_on.$date", "mach", "kernel");
                String job = row.getString("job");
                ops.addAll(testCounts("-" + job, "mach=" + soc, "&job=" + job + "&kernel=" + row.getString("kernel")));
            }
            assertTrue(sum(counts(batch(ops)), "test-total-count-") > 0);
        }

        @Test
        @DisplayName(FE05 + "/soc/<soc>/job/<job>/ (view-socs-soc-job.2020.5.js): totals, kernels, test counts per kernel")
        void socsSocJob() {
            JsonObject test = newestTestCase();
            String soc = test.getString("mach");
            String job = test.getString("job");
            String q = "mach=" + soc + "&job=" + job;
            List<JsonObject> details = batch(List.of(count("tests-count", "test_case", q),
                    distinctOp("devices-count", "test_case", "device_type", q),
                    distinctOp("labs-count", "test_group", "lab_name", q)));
            assertEquals(3, details.size());
            details.forEach(entry -> assertTrue(count(entry) > 0, entry.toString()));
            List<JsonObject> rows = shown(list("/test/case?aggregate=kernel&limit=" + NR
                    + fields("created_on", "git_branch", "git_commit", "job", "kernel", "mach") + "&job=" + enc(job)
                    + "&mach=" + enc(soc) + "&sort=created_on&sort_order=-1"), "kernels");
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject row : rows) {
                reads(row, "kernel", "git_branch", "created_on.$date", "mach", "job");
                present(row, "git_commit");
                ops.addAll(testCounts("-" + row.getString("kernel"), q, "&kernel=" + row.getString("kernel")));
            }
            assertTrue(sum(counts(batch(ops)), "test-total-count-") > 0);
        }

        @Test
        @DisplayName(FE05 + "/soc/<soc>/job/<job>/kernel/<kernel>/ (view-socs-soc-job-kernel.2020.5.js): plans, counts, regressions per plan")
        void socsSocJobKernel() {
            JsonObject regression = testRegression();
            String job = regression.getString("job");
            String kernel = regression.getString("kernel");
            String soc = regression.getString("mach");
            List<JsonObject> plans = shown(list("/test/group?aggregate=name&job=" + enc(job) + "&kernel=" + enc(kernel)
                    + "&mach=" + enc(soc) + "&parent_id=null&sort=name"
                    + fields("name", "created_on", "job", "mach", "git_commit", "git_url", "kernel")), "plans");
            reads(plans.get(0), "git_commit", "git_url", "created_on.$date");
            String f = buildQuery("job", job, "kernel", kernel, "mach", soc);
            fourTestCounts(f);
            planCountsAndStatus(plans, plan -> buildQuery("job", job, "kernel", kernel, "plan", plan, "mach", soc),
                    regression.getString("plan"));
        }

        @Test
        @DisplayName(FE05 + "/soc/<soc>/job/<job>/kernel/<kernel>/plan/<plan>/ (view-socs-soc-job-kernel-plan.2020.5.js): runs, regressions, lab counts")
        void socsSocJobKernelPlan() {
            JsonObject regression = testRegression();
            String soc = regression.getString("mach");
            List<JsonObject> runs = shown(list("/test/group?job=" + enc(regression.getString("job")) + "&mach="
                    + enc(soc) + "&kernel=" + enc(regression.getString("kernel")) + "&name="
                    + enc(regression.getString("plan")) + "&parent_id=null&sort=device_type&sort_order=1"), "runs");
            reads(runs.get(0), "mach");
            runs.forEach(FrontendPagesIT::testRun);
            int regressing = 0;
            for (JsonObject entry : batch(regressionLists(runs))) {
                if (number(entry.getJsonArray("result").getJsonObject(0), "count") > 0) {
                    regressing++;
                }
            }
            assertTrue(regressing > 0, "a run shows regressions");
            labCounts(runs, lab -> buildQuery("mach", soc, "job", regression.getString("job"), "kernel",
                    regression.getString("kernel"), "plan", regression.getString("plan"), "lab_name", lab));
        }
    }

    /** socs 2020.05: the four test counts of a row, {@code q} then the status keys then {@code tail}. */
    static List<JsonObject> testCounts(String suffix, String q, String tail) {
        return List.of(count("test-total-count" + suffix, "test_case", q + tail),
                count("test-success-count" + suffix, "test_case", q + "&status=PASS" + tail),
                count("test-fail-count" + suffix, "test_regression", q + tail),
                count("test-unknown-count" + suffix, "test_case", q + "&status=FAIL&status=SKIP&regression_id=null" + tail));
    }

    /** The "4 test counts" of the 2020.05 test pages for the filter {@code f}, read by position. */
    static List<Integer> fourTestCounts(String f) {
        List<JsonObject> entries = batch(List.of(count("test-total-count", "test_case", f),
                count("test-success-count", "test_case", f + "&status=PASS"),
                count("test-fail-count", "test_regression", f),
                count("test-unknown-count", "test_case", f + "&status=FAIL&status=SKIP&regression_id=null")));
        List<Integer> counts = entries.stream().map(FrontendPagesIT::count).toList();
        assertTrue(counts.get(0) > 0, "test cases: " + counts);
        assertTrue(counts.get(0) >= counts.get(1) + counts.get(3), counts.toString());
        return counts;
    }

    /**
     * tests-jbk and socs-sjk 2020.05: four counts per plan, then one regressions count per plan;
     * the plan {@code regressing} shows FAIL.
     */
    static void planCountsAndStatus(List<JsonObject> plans, java.util.function.Function<String, String> filter,
                                    String regressing) {
        List<JsonObject> ops = new ArrayList<>();
        List<JsonObject> status = new ArrayList<>();
        for (JsonObject plan : plans) {
            String name = plan.getString("name");
            String f = filter.apply(name);
            ops.add(count("test-total-count-" + name, "test_case", f));
            ops.add(count("test-success-count-" + name, "test_case", f + "&status=PASS"));
            ops.add(count("test-fail-count-" + name, "test_regression", f));
            ops.add(count("test-unknown-count-" + name, "test_case", f + "&status=FAIL&status=SKIP&regression_id=null"));
            status.add(count("status-" + name, "test_regression", f));
        }
        Map<String, Integer> counts = counts(batch(ops));
        assertTrue(sum(counts, "test-total-count-") > 0, counts.toString());
        Map<String, Integer> statuses = counts(batch(status));
        assertTrue(statuses.get("status-" + regressing) > 0, "plan " + regressing + " shows FAIL: " + statuses);
    }

    /** A plan run as components/test/view.js shows it (its time guarded). */
    static void testRun(JsonObject run) {
        reads(run, "_id.$oid", "name", "job", "kernel", "git_branch", "git_commit", "git_url", "created_on.$date",
                "defconfig_full", "arch", "build_environment", "lab_name", "device_type");
        present(run, "file_server_resource", "warnings", "boot_log", "boot_log_html", "kernel_image", "mach", "endian",
                "time");
    }

    /** tests-jbk-plan and socs-sjk-plan 2020.05: one test_regression list op per run. */
    static List<JsonObject> regressionLists(List<JsonObject> runs) {
        List<JsonObject> ops = new ArrayList<>();
        for (JsonObject run : runs) {
            ops.add(listOp(String.join("-", run.getString("name"), run.getString("lab_name"),
                            run.getString("device_type"), run.getString("build_environment"),
                            run.getString("defconfig_full")), "test_regression",
                    buildQuery("job", run.getString("job"), "kernel", run.getString("kernel"), "git_branch",
                            run.getString("git_branch"), "plan", run.getString("name"), "device_type",
                            run.getString("device_type"), "lab_name", run.getString("lab_name"), "build_environment",
                            run.getString("build_environment"), "defconfig_full", run.getString("defconfig_full"))));
        }
        return ops;
    }

    /** tests-jbk-plan and socs-sjk-plan 2020.05: four counts per lab, operation ids {@code [lab, kind]}. */
    static void labCounts(List<JsonObject> runs, java.util.function.Function<String, String> filter) {
        Set<String> labs = new LinkedHashSet<>();
        runs.forEach(run -> labs.add(run.getString("lab_name")));
        List<JsonObject> ops = new ArrayList<>();
        for (String lab : labs) {
            String f = filter.apply(lab);
            ops.add(count(pair(lab, "total"), "test_case", f));
            ops.add(count(pair(lab, "success"), "test_case", f + "&status=PASS"));
            ops.add(count(pair(lab, "regressions"), "test_regression", f));
            ops.add(count(pair(lab, "unknown"), "test_case", f + "&status=FAIL&status=SKIP&regression_id=null"));
        }
        int total = 0;
        for (JsonObject entry : batch(ops)) {
            JsonArray id = entry.getJsonArray("operation_id");
            assertEquals(2, id.size());
            if (id.getString(1).equals("total")) {
                total += count(entry);
            }
        }
        assertTrue(total > 0, "the labs show test cases");
    }

    static JsonArray pair(String first, String second) {
        return Json.createArrayBuilder().add(first).add(second).build();
    }

    // ---------------------------------------------------------------- tests

    @Nested
    @DisplayName("Tests (2020.01)")
    class Tests {
        @Test
        @DisplayName(FE01 + "/test/ (view-tests-all.2018.9.js): boards of the date range, groups and labs of each")
        void testsAll() {
            List<String> boards = shown(values("/test/group/distinct/board?sort=created_on&sort_order=-1&date_range=" + N
                    + "&limit=" + MAX_QUERY_LIMIT), "boards");
            List<JsonObject> groups = new ArrayList<>();
            List<JsonObject> labs = new ArrayList<>();
            for (String board : boards) {
                groups.add(count("groups-count-" + board, "test_group", "board=" + board));
                labs.add(distinctOp("labs-count-" + board, "test_group", "lab_name", "board=" + board));
            }
            for (List<JsonObject> ops : List.of(groups, labs)) {
                batch(ops).forEach(entry -> assertTrue(count(entry) > 0, entry.toString()));
            }
        }

        @Test
        @DisplayName(FE01 + "/test/board/<board>/ (view-tests-board.2018.9.js): counts of distinct plans and builds, trees, each tree's newest group and counts")
        void testsBoard() {
            String board = newestTopGroup().getString("board");
            for (JsonObject entry : batch(List.of(
                    countDistinct("count-groups", "test_group", "name", "board=" + board),
                    countDistinct("count-builds", "test_group", "build_id", "board=" + board)))) {
                assertTrue(count(entry) > 0, entry.toString());
            }
            List<JsonObject> rows = shown(list("/test/group?aggregate=job&date_range=" + N
                    + fields("job", "git_branch", "created_on", "board", "name") + "&board=" + enc(board)
                    + "&sort=created_on&sort_order=-1"), "trees");
            for (JsonObject row : rows) {
                reads(row, "job", "git_branch", "created_on.$date");
                JsonObject group = shown(list("/test/group?board=" + enc(board) + "&job=" + enc(row.getString("job"))
                        + "&git_branch=" + enc(row.getString("git_branch")) + "&sort=created_on&sort_order=-1&limit=1"),
                        "the tree's newest group").get(0);
                reads(group, "_id.$oid", "job", "git_branch");
                String job = group.getString("job");
                String id = "test_group_id=" + oid(group, "_id");
                List<JsonObject> entries = batch(List.of(
                        count("groups-count-" + job, "test_group", "board=" + board + "&git_branch="
                                + group.getString("git_branch") + "&job=" + job),
                        count("cases-total-count-" + job, "test_case", id),
                        count("cases-success-count-" + job, "test_case", id + "&status=PASS"),
                        count("cases-fail-count-" + job, "test_case", id + "&status=FAIL"),
                        count("cases-unknown-count-" + job, "test_case", id + "&status=OFFLINE&status=UNKNOWN&status=SKIP")));
                assertTrue(count(entries.get(0)) > 0, entries.toString());
            }
        }

        @Test
        @DisplayName(FE01 + "/test/board/<board>/job/<job>/ (view-tests-board-job.2018.9.js): totals, kernels, each kernel's groups and their case counts")
        void testsBoardJob() {
            JsonObject top = newestTopGroup();
            String board = top.getString("board");
            String job = top.getString("job");
            String q = "board=" + board + "&job=" + job;
            for (JsonObject entry : batch(List.of(count("groups-count", "test_group", q),
                    distinctOp("labs-count", "test_group", "lab_name", q)))) {
                assertTrue(count(entry) > 0, entry.toString());
            }
            List<JsonObject> rows = shown(list("/test/group?aggregate=kernel&date_range=" + N
                    + fields("build_id", "created_on", "git_branch", "vcs_commit", "job", "job_id", "kernel", "board")
                    + "&job=" + enc(job) + "&board=" + enc(board) + "&sort=created_on&sort_order=-1"), "kernels");
            int cases = 0;
            for (JsonObject row : rows) {
                reads(row, "kernel", "git_branch", "created_on.$date");
                List<JsonObject> groups = list("/test/group?board=" + enc(board) + "&job=" + enc(job) + "&git_branch="
                        + enc(row.getString("git_branch")) + "&kernel=" + enc(row.getString("kernel"))
                        + "&vcs_commit=&sort=created_on&sort_order=-1&field=test_cases&field=kernel");
                // An empty answer would post {"batch": []}: the page's 400.
                shown(groups, "the kernel's groups");
                List<JsonObject> ops = new ArrayList<>();
                for (JsonObject group : groups) {
                    String kernel = group.getString("kernel");
                    String id = "test_group_id=" + oid(group, "_id");
                    array(group, "test_cases");
                    ops.add(count("cases-total-count-" + kernel, "test_case", id));
                    ops.add(count("cases-success-count-" + kernel, "test_case", id + "&status=PASS"));
                    ops.add(count("cases-fail-count-" + kernel, "test_case", id + "&status=FAIL"));
                    ops.add(count("cases-unknown-count-" + kernel, "test_case",
                            id + "&status=OFFLINE&status=UNKNOWN&status=SKIP"));
                }
                cases += sum(counts(batch(ops)), "cases-total-count-");
            }
            assertTrue(cases > 0, "the kernels show test cases");
        }

        @Test
        @DisplayName(FE01 + "/test/board/<board>/job/<job>/kernel/<kernel>/ (views/test.py + view-tests-board-job-kernel.2018.9.js): labs (server side), groups per lab, counts; test_set is no collection (§4: a 404 entry)")
        void testsBoardJobKernel() {
            JsonObject top = newestTopGroup();
            String keys = "board=" + enc(top.getString("board")) + "&job=" + enc(top.getString("job")) + "&kernel="
                    + enc(top.getString("kernel"));
            // Server side first: the Flask view renders one table per lab.
            List<String> labs = shown(values("/test/group/distinct/lab_name/?" + keys), "labs");
            JsonObject first = shown(list("/test/group?" + keys + "&sort=created_on&sort_order=-1"), "groups").get(0);
            reads(first, "git_branch", "git_url", "created_on.$date");
            for (String lab : labs) {
                List<JsonObject> groups = shown(list("/test/group?" + keys + "&sort=created_on&sort_order=-1&lab_name="
                        + enc(lab)), "the lab's groups");
                List<JsonObject> ops = new ArrayList<>();
                for (JsonObject group : groups) {
                    reads(group, "name", "_id.$oid", "created_on.$date");
                    String id = oid(group, "_id");
                    String q = "test_group_id=" + id;
                    // The page also counts "test_set", which no version of the original had: the
                    // original's batch counted 0 there, CONTRACT.md section 4 answers a 404 entry
                    // (an unknown collection), on which this 2020.01 page stops reading its
                    // batch. The frontend this service is for has the 2020.05 Tests pages
                    // instead, which do not ask for it (issue 35); the other counts are checked.
                    JsonObject sets = batchEntry(count(lab + "-sets-count-" + id, "test_set", q));
                    assertEquals(404, sets.getInt("code"), sets.toString());
                    assertEquals("Collection test_set not found", sets.getString("reason"));
                    ops.add(count(lab + "-cases-total-count-" + id, "test_case", q));
                    ops.add(count(lab + "-cases-success-count-" + id, "test_case", q + "&status=PASS"));
                    ops.add(count(lab + "-cases-fail-count-" + id, "test_case", q + "&status=FAIL"));
                    ops.add(count(lab + "-cases-unknown-count-" + id, "test_case",
                            q + "&status=OFFLINE&status=UNKNOWN&status=SKIP"));
                }
                batch(ops);
            }
        }

        @Test
        @DisplayName(FE01 + "/test/group/<id>/ (view-tests-group-id.2018.9.js): the group (time.$date unguarded), its cases' measurements")
        void testsGroupId() {
            String id = groupWithCases();
            JsonObject group = one("/test/group/" + id);
            reads(group, "time.$date", "created_on.$date", "board", "job", "git_branch", "kernel", "defconfig_full",
                    "arch", "lab_name", "name");
            present(group, "build_id", "file_server_resource", "boot_log", "boot_log_html");
            for (JsonObject testCase : shown(list("/test/case?test_group_id=" + id), "the group's cases")) {
                reads(testCase, "name", "created_on.$date", "status");
                for (JsonValue measurement : array(testCase, "measurements")) {
                    present(measurement.asJsonObject(), "value", "unit");
                }
            }
        }
    }

    @Nested
    @DisplayName("Tests (2020.05)")
    class Tests2020 {
        @Test
        @DisplayName(FE05 + "/test/ (view-tests-all.2020.5.js): plan runs of the date range in the original's aggregate shape, a status per run")
        void testsAll() {
            JsonObject body = get("/test/group?aggregate=name&aggregate=kernel&parent_id=null&sort=created_on&sort_order=-1"
                    + "&date_range=" + N + "&limit=" + MAX_QUERY_LIMIT + "&distinct=board&distinct=kernel");
            JsonArray items = body.getJsonArray("result");
            assertNotNull(items, body.toString());
            List<JsonObject> runs = new ArrayList<>();
            for (JsonValue item : items) {
                // The page maps every item through item.result (no field=).
                JsonValue run = item.asJsonObject().get("result");
                assertInstanceOf(JsonObject.class, run, "item.result: " + item);
                reads(run.asJsonObject(), "_id.$oid", "job", "git_branch", "kernel", "name", "created_on.$date");
                runs.add(run.asJsonObject());
            }
            shown(runs, "plan runs");
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject run : runs) {
                ops.add(count("status-" + oid(run, "_id"), "test_regression",
                        buildQuery("kernel", run.getString("kernel"), "plan", run.getString("name"))));
            }
            assertTrue(sum(counts(batch(ops)), "status-") > 0, "a plan run shows FAIL");
        }

        @Test
        @DisplayName(FE05 + "/test/job/<job>/branch/<branch>/kernel/<kernel>/ (view-tests-job-branch-kernel.2020.5.js): plans, counts, counts and status per plan")
        void testsJobBranchKernel() {
            JsonObject regression = testRegression();
            String job = regression.getString("job");
            String branch = regression.getString("git_branch");
            String kernel = regression.getString("kernel");
            List<JsonObject> plans = shown(list("/test/group?aggregate=name&job=" + enc(job) + "&git_branch="
                    + enc(branch) + "&kernel=" + enc(kernel) + "&parent_id=null&sort=name"
                    + fields("name", "created_on", "job", "git_branch", "git_commit", "git_url", "kernel")), "plans");
            reads(plans.get(0), "job", "git_branch", "kernel", "git_commit", "git_url", "created_on.$date");
            plans.forEach(plan -> reads(plan, "name", "job", "git_branch", "kernel"));
            fourTestCounts(buildQuery("job", job, "kernel", kernel, "git_branch", branch));
            planCountsAndStatus(plans,
                    plan -> buildQuery("job", job, "kernel", kernel, "git_branch", branch, "plan", plan),
                    regression.getString("plan"));
        }

        @Test
        @DisplayName(FE05 + "/test/job/<job>/branch/<branch>/kernel/<kernel>/plan/<plan>/ (view-tests-job-branch-kernel-plan.2020.5.js): runs, counts, regressions (original list shape), lab counts")
        void testsJobBranchKernelPlan() {
            JsonObject regression = testRegression();
            List<JsonObject> runs = regressingRuns(regression);
            assertFalse(runs.isEmpty());
        }

        @Test
        @DisplayName(FE05 + "/test/plan/id/<id>/ (view-tests-plan-id.2020.5.js): the run, its cases by path, counts")
        void testsPlanId() {
            JsonObject regression = testRegression();
            String id = oid(regressingRuns(regression).get(0), "_id");
            JsonObject run = one("/test/group/" + id);
            reads(run, "job", "git_branch", "kernel", "git_url", "git_commit", "created_on.$date", "lab_name", "name",
                    "device_type", "arch", "defconfig_full", "build_environment");
            present(run, "boot_log", "boot_log_html", "compiler_version_full", "file_server_resource");
            List<JsonObject> cases = shown(list("/test/case?" + planCaseKeys(run) + "&sort=test_case_path"), "cases");
            int regressions = 0;
            for (JsonObject testCase : cases) {
                reads(testCase, "_id.$oid", "test_case_path", "status");
                present(testCase, "regression_id");
                for (JsonValue measurement : array(testCase, "measurements")) {
                    present(measurement.asJsonObject(), "value", "unit");
                }
                if (isSet(testCase, "regression_id")) {
                    oid(testCase, "regression_id");
                    regressions++;
                }
            }
            assertTrue(regressions > 0, "the run shows a FAIL case");
            fourTestCounts(buildQuery("arch", run.getString("arch"), "build_environment",
                    run.getString("build_environment"), "defconfig_full", run.getString("defconfig_full"),
                    "device_type", run.getString("device_type"), "git_branch", run.getString("git_branch"), "job",
                    run.getString("job"), "kernel", run.getString("kernel"), "lab_name", run.getString("lab_name"),
                    "plan", run.getString("name")));
        }

        @Test
        @DisplayName(FE05 + "/test/case/id/<id>/ (view-tests-case-id.2020.5.js): the case, its group (build_id.$oid unguarded), its regression's history")
        void testsCaseId() {
            JsonObject regression = testRegression();
            JsonObject run = regressingRuns(regression).get(0);
            String caseId = null;
            for (JsonObject testCase : list("/test/case?" + planCaseKeys(run) + "&sort=test_case_path")) {
                if (isSet(testCase, "regression_id")) {
                    caseId = oid(testCase, "_id");
                    break;
                }
            }
            assertNotNull(caseId, "a regressing case in the run");
            JsonObject testCase = one("/test/case/" + caseId);
            reads(testCase, "test_group_id.$oid", "regression_id.$oid", "job", "kernel", "created_on.$date", "status",
                    "test_case_path", "device_type", "lab_name", "mach", "git_branch", "git_commit", "arch");
            for (JsonValue measurement : array(testCase, "measurements")) {
                present(measurement.asJsonObject(), "value", "unit");
            }
            for (JsonValue line : array(testCase, "log_lines")) {
                present(line.asJsonObject(), "msg");
            }
            JsonObject group = one("/test/group/" + oid(testCase, "test_group_id"));
            reads(group, "git_url", "lab_name", "defconfig_full", "build_id.$oid", "job", "git_branch", "kernel", "arch");
            present(group, "boot_log", "boot_log_html", "dtb", "kernel_image", "modules", "endian",
                    "compiler_version_full", "file_server_resource", "version");
            JsonObject history = one("/test/regression/" + oid(testCase, "regression_id"));
            List<JsonValue> steps = array(history, "regressions");
            assertTrue(steps.size() >= 2, history.toString());
            for (JsonValue step : steps) {
                reads(step.asJsonObject(), "kernel", "created_on.$date", "status", "test_case_id.$oid");
            }
        }
    }

    /** tests-plan-id 2020.05 request 2: the run's cases (a null member sent as {@code key=}). */
    static String planCaseKeys(JsonObject run) {
        StringBuilder keys = new StringBuilder();
        for (String key : List.of("arch", "build_environment", "defconfig_full", "device_type", "git_branch", "job",
                "kernel", "lab_name")) {
            keys.append(keys.isEmpty() ? "" : "&").append(key).append('=')
                    .append(isSet(run, key) ? enc(run.getString(key)) : "");
        }
        return keys + "&plan=" + enc(run.getString("name"));
    }

    /**
     * tests-jbk-plan 2020.05 for the plan of a test regression: its runs, the four counts, one
     * regressions list per run (the original's wrapped shape: {@code result[0].count} and
     * {@code result[0].result[]}), four counts per lab. Returns the runs that show regressions.
     */
    static List<JsonObject> regressingRuns(JsonObject regression) {
        String job = regression.getString("job");
        String branch = regression.getString("git_branch");
        String kernel = regression.getString("kernel");
        String plan = regression.getString("plan");
        List<JsonObject> runs = shown(list("/test/group?job=" + enc(job) + "&git_branch=" + enc(branch) + "&kernel="
                + enc(kernel) + "&name=" + enc(plan) + "&parent_id=null&sort=device_type&sort_order=1"), "runs");
        reads(runs.get(0), "job", "git_branch", "kernel", "git_commit", "git_url", "created_on.$date");
        runs.forEach(FrontendPagesIT::testRun);
        fourTestCounts(buildQuery("job", job, "kernel", kernel, "git_branch", branch, "plan", plan));
        List<JsonObject> regressing = new ArrayList<>();
        List<JsonObject> entries = batch(regressionLists(runs));
        for (int i = 0; i < runs.size(); i++) {
            JsonObject wrapped = entries.get(i).getJsonArray("result").getJsonObject(0);
            int count = number(wrapped, "count");
            List<JsonValue> docs = array(wrapped, "result");
            assertEquals(count, docs.size(), wrapped.toString());
            for (JsonValue doc : docs) {
                reads(doc.asJsonObject(), "test_case_path");
                List<JsonValue> history = array(doc.asJsonObject(), "regressions");
                assertTrue(history.size() >= 2, doc.toString());
                reads(history.get(0).asJsonObject(), "kernel");
                reads(history.get(1).asJsonObject(), "kernel");
            }
            if (count > 0) {
                regressing.add(runs.get(i));
            }
        }
        shown(regressing, "runs with regressions");
        labCounts(runs, lab -> buildQuery("job", job, "kernel", kernel, "git_branch", branch, "plan", plan,
                "lab_name", lab));
        return regressing;
    }

    // ---------------------------------------------------------------- compare

    @Nested
    @DisplayName("Compare (2019.11)")
    class Compare {
        @Test
        @DisplayName(FE1911 + "/compare/ (view-compare.2017.3.3.js) job form, then /compare/job/<id>/ (view-job-compare.2017.4.js): a kernel against the one before")
        void jobCompare() {
            Branch tree = regressingBranch();
            assertTrue(values("/job/distinct/job").contains(tree.job()));
            List<String> kernels = values("/job/distinct/kernel?job=" + enc(tree.job()));
            assertTrue(kernels.containsAll(List.of(tree.kernel(), tree.previousKernel())), kernels.toString());
            JsonObject body = Json.createObjectBuilder().add("job", tree.job()).add("kernel", tree.kernel())
                    .add("compare_to", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("job", tree.job()).add("kernel", tree.previousKernel()))).build();
            JsonObject compared = compare("job", body);
            JsonObject baseline = compared.getJsonObject("baseline");
            jobSummary(baseline);
            List<JsonValue> targets = array(compared, "compare_to");
            assertEquals(1, targets.size());
            jobSummary(targets.get(0).asJsonObject());
            List<JsonValue> delta = array(compared, "delta_result");
            shown(delta, "delta_result rows");
            for (JsonValue row : delta) {
                JsonArray key = row.asJsonArray().getJsonArray(0);
                assertInstanceOf(JsonString.class, key.get(1), "defconfig_full: " + row);
                assertInstanceOf(JsonString.class, key.get(2), "arch: " + row);
                JsonArray cells = row.asJsonArray().getJsonArray(1);
                assertEquals(2, cells.size(), row.toString());
                for (JsonValue cell : cells) {
                    if (cell != JsonValue.NULL) {
                        assertInstanceOf(JsonString.class, cell.asJsonArray().get(0), row.toString());
                        assertInstanceOf(JsonString.class, cell.asJsonArray().getJsonObject(1).get("$oid"), row.toString());
                    }
                }
            }
        }

        private void jobSummary(JsonObject job) {
            reads(job, "job", "kernel", "git_branch", "git_commit", "git_url", "total_builds#", "created_on.$date");
            List<JsonValue> counts = array(job, "build_counts");
            assertEquals(3, counts.size(), job.toString());
            counts.forEach(count -> assertInstanceOf(JsonNumber.class, count, job.toString()));
        }

        @Test
        @DisplayName(FE1911 + "/compare/ build form, then /compare/build/<id>/ (view-build-compare.2017.4.js): a failed build against its last pass")
        void buildCompare() {
            JsonObject build = failedBuild();
            String job = build.getString("job");
            String kernel = build.getString("kernel");
            String defconfig = build.getString("defconfig_full");
            String jk = "job=" + enc(job) + "&kernel=" + enc(kernel);
            assertTrue(values("/build/distinct/defconfig_full?" + jk).contains(defconfig));
            assertTrue(values("/build/distinct/arch?" + jk + "&defconfig_full=" + enc(defconfig))
                    .contains(build.getString("arch")));
            JsonObject pass = lastPass(one("/bisect/?collection=build&build_id=" + oid(build, "_id")));
            JsonObject body = Json.createObjectBuilder().add("job", job).add("kernel", kernel)
                    .add("defconfig_full", defconfig).add("arch", build.getString("arch"))
                    .add("compare_to", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("job", pass.getString("job")).add("kernel", pass.getString("kernel"))
                            .add("defconfig_full", pass.getString("defconfig_full")).add("arch", pass.getString("arch"))))
                    .build();
            JsonObject compared = compare("build", body);
            List<JsonObject> builds = new ArrayList<>(List.of(compared.getJsonObject("baseline")));
            array(compared, "compare_to").forEach(target -> builds.add(target.asJsonObject()));
            assertEquals(2, builds.size());
            for (JsonObject doc : builds) {
                reads(doc, "_id.$oid", "job", "kernel", "defconfig", "defconfig_full", "git_branch", "git_commit",
                        "git_url", "created_on.$date", "arch", "status", "dtb_dir_data#");
                present(doc, "errors", "warnings", "mismatches", "compiler_version_ext", "text_offset", "build_time",
                        "build_log_size", "kernel_config_size", "modules_size", "system_map_size", "kernel_image_size",
                        "vmlinux_file_size", "vmlinux_text_size", "vmlinux_bss_size", "vmlinux_data_size");
            }
            assertEquals("FAIL", builds.get(0).getString("status"));
            assertEquals("PASS", builds.get(1).getString("status"));
        }

        @Test
        @DisplayName(FE1911 + "/compare/ boot form, then /compare/boot/<id>/ (view-boot-compare.2017.4.js): a regressing boot against its last pass")
        void bootCompare() {
            List<JsonObject> leaf = regressionLeaf();
            JsonObject fail = leaf.get(leaf.size() - 1);
            JsonObject pass = leaf.get(0);
            String jk = "job=" + enc(fail.getString("job")) + "&kernel=" + enc(fail.getString("kernel"));
            String d = "&defconfig_full=" + enc(fail.getString("defconfig_full"));
            String a = "&arch=" + enc(fail.getString("arch"));
            assertTrue(values("/boot/distinct/defconfig_full?" + jk).contains(fail.getString("defconfig_full")));
            assertTrue(values("/boot/distinct/arch?" + jk + d).contains(fail.getString("arch")));
            assertTrue(values("/boot/distinct/board?" + jk + d + a).contains(fail.getString("board")));
            assertTrue(values("/boot/distinct/lab_name?" + jk + d + a + "&board=" + enc(fail.getString("board")))
                    .contains(fail.getString("lab_name")));
            JsonObject body = bootKeys(fail).add("compare_to", Json.createArrayBuilder().add(bootKeys(pass))).build();
            JsonObject compared = compare("boot", body);
            JsonObject baseline = compared.getJsonObject("baseline");
            reads(baseline, "board", "build_id.$oid", "created_on.$date", "defconfig_full", "git_branch", "git_commit",
                    "git_url", "job", "kernel", "lab_name");
            present(baseline, "board_instance");
            List<JsonObject> boots = new ArrayList<>(List.of(baseline));
            array(compared, "compare_to").forEach(target -> boots.add(target.asJsonObject()));
            assertEquals(2, boots.size());
            for (JsonObject boot : boots) {
                reads(boot, "_id.$oid", "board", "job", "git_branch", "kernel", "git_commit", "created_on.$date", "arch",
                        "lab_name", "status");
                present(boot, "mach", "board_instance", "endian", "retries", "warnings", "time", "compiler_version_ext",
                        "kernel_image_size", "fastboot", "fastboot_cmd", "load_addr", "initrd_addr", "uimage_addr",
                        "dtb_addr", "dtb_append", "bootloader", "bootloader_version", "chainloader", "filesystem",
                        "compiler_version_full");
            }
        }

        private JsonObjectBuilder bootKeys(JsonObject boot) {
            JsonObjectBuilder keys = Json.createObjectBuilder();
            for (String key : List.of("job", "kernel", "defconfig_full", "arch", "board", "lab_name")) {
                keys.add(key, boot.getString(key));
            }
            return keys;
        }

        /** The chooser's submit, then the result page: POST, X-Kernelci-Compare-Id, GET /<r>/compare/<id>. */
        private JsonObject compare(String resource, JsonObject body) {
            Reply posted = proxy.post("/" + resource + "/compare", body.toString());
            assertTrue(posted.status() == 201 || posted.status() == 200, posted.status() + " " + posted.body());
            answer("POST /" + resource + "/compare", posted, posted.status());
            String id = posted.header("X-Kernelci-Compare-Id");
            assertNotNull(id, "X-Kernelci-Compare-Id");
            assertFalse(id.contains("/"), id);
            return one("/" + resource + "/compare/" + id);
        }

        /** The PASS item that ends a build's bisection. */
        private JsonObject lastPass(JsonObject bisection) {
            List<JsonValue> chain = array(bisection, "bisect_data");
            JsonObject last = chain.get(chain.size() - 1).asJsonObject();
            assertEquals("PASS", last.getString("status"), bisection.toString());
            return one("/build/" + oid(last, "_id"));
        }
    }

    // ---------------------------------------------------------------- feeds

    static final String JOB_FEED = "/job?date_range=1" + fields("_id", "created_on", "git_branch", "git_branch",
            "git_commit", "git_url", "job", "kernel") + "&sort=created_on&sort_order=-1";

    @Nested
    @DisplayName("Atom feeds (utils/feed, 2020.01 = 2020.05)")
    class Feeds {
        @Test
        @DisplayName(FE01 + "/job/<job>/feed.xml (utils/feed/job.py): the tree's jobs of the last day, six counts each")
        void jobFeed() {
            jobFeed(JOB_FEED + "&job=" + enc(newestJob().getString("job")));
        }

        @Test
        @DisplayName(FE01 + "/job/<job>/branch/<branch>/feed.xml (utils/feed/job.py): the branch's jobs of the last day, six counts each")
        void jobBranchFeed() {
            JsonObject job = newestJob();
            jobFeed(JOB_FEED + "&job=" + enc(job.getString("job")) + "&git_branch=" + enc(job.getString("git_branch")));
        }

        private void jobFeed(String target) {
            for (JsonObject job : shown(list(target), "feed entries")) {
                reads(job, "_id.$oid", "created_on.$date", "job", "kernel", "git_branch", "git_commit", "git_url");
                String q = "job=" + job.getString("job") + "&kernel=" + job.getString("kernel");
                Map<String, Integer> counts = counts(batch(List.of(count("total_builds", "build", q),
                        count("total_boots", "boot", q), count("passed_builds", "build", "status=PASS&" + q),
                        count("passed_boots", "boot", "status=PASS&" + q),
                        count("failed_builds", "build", "status=FAIL&" + q),
                        count("failed_boots", "boot", "status=FAIL&" + q))));
                assertTrue(counts.get("total_builds") > 0, counts.toString());
            }
        }

        @Test
        @DisplayName(FE01 + "/boot/all/job/<job>/feed.xml (utils/feed/boot.py): the tree's kernels booted in the last day, three counts each")
        void bootJobFeed() {
            String job = newestBoot().getString("job");
            for (JsonObject item : shown(list("/boot?date_range=1&sort=created_on&sort_order=-1&aggregate=kernel&job="
                    + enc(job) + fields("created_on", "git_branch", "git_commit", "git_describe", "git_url", "job",
                            "kernel")), "feed entries")) {
                reads(item, "created_on.$date", "job", "kernel", "git_branch", "git_commit", "git_describe", "git_url");
                String q = "job=" + item.getString("job") + "&kernel=" + item.getString("kernel");
                Map<String, Integer> counts = counts(batch(List.of(count("total_boots", "boot", q),
                        count("passed_boots", "boot", "status=PASS&" + q),
                        count("failed_boots", "boot", "status=FAIL&" + q))));
                assertTrue(counts.get("total_boots") > 0, counts.toString());
            }
        }

        @Test
        @DisplayName(FE01 + "/boot/all/lab/<lab_name>/feed.xml (utils/feed/boot.py): the lab's boots of the last day, whole documents")
        void labFeed() {
            bootFeed("/boot?date_range=1&sort=created_on&sort_order=-1&lab_name=" + enc(newestBoot().getString("lab_name")));
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/feed.xml (utils/feed/boot.py): the board's boots of the last day, twelve fields")
        void boardFeed() {
            bootFeed("/boot?date_range=1&sort=created_on&sort_order=-1&board=" + enc(newestBoot().getString("board"))
                    + fields("_id", "arch", "board", "build_id", "created_on", "defconfig", "defconfig_full", "job",
                            "job_id", "kernel", "lab_name", "status"));
        }

        @Test
        @DisplayName(FE01 + "/boot/<board>/job/<job>/feed.xml (utils/feed/boot.py): the board's boots of a tree in the last day")
        void boardJobFeed() {
            JsonObject boot = newestBoot();
            bootFeed("/boot?date_range=1&sort=created_on&sort_order=-1&board=" + enc(boot.getString("board")) + "&job="
                    + enc(boot.getString("job")));
        }

        private void bootFeed(String target) {
            for (JsonObject boot : shown(list(target), "feed entries")) {
                reads(boot, "_id.$oid", "created_on.$date", "status", "board", "job", "kernel", "defconfig_full", "arch",
                        "lab_name");
                if (isSet(boot, "build_id")) {
                    oid(boot, "build_id");
                }
                if (isSet(boot, "job_id")) {
                    oid(boot, "job_id");
                }
            }
        }

        @Test
        @DisplayName(FE01 + "/soc/<soc>/feed.xml (utils/feed/soc.py): the SoC's trees booted in the last day, three counts each")
        void socFeed() {
            String soc = newestBoot().getString("mach");
            socFeed("&aggregate=job&mach=" + enc(soc), soc);
        }

        @Test
        @DisplayName(FE01 + "/soc/<soc>/job/<job>/feed.xml (utils/feed/soc.py): the SoC's kernels of a tree booted in the last day")
        void socJobFeed() {
            JsonObject boot = newestBoot();
            socFeed("&aggregate=kernel&mach=" + enc(boot.getString("mach")) + "&job=" + enc(boot.getString("job")),
                    boot.getString("mach"));
        }

        private void socFeed(String keys, String soc) {
            for (JsonObject item : shown(list("/boot?date_range=1" + fields("build_id", "created_on", "git_branch",
                    "git_commit", "git_url", "job", "job_id", "kernel", "mach") + "&sort=created_on&sort_order=-1" + keys),
                    "feed entries")) {
                reads(item, "created_on.$date", "job", "mach", "kernel", "git_branch");
                String tail = isSet(item, "job_id") ? "&job_id=" + oid(item, "job_id") : "";
                String q = "job=" + item.getString("job") + "&mach=" + soc + tail;
                Map<String, Integer> counts = counts(batch(List.of(count("total_boots", "boot", q),
                        count("passed_boots", "boot", "status=PASS&" + q),
                        count("failed_boots", "boot", "status=FAIL&" + q))));
                assertTrue(counts.get("total_boots") > 0, counts.toString());
            }
        }
    }

    // ---------------------------------------------------------------- the wire

    @Nested
    @DisplayName("The wire the proxy passes on (CONTRACT.md sections 1 and 3)")
    class Wire {
        @Test
        @DisplayName("a listing of 10,000 documents: Content-Length, not chunked, gzipped")
        void largeListing() {
            Reply reply = proxy.get("/boot?sort=created_on&sort_order=-1&limit=10000");
            JsonObject body = answer("10,000 boots", reply, 200);
            assertEquals(10_000, body.getJsonArray("result").size());
        }

        @Test
        @DisplayName("small answers are gzipped too: a count, /version, a 404 error")
        void smallAnswers() {
            JsonObject boot = newestBoot();
            Reply count = proxy.get("/count/boot?mach=" + enc(boot.getString("mach")));
            answer("count", count, 200);
            assertTrue(count.body().length() < 100, count.body());
            answer("version", proxy.get("/version"), 200);
            Reply missing = proxy.get("/boot/000000000000000000000000");
            answer("missing boot", missing, 404);
            assertTrue(missing.gzipped());
        }

        @Test
        @DisplayName("a document with unset members carries every member of its collection, unset ones null")
        void membersPresentWithNull() {
            JsonObject boot = one("/boot/" + oid(newestBoot(), "_id"));
            List<String> members = List.of("name", "job", "job_id", "kernel", "defconfig", "defconfig_full",
                    "defconfig_id", "build_id", "arch", "board", "board_instance", "lab_name", "status",
                    "boot_result_description", "time", "warnings", "retries", "mach", "endian", "fastboot",
                    "fastboot_cmd", "boot_log", "boot_log_html", "kernel_image", "kernel_image_size", "initrd",
                    "initrd_addr", "load_addr", "dtb", "dtb_addr", "dtb_append", "uimage", "uimage_addr", "qemu",
                    "qemu_command", "filesystem", "bootloader", "bootloader_version", "chainloader", "boot_job_id",
                    "boot_job_path", "boot_job_url", "device_type", "plan", "plan_variant", "build_environment",
                    "compiler", "compiler_version", "compiler_version_ext", "compiler_version_full", "cross_compile",
                    "git_branch", "git_commit", "git_describe", "git_url", "file_server_url", "file_server_resource",
                    "metadata", "_id", "created_on", "version");
            present(boot, members.toArray(String[]::new));
            List<String> unset = members.stream().filter(member -> boot.get(member) == JsonValue.NULL).toList();
            assertFalse(unset.isEmpty(), "the demo boot has unset members: " + boot);
            assertInstanceOf(JsonObject.class, boot.get("metadata"), "metadata is {} when unset");
        }
    }

    // ---------------------------------------------------------------- where a user arrives from

    /** A tree's branch, its newest kernel (whose boots regress) and the kernel before it. */
    record Branch(String job, String branch, String kernel, String previousKernel) {
    }

    private static final Map<String, Object> PICKS = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    private static synchronized <T> T pick(String name, Supplier<T> find) {
        if (!PICKS.containsKey(name)) {
            PICKS.put(name, find.get());
        }
        return (T) PICKS.get(name);
    }

    /**
     * A tree and branch whose newest kernel has boot regressions (the demo data's linusw, omap and
     * stable-rc have one job per branch, so their kernels never regress), with a kernel before it.
     */
    static Branch regressingBranch() {
        return pick("branch", () -> {
            Set<String> regressing = new LinkedHashSet<>();
            for (JsonObject doc : list("/boot/regressions?field=job&field=kernel")) {
                regressing.add(doc.getString("job") + "\n" + doc.getString("kernel"));
            }
            for (JsonObject newest : list("/job?aggregate=job&aggregate=git_branch&sort=created_on&sort_order=-1"
                    + fields("job", "git_branch", "kernel"))) {
                String job = newest.getString("job");
                String branch = newest.getString("git_branch");
                if (regressing.contains(job + "\n" + newest.getString("kernel"))) {
                    List<JsonObject> kernels = list("/job?job=" + enc(job) + "&git_branch=" + enc(branch)
                            + "&sort=created_on&sort_order=-1&field=kernel");
                    if (kernels.size() >= 2) {
                        return new Branch(job, branch, kernels.get(0).getString("kernel"),
                                kernels.get(1).getString("kernel"));
                    }
                }
            }
            return fail("no branch whose newest kernel regresses");
        });
    }

    /** The first regression of the regressions tab of {@link #regressingBranch()}: last pass first, last fail last. */
    static List<JsonObject> regressionLeaf() {
        return pick("leaf", () -> {
            Branch tree = regressingBranch();
            JsonObject doc = list("/boot/regressions?job=" + enc(tree.job()) + "&kernel=" + enc(tree.kernel())).get(0);
            return leaves(doc.getJsonObject("regressions")).get(0);
        });
    }

    /** The regressing boot a user clicks in the regressions tab. */
    static JsonObject failedBoot() {
        List<JsonObject> leaf = regressionLeaf();
        return leaf.get(leaf.size() - 1);
    }

    /**
     * A failed build whose bisection finds a good commit, of the regressing tree if it has one,
     * else the newest such, preferring one outside mainline (its page then also compares to
     * mainline). Whole document.
     */
    static JsonObject failedBuild() {
        return pick("build", () -> {
            String job = regressingBranch().job();
            for (String target : List.of("/build?status=FAIL&job=" + enc(job) + "&sort=created_on&sort_order=-1&limit=50",
                    "/build?status=FAIL&sort=created_on&sort_order=-1&limit=200")) {
                for (JsonObject build : list(target + "&field=_id&field=job")) {
                    if ("mainline".equals(build.getString("job"))) {
                        continue;
                    }
                    String id = oid(build, "_id");
                    if (isSet(one("/bisect/?collection=build&build_id=" + id), "good_commit")) {
                        return one("/build/" + id);
                    }
                }
            }
            return fail("no failed build that bisects to a good commit");
        });
    }

    static JsonObject newestBoot() {
        return pick("boot", () -> list("/boot?sort=created_on&sort_order=-1&limit=1").get(0));
    }

    static JsonObject newestJob() {
        return pick("job", () -> list("/job?sort=created_on&sort_order=-1&limit=1").get(0));
    }

    static JsonObject newestTopGroup() {
        return pick("group", () -> list("/test/group?parent_id=null&sort=created_on&sort_order=-1&limit=1").get(0));
    }

    static JsonObject newestTestCase() {
        return pick("case", () -> list("/test/case?sort=created_on&sort_order=-1&limit=1").get(0));
    }

    /** The newest test regression: its tree, branch, kernel, plan and SoC show regressions on the Tests pages. */
    static JsonObject testRegression() {
        return pick("regression", () -> shown(list("/test/regression?sort=created_on&sort_order=-1&limit=1"),
                "test regressions").get(0));
    }

    /** A group of the newest plan run's board, tree and kernel that has cases, as its kernel page lists it. */
    static String groupWithCases() {
        return pick("groupWithCases", () -> {
            JsonObject top = newestTopGroup();
            for (JsonObject group : list("/test/group?board=" + enc(top.getString("board")) + "&job="
                    + enc(top.getString("job")) + "&kernel=" + enc(top.getString("kernel"))
                    + "&sort=created_on&sort_order=-1")) {
                if (!array(group, "test_cases").isEmpty()) {
                    return oid(group, "_id");
                }
            }
            return fail("no group with cases");
        });
    }

    /** The newest build whose log has error lines (SQL: the logs page is reached from the build's page). */
    static String buildWithErrorLines() {
        return pick("log", () -> {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT build_id FROM error_logs"
                         + " WHERE jsonb_array_length(errors) > 0 ORDER BY created_on DESC, id LIMIT 1")) {
                assertTrue(rows.next(), "no error log with error lines");
                return rows.getString(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---------------------------------------------------------------- requests, as the proxy sends them

    /** A GET of a page: 200 and the wire checked. */
    static JsonObject get(String target) {
        return answer(target, proxy.get(target), 200);
    }

    /**
     * An answer as the proxy passes it on: the status the page expects, {@code Content-Length} the
     * body's length as sent, never chunked, gzipped when 5 bytes or more, a JSON envelope.
     */
    static JsonObject answer(String request, Reply reply, int status) {
        assertEquals(status, reply.status(), request + " -> " + abbreviated(reply.body()));
        String length = reply.header("Content-Length");
        assertNotNull(length, request + ": Content-Length");
        assertEquals(reply.received(), Integer.parseInt(length), request + ": Content-Length");
        for (String coding : reply.headers().allValues("Transfer-Encoding")) {
            assertFalse(coding.toLowerCase(java.util.Locale.ROOT).contains("chunked"), request + ": " + coding);
        }
        if (reply.body().getBytes(StandardCharsets.UTF_8).length >= 5) {
            assertTrue(reply.gzipped(), request + ": Content-Encoding gzip from 5 bytes (the Python side parses only those)");
        }
        String type = reply.header("Content-Type");
        assertNotNull(type, request + ": Content-Type");
        assertTrue(type.startsWith("application/json"), request + ": " + type);
        JsonObject body = json(reply.body());
        assertEquals(status, body.getInt("code"), request + " -> " + abbreviated(reply.body()));
        return body;
    }

    static String abbreviated(String text) {
        return text.length() > 2_000 ? text.substring(0, 2_000) + "..." : text;
    }

    /** A list GET: {@code count}, {@code limit}, {@code skip} and the documents, ids and dates in the wire format. */
    static List<JsonObject> list(String target) {
        JsonObject body = get(target);
        number(body, "limit");
        number(body, "skip");
        List<JsonObject> docs = documents(body, target);
        assertTrue(docs.size() <= number(body, "count"), target + ": count");
        return docs;
    }

    static List<JsonObject> documents(JsonObject body, String context) {
        JsonValue result = body.get("result");
        assertInstanceOf(JsonArray.class, result, context + " -> " + abbreviated(body.toString()));
        List<JsonObject> docs = new ArrayList<>();
        for (JsonValue value : result.asJsonArray()) {
            assertInstanceOf(JsonObject.class, value, context);
            docs.add(wireFormat(value.asJsonObject()));
        }
        return docs;
    }

    /** result[0] of an answer of one document (by id, a sub-route). */
    static JsonObject one(String target) {
        List<JsonObject> docs = documents(get(target), target);
        assertEquals(1, docs.size(), target);
        return docs.get(0);
    }

    /** {@code GET /<c>/distinct/<field>}: strings. */
    static List<String> values(String target) {
        JsonObject body = get(target);
        List<String> values = new ArrayList<>();
        for (JsonValue value : body.getJsonArray("result")) {
            assertInstanceOf(JsonString.class, value, target);
            values.add(((JsonString) value).getString());
        }
        return values;
    }

    /** What a page renders: not empty on the demo data. */
    static <T> List<T> shown(List<T> items, String what) {
        assertFalse(items.isEmpty(), what + ": the page would show nothing");
        return items;
    }

    /**
     * {@code POST /batch} with the page's operations: one entry per operation, each with its
     * operation_id and code 200 and a {@code result} array (an entry without it throws in the
     * page's loop and leaves the rest of the batch unshown).
     */
    /** The one entry of a batch of one operation, whatever its code. */
    static JsonObject batchEntry(JsonObject op) {
        String body = Json.createObjectBuilder().add("batch", Json.createArrayBuilder().add(op)).build().toString();
        JsonObject envelope = answer("POST /batch of 1", proxy.post("/batch", body), 200);
        return envelope.getJsonArray("result").getJsonObject(0);
    }

    static List<JsonObject> batch(List<JsonObject> ops) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        ops.forEach(array::add);
        String body = Json.createObjectBuilder().add("batch", array).build().toString();
        JsonObject envelope = answer("POST /batch of " + ops.size(), proxy.post("/batch", body), 200);
        JsonArray entries = envelope.getJsonArray("result");
        assertEquals(ops.size(), entries.size());
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            JsonObject entry = entries.getJsonObject(i);
            JsonObject op = ops.get(i);
            assertEquals(op.get("operation_id"), entry.get("operation_id"), entry.toString());
            assertEquals(200, entry.getInt("code", -1), "batch operation " + op + " -> " + abbreviated(entry.toString()));
            assertInstanceOf(JsonArray.class, entry.get("result"), entry.toString());
            out.add(entry);
        }
        return out;
    }

    private static JsonObjectBuilder op(Object operationId, String resource) {
        JsonObjectBuilder op = Json.createObjectBuilder().add("method", "GET");
        if (operationId instanceof JsonValue value) {
            op.add("operation_id", value);
        } else {
            op.add("operation_id", (String) operationId);
        }
        return op.add("resource", resource);
    }

    static JsonObject count(Object operationId, String document, String query) {
        return op(operationId, "count").add("document", document).add("query", query).build();
    }

    static JsonObject distinctOp(String operationId, String resource, String field, String query) {
        return op(operationId, resource).add("distinct", field).add("query", query).build();
    }

    static JsonObject countDistinct(String operationId, String document, String field, String query) {
        return op(operationId, "count").add("document", document).add("distinct", field).add("query", query).build();
    }

    static JsonObject listOp(String operationId, String resource, String query) {
        return op(operationId, resource).add("query", query).build();
    }

    /** A count, count-distinct or distinct entry: the page reads {@code result[0].count}. */
    static int count(JsonObject entry) {
        return number(entry.getJsonArray("result").getJsonObject(0), "count");
    }

    /** The counts by operation_id (a page sums entries of one id). */
    static Map<String, Integer> counts(List<JsonObject> entries) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JsonObject entry : entries) {
            counts.merge(entry.getString("operation_id"), count(entry), Integer::sum);
        }
        return counts;
    }

    static int sum(Map<String, Integer> counts, String prefix) {
        return counts.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
                .mapToInt(Map.Entry::getValue).sum();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code &key=v1&key=v2...}: an array as jQuery's traditional serialisation sends it. */
    static String repeated(String key, String... values) {
        StringBuilder query = new StringBuilder();
        for (String value : values) {
            query.append('&').append(key).append('=').append(enc(value));
        }
        return query.toString();
    }

    static String fields(String... names) {
        return repeated("field", names);
    }

    /** URI.js {@code buildQuery} of an object: strictly percent-encoded, a null member as a bare key. */
    static String buildQuery(String... keyValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            query.append(query.isEmpty() ? "" : "&").append(keyValues[i]);
            if (keyValues[i + 1] != null) {
                query.append('=').append(enc(keyValues[i + 1]));
            }
        }
        return query.toString();
    }

    // ---------------------------------------------------------------- members

    /**
     * Ids and references as {@code {"$oid": ...}}, dates and durations as {@code {"$date": ...}}
     * (CONTRACT.md section 1); a boot's build under both names with one value.
     */
    static JsonObject wireFormat(JsonObject doc) {
        for (String reference : List.of("_id", "job_id", "defconfig_id", "build_id", "parent_id", "test_group_id",
                "regression_id")) {
            if (isSet(doc, reference)) {
                oid(doc, reference);
            }
        }
        for (String date : List.of("created_on", "updated_on", "time")) {
            if (isSet(doc, date)) {
                reads(doc, date + ".$date");
            }
        }
        if (isSet(doc, "defconfig_id") && isSet(doc, "build_id")) {
            assertEquals(oid(doc, "defconfig_id"), oid(doc, "build_id"), doc.toString());
        }
        return doc;
    }

    /** Members a page reads where null is fine (a column without render, a guarded read): present. */
    static void present(JsonObject doc, String... members) {
        for (String member : members) {
            assertTrue(doc.containsKey(member), member + " missing (undefined to the page) in " + abbreviated(doc.toString()));
        }
    }

    /** A member the page reads {@code .length} of: an array. */
    static JsonArray array(JsonObject doc, String member) {
        JsonValue value = doc.get(member);
        assertInstanceOf(JsonArray.class, value, member + " in " + abbreviated(doc.toString()));
        return value.asJsonArray();
    }

    static long date(JsonObject doc, String member) {
        reads(doc, member + ".$date");
        return doc.getJsonObject(member).getJsonNumber("$date").longValue();
    }

    /** {@code Date.toCustomISODate()}: the UTC day. */
    static String day(long millis) {
        return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}

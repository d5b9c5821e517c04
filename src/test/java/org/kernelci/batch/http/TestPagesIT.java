package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.Ids;
import org.kernelci.batch.testing.TestServer;

/**
 * The Tests, jobs and SoC pages of kernelci-frontend 2020.05 (notes/frontend-requests.md section
 * 5, read from {@code kernelci/kernelci-frontend} at {@code 2020.05},
 * {@code app/dashboard/static/js/app/view-{tests,jobs,socs}-*.2020.5.js} and
 * {@code view-builds-id.2020.5.js}), replayed with the query strings and batch bodies they build
 * (the proxy's path, the pages' keys in their order, {@code URI.buildQuery}'s or the string
 * concatenation's), against a service with {@code KCI_BATCH_LISTS=original}; each answer is
 * checked for what the page reads from it: presence, JSON type, and the counts it shows.
 *
 * <p>The data: tree {@code mainline}, branch {@code master}, kernels {@code v5.7-rc1} then
 * {@code v5.7-rc2}; per kernel the runs baseline on qemu_x86_64 (lab-collabora, mach qemu) and on
 * rpi-3 (lab-baylibre, mach bcm2837), kselftest on qemu_x86_64. In rc2, three cases regress
 * (baseline.dmesg.crit on qemu, baseline.login on rpi-3, kselftest.net.t1); baseline.dmesg.alert
 * on rpi-3 failed in rc1 too, and kselftest.timers.t1 skipped there: two failures of unknown cause.
 * The sub-groups say their mach (a sub-group does not take its parent's), so that every case has one.
 */
class TestPagesIT {
    private static final String TOKEN = "frontend-backend-token";
    private static final String RC1 = "v5.7-rc1";
    private static final String RC2 = "v5.7-rc2";
    private static final String F_RC2 = "job=mainline&kernel=v5.7-rc2&git_branch=master";
    private static TestServer server;
    private static HttpProbe http;
    private static String buildRc2;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.BATCH_LISTS, "original"));
        http = server.http();
        server.addToken(TOKEN, "can_get");
        for (String kernel : List.of(RC1, RC2)) {
            post("/job", "{\"job\":\"mainline\",\"kernel\":\"" + kernel + "\",\"git_branch\":\"master\"}");
            String build = post("/build", """
                    {"job":"mainline","kernel":"%s","defconfig":"x86_64_defconfig","arch":"x86_64","git_branch":"master",
                     "build_environment":"gcc-8","build_result":"PASS","git_url":"git://mainline","git_commit":"c-%s",
                     "compiler_version":"8.3"}""".formatted(kernel, kernel));
            post("/build", """
                    {"job":"mainline","kernel":"%s","defconfig":"defconfig","arch":"arm64","git_branch":"master",
                     "build_environment":"gcc-8","build_result":"FAIL","git_url":"git://mainline"}""".formatted(kernel));
            boolean rc2 = kernel.equals(RC2);
            post("/test/group", run("baseline", kernel, "qemu_x86_64", "lab-collabora", "qemu", "x86_64", "x86_64_defconfig",
                    "\"test_cases\":[" + testCase("login", "PASS") + "],\"sub_groups\":[{\"name\":\"dmesg\",\"mach\":\"qemu\",\"test_cases\":["
                            + testCase("crit", rc2 ? "FAIL" : "PASS") + "," + testCase("alert", "PASS") + "]}]"));
            post("/test/group", run("baseline", kernel, "rpi-3", "lab-baylibre", "bcm2837", "arm64", "defconfig",
                    "\"test_cases\":[" + testCase("login", rc2 ? "FAIL" : "PASS") + "],\"sub_groups\":[{\"name\":\"dmesg\",\"mach\":\"bcm2837\","
                            + "\"test_cases\":[" + testCase("crit", "PASS") + "," + testCase("alert", "FAIL") + "]}]"));
            post("/test/group", run("kselftest", kernel, "qemu_x86_64", "lab-collabora", "qemu", "x86_64", "x86_64_defconfig",
                    "\"sub_groups\":[{\"name\":\"net\",\"mach\":\"qemu\",\"test_cases\":[" + testCase("t1", rc2 ? "FAIL" : "PASS") + ","
                            + testCase("t2", "PASS") + "]},{\"name\":\"timers\",\"mach\":\"qemu\",\"test_cases\":["
                            + testCase("t1", rc2 ? "FAIL" : "SKIP") + "]}]"));
            buildRc2 = build;
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String post(String path, String body) {
        Reply reply = http.send("POST", path, body.getBytes(StandardCharsets.UTF_8), "Authorization", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json");
        assertEquals(201, reply.status(), reply.body());
        return Ids.of(json(reply.body()).getJsonArray("result").getJsonObject(0));
    }

    static String run(String plan, String kernel, String device, String lab, String mach, String arch, String defconfig,
                      String content) {
        return """
                {"name":"%s","lab_name":"%s","device_type":"%s","arch":"%s","defconfig":"%s","build_environment":"gcc-8",
                 "git_branch":"master","git_commit":"c-%s","job":"mainline","kernel":"%s","mach":"%s","time":12.5,
                 "boot_log":"%s.txt","boot_log_html":"%s.html","kernel_image":"bzImage","file_server_resource":"mainline/%s",
                 "endian":"little","dtb":"None",%s}""".formatted(plan, lab, device, arch, defconfig, kernel, kernel, mach, device,
                device, kernel, content);
    }

    static String testCase(String name, String status) {
        return "{\"name\":\"" + name + "\",\"status\":\"" + status + "\",\"measurements\":[{\"value\":1.5,\"unit\":\"s\"}],"
                + "\"log_lines\":[{\"dt\":\"2020-05-01T00:00:00\",\"msg\":\"" + name + "\"}]}";
    }

    /** A GET as the proxy sends it: the frontend's backend token, gzip accepted. */
    static JsonObject get(String pathAndQuery) {
        Reply reply = http.get(pathAndQuery, "Authorization", TOKEN, "Accept-Encoding", "gzip, deflate");
        assertEquals(200, reply.status(), pathAndQuery + ": " + reply.body());
        assertTrue(reply.gzipped(), pathAndQuery + ": the proxy's answers come gzipped");
        return json(reply.body());
    }

    /** One batch operation as the pages build it. */
    static JsonObject op(Object operationId, String resource, String document, String distinct, String query) {
        var op = Json.createObjectBuilder().add("method", "GET");
        if (operationId instanceof List<?> pair) {
            JsonArrayBuilder id = Json.createArrayBuilder();
            pair.forEach(part -> id.add((String) part));
            op.add("operation_id", id);
        } else {
            op.add("operation_id", (String) operationId);
        }
        op.add("resource", resource);
        if (document != null) {
            op.add("document", document);
        }
        if (distinct != null) {
            op.add("distinct", distinct);
        }
        return op.add("query", query).build();
    }

    static JsonObject count(Object operationId, String document, String query) {
        return op(operationId, "count", document, null, query);
    }

    /** POST /batch of the operations; the entries, each checked to have a result (the pages' forEach stops at one without). */
    static JsonArray batch(List<JsonObject> operations) {
        JsonArrayBuilder ops = Json.createArrayBuilder();
        operations.forEach(ops::add);
        String body = Json.createObjectBuilder().add("batch", ops).build().toString();
        Reply reply = http.send("POST", "/batch", body.getBytes(StandardCharsets.UTF_8), "Authorization", TOKEN,
                "Content-Type", "application/json", "Accept-Encoding", "gzip, deflate");
        assertEquals(200, reply.status(), reply.body());
        JsonArray entries = json(reply.body()).getJsonArray("result");
        assertEquals(operations.size(), entries.size());
        for (int i = 0; i < entries.size(); i++) {
            JsonObject entry = entries.getJsonObject(i);
            assertEquals(operations.get(i).get("operation_id"), entry.get("operation_id"), "echoed as sent");
            assertInstanceOf(JsonArray.class, entry.get("result"), entry.toString());
        }
        return entries;
    }

    /** {@code result[0].count} of each entry, in order. */
    static List<Integer> counts(JsonArray entries) {
        return entries.stream().map(entry -> entry.asJsonObject().getJsonArray("result").getJsonObject(0).getInt("count")).toList();
    }

    /** The four test counts of the pages, F: total, passed, regressions, unknown. */
    static List<JsonObject> fourCounts(String prefix, String suffix, String f) {
        return List.of(count(prefix + "test-total-count" + suffix, "test_case", f),
                count(prefix + "test-success-count" + suffix, "test_case", f + "&status=PASS"),
                count(prefix + "test-fail-count" + suffix, "test_regression", f),
                count(prefix + "test-unknown-count" + suffix, "test_case", f + "&status=FAIL&status=SKIP&regression_id=null"));
    }

    /** The eight counts per job and branch or kernel of the jobs pages (4.6 with tests for boots), q concatenated raw. */
    static List<JsonObject> jobCounts(String tail, String q) {
        return List.of(count("build-total-count-" + tail, "build", q),
                count("build-success-count-" + tail, "build", "status=PASS&" + q),
                count("build-fail-count-" + tail, "build", "status=FAIL&" + q),
                count("build-unknown-count-" + tail, "build", "status=UNKNOWN&" + q),
                count("test-total-count-" + tail, "test_case", q),
                count("test-success-count-" + tail, "test_case", "status=PASS&" + q),
                count("test-fail-count-" + tail, "test_regression", q),
                count("test-unknown-count-" + tail, "test_case", "status=FAIL&status=SKIP&regression_id=null&" + q));
    }

    static void hasDate(JsonObject document, String member) {
        assertInstanceOf(JsonNumber.class, document.getJsonObject(member).get("$date"), member + " in " + document);
    }

    static String oid(JsonObject document, String member) {
        return document.getJsonObject(member).getString("$oid");
    }

    static void hasStrings(JsonObject document, String... members) {
        for (String member : members) {
            assertInstanceOf(JsonString.class, document.get(member), member + " in " + document);
        }
    }

    static List<JsonObject> results(JsonObject answer) {
        return answer.getJsonArray("result").stream().map(JsonValue::asJsonObject).toList();
    }

    @Test
    @DisplayName("§5.1 /test/ (view-tests-all.2020.5.js): plan runs aggregated by name and kernel, each under result; a regression count per row")
    void testsAll() {
        List<JsonObject> items = results(get("/test/group?aggregate=name&aggregate=kernel&parent_id=null&sort=created_on&sort_order=-1"
                + "&date_range=5&limit=1024&distinct=board&distinct=kernel"));
        assertEquals(4, items.size());
        List<JsonObject> ops = new ArrayList<>();
        Map<String, Integer> expected = new TreeMap<>();
        for (JsonObject item : items) {
            JsonObject run = item.getJsonObject("result");
            hasStrings(run, "job", "git_branch", "kernel", "name");
            hasDate(run, "created_on");
            String id = oid(run, "_id");
            ops.add(count("status-" + id, "test_regression", "kernel=" + run.getString("kernel") + "&plan=" + run.getString("name")));
            expected.put("status-" + id, run.getString("kernel").equals(RC1) ? 0 : run.getString("name").equals("baseline") ? 2 : 1);
        }
        JsonArray entries = batch(ops);
        Map<String, Integer> shown = new TreeMap<>();
        for (int i = 0; i < entries.size(); i++) {
            shown.put(entries.getJsonObject(i).getString("operation_id"), counts(entries).get(i));
        }
        assertEquals(expected, shown);
    }

    @Test
    @DisplayName("§5.2 /test/job/<job>/branch/<branch>/kernel/<kernel>/ (view-tests-job-branch-kernel.2020.5.js)")
    void testsJobBranchKernel() {
        List<JsonObject> plans = results(get("/test/group?aggregate=name&job=mainline&git_branch=master&kernel=" + RC2
                + "&parent_id=null&sort=name&field=name&field=created_on&field=job&field=git_branch&field=git_commit&field=git_url"
                + "&field=kernel"));
        hasStrings(plans.get(0), "job", "git_branch", "kernel", "git_commit", "git_url");
        hasDate(plans.get(0), "created_on");
        assertEquals(List.of("kselftest", "baseline"), plans.stream().map(plan -> plan.getString("name")).toList());
        assertEquals(List.of(9, 4, 3, 2), counts(batch(fourCounts("", "", F_RC2))), "total, passed, regressions, unknown");
        List<JsonObject> perPlan = new ArrayList<>();
        List<JsonObject> status = new ArrayList<>();
        for (String plan : List.of("kselftest", "baseline")) {
            String f = F_RC2 + "&plan=" + plan;
            perPlan.addAll(fourCounts("", "-" + plan, f));
            status.add(count("status-" + plan, "test_regression", f));
        }
        assertEquals(List.of(3, 1, 1, 1, 6, 3, 2, 1), counts(batch(perPlan)));
        assertEquals(List.of(1, 2), counts(batch(status)));
    }

    @Test
    @DisplayName("§5.3 /test/job/.../plan/<plan>/ (view-tests-job-branch-kernel-plan.2020.5.js): runs, counts, and the regressions "
            + "of each run as the original's wrapped list (KCI_BATCH_LISTS=original)")
    void testsJobBranchKernelPlan() {
        List<JsonObject> runs = results(get("/test/group?job=mainline&git_branch=master&kernel=" + RC2
                + "&name=baseline&parent_id=null&sort=device_type&sort_order=1"));
        assertEquals(List.of("qemu_x86_64", "rpi-3"), runs.stream().map(run -> run.getString("device_type")).toList());
        for (JsonObject run : runs) {
            hasStrings(run, "job", "git_branch", "kernel", "git_commit", "git_url", "name", "file_server_resource", "defconfig_full",
                    "arch", "build_environment", "lab_name", "device_type", "boot_log", "boot_log_html", "kernel_image", "mach",
                    "endian");
            assertInstanceOf(JsonNumber.class, run.get("warnings"));
            hasDate(run, "time");
            oid(run, "_id");
        }
        assertEquals(List.of(6, 3, 2, 1), counts(batch(fourCounts("", "", F_RC2 + "&plan=baseline"))));
        List<JsonObject> lists = new ArrayList<>();
        for (JsonObject run : runs) {
            lists.add(op(String.join("-", run.getString("name"), run.getString("lab_name"), run.getString("device_type"),
                    run.getString("build_environment"), run.getString("defconfig_full")), "test_regression", null, null,
                    "job=mainline&kernel=" + RC2 + "&git_branch=master&plan=baseline&device_type=" + run.getString("device_type")
                            + "&lab_name=" + run.getString("lab_name") + "&build_environment=gcc-8&defconfig_full="
                            + run.getString("defconfig_full")));
        }
        JsonArray entries = batch(lists);
        Map<String, String> paths = new TreeMap<>();
        for (JsonValue value : entries) {
            JsonObject wrapped = value.asJsonObject().getJsonArray("result").getJsonObject(0);
            assertEquals(1, wrapped.getInt("count"), "one regression: the status shows FAIL");
            JsonObject regression = wrapped.getJsonArray("result").getJsonObject(0);
            JsonArray history = regression.getJsonArray("regressions");
            assertEquals(2, history.size(), "a new regression");
            assertEquals(RC1, history.getJsonObject(0).getString("kernel"), "last pass");
            assertEquals(RC2, history.getJsonObject(1).getString("kernel"));
            paths.put(value.asJsonObject().getString("operation_id"), regression.getString("test_case_path"));
        }
        assertEquals(Map.of("baseline-lab-collabora-qemu_x86_64-gcc-8-x86_64_defconfig", "baseline.dmesg.crit",
                "baseline-lab-baylibre-rpi-3-gcc-8-defconfig", "baseline.login"), paths);
        List<JsonObject> perLab = new ArrayList<>();
        for (String lab : List.of("lab-collabora", "lab-baylibre")) {
            String f = F_RC2 + "&plan=baseline&lab_name=" + lab;
            perLab.add(count(List.of(lab, "total"), "test_case", f));
            perLab.add(count(List.of(lab, "success"), "test_case", f + "&status=PASS"));
            perLab.add(count(List.of(lab, "regressions"), "test_regression", f));
            perLab.add(count(List.of(lab, "unknown"), "test_case", f + "&status=FAIL&status=SKIP&regression_id=null"));
        }
        assertEquals(List.of(3, 2, 1, 0, 3, 1, 1, 1), counts(batch(perLab)));
    }

    @Test
    @DisplayName("§5.3: without KCI_BATCH_LISTS=original a list operation answers the seeds' flat documents")
    void flatListsByDefault() {
        try (TestServer flat = TestServer.start(server.jdbcUrl(), Clock.systemUTC(), Map.of())) {
            String body = "{\"batch\":[" + op("x", "test_regression", null, null, F_RC2 + "&plan=kselftest") + "]}";
            Reply reply = flat.http().send("POST", "/batch", body.getBytes(StandardCharsets.UTF_8), "Authorization",
                    TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
            JsonObject entry = json(reply.body()).getJsonArray("result").getJsonObject(0);
            assertEquals(1, entry.getInt("count"));
            assertEquals("kselftest.net.t1", entry.getJsonArray("result").getJsonObject(0).getString("test_case_path"));
        }
    }

    @Test
    @DisplayName("§5.4 /test/plan/id/<id>/ (view-tests-plan-id.2020.5.js): the run, its cases by path, the four counts")
    void testsPlanId() {
        String id = oid(results(get("/test/group?job=mainline&git_branch=master&kernel=" + RC2
                + "&name=baseline&parent_id=null&sort=device_type&sort_order=1")).get(0), "_id");
        JsonObject run = results(get("/test/group/" + id)).get(0);
        hasStrings(run, "job", "git_branch", "kernel", "git_url", "git_commit", "boot_log", "boot_log_html", "lab_name", "name",
                "device_type", "arch", "defconfig_full", "build_environment", "file_server_resource");
        hasDate(run, "created_on");
        assertTrue(run.containsKey("compiler_version_full"));
        List<JsonObject> cases = results(get("/test/case?arch=x86_64&build_environment=gcc-8&defconfig_full=x86_64_defconfig"
                + "&device_type=qemu_x86_64&git_branch=master&job=mainline&kernel=" + RC2 + "&lab_name=lab-collabora&plan=baseline"
                + "&sort=test_case_path"));
        assertEquals(List.of("baseline.login", "baseline.dmesg.crit", "baseline.dmesg.alert"),
                cases.stream().map(c -> c.getString("test_case_path")).toList());
        for (JsonObject testCase : cases) {
            oid(testCase, "_id");
            hasStrings(testCase, "status");
            JsonObject measurement = testCase.getJsonArray("measurements").getJsonObject(0);
            assertInstanceOf(JsonNumber.class, measurement.get("value"));
            hasStrings(measurement, "unit");
        }
        assertEquals(List.of(false, true, false), cases.stream().map(c -> c.get("regression_id") != JsonValue.NULL).toList(),
                "regression_id truthy: FAIL; else non-PASS: UNKNOWN");
        assertEquals(List.of(3, 2, 1, 0), counts(batch(fourCounts("", "", "arch=x86_64&build_environment=gcc-8"
                + "&defconfig_full=x86_64_defconfig&device_type=qemu_x86_64&git_branch=master&job=mainline&kernel=" + RC2
                + "&lab_name=lab-collabora&plan=baseline"))));
    }

    @Test
    @DisplayName("§5.5 /test/case/id/<id>/ (view-tests-case-id.2020.5.js): the case, its group (build_id an $oid), its regression")
    void testsCaseId() {
        String id = oid(results(get("/test/case?job=mainline&kernel=" + RC2 + "&plan=baseline&device_type=qemu_x86_64"
                + "&status=FAIL")).get(0), "_id");
        JsonObject testCase = results(get("/test/case/" + id)).get(0);
        hasStrings(testCase, "job", "kernel", "status", "test_case_path", "device_type", "lab_name", "mach", "git_branch",
                "git_commit", "arch");
        hasDate(testCase, "created_on");
        assertEquals("s", testCase.getJsonArray("measurements").getJsonObject(0).getString("unit"));
        assertEquals("crit", testCase.getJsonArray("log_lines").getJsonObject(0).getString("msg"));
        JsonObject group = results(get("/test/group/" + oid(testCase, "test_group_id"))).get(0);
        assertEquals(buildRc2, oid(group, "build_id"), "the sub-group's build: the page reads build_id.$oid");
        hasStrings(group, "git_url", "boot_log", "boot_log_html", "lab_name", "defconfig_full", "dtb", "kernel_image",
                "file_server_resource", "job", "git_branch", "kernel", "arch", "version");
        for (String member : List.of("modules", "endian", "compiler_version_full")) {
            assertTrue(group.containsKey(member), member);
        }
        JsonObject regression = results(get("/test/regression/" + oid(testCase, "regression_id"))).get(0);
        JsonArray history = regression.getJsonArray("regressions");
        assertEquals(List.of(RC1, RC2), history.stream().map(item -> item.asJsonObject().getString("kernel")).toList());
        assertEquals(List.of("PASS", "FAIL"), history.stream().map(item -> item.asJsonObject().getString("status")).toList());
        for (JsonValue item : history) {
            hasDate(item.asJsonObject(), "created_on");
            oid(item.asJsonObject(), "test_case_id");
        }
        assertEquals(id, oid(history.getJsonObject(1), "test_case_id"));
    }

    @Test
    @DisplayName("§5.6 /job/ (view-jobs-all.2020.5.js): jobs by tree and branch; 8 counts each, tests for boots")
    void jobsAll() {
        List<JsonObject> jobs = results(get("/job?aggregate=job&aggregate=git_branch&sort=created_on&sort_order=-1&date_range=5"
                + "&field=job&field=kernel&field=status&field=created_on&field=git_branch"));
        assertEquals(1, jobs.size());
        JsonObject job = jobs.get(0);
        hasStrings(job, "job", "git_branch", "kernel");
        hasDate(job, "created_on");
        assertTrue(job.containsKey("status"));
        assertEquals(RC2, job.getString("kernel"));
        String tail = job.getString("job") + "-" + job.getString("git_branch");
        assertEquals(List.of(2, 1, 1, 0, 9, 4, 3, 2), counts(batch(jobCounts(tail, "job=mainline&kernel=" + RC2
                + "&git_branch=master"))));
    }

    @Test
    @DisplayName("§5.7 /job/<job>/ (view-jobs-job.2020.5.js): builds by kernel, details, the trend of test results, counts")
    void jobsJob() {
        List<JsonObject> builds = results(get("/build?aggregate=kernel&aggregate=git_branch&job=mainline&sort=created_on"
                + "&sort_order=-1&limit=20&field=job&field=kernel&field=created_on&field=git_branch&field=git_commit&field=git_url"));
        assertEquals(List.of(RC2, RC1), builds.stream().map(build -> build.getString("kernel")).toList());
        assertEquals(List.of(2, 4, 18), counts(batch(List.of(count("builds-count", "job", "job=mainline"),
                count("defconfs-count", "build", "job=mainline"), count("test-results-count", "test_case", "job=mainline")))));
        String first = LocalDate.now(ZoneOffset.UTC).toString();
        List<JsonObject> tests = results(get("/test/case?job=mainline&sort=created_on&sort_order=1&created_on=" + first
                + "&date_range=0&field=status&field=kernel&field=created_on&field=job&nfield=_id"));
        assertEquals(18, tests.size());
        for (JsonObject test : tests) {
            hasStrings(test, "kernel", "status", "job");
            assertTrue(!test.containsKey("_id"));
        }
        List<JsonObject> ops = new ArrayList<>();
        for (JsonObject build : builds) {
            ops.addAll(jobCounts(build.getString("kernel") + "-" + build.getString("git_branch"), "job=mainline&kernel="
                    + build.getString("kernel") + "&git_branch=" + build.getString("git_branch")));
        }
        assertEquals(List.of(2, 1, 1, 0, 9, 4, 3, 2, 2, 1, 1, 0, 9, 7, 0, 2), counts(batch(ops)));
    }

    @Test
    @DisplayName("§5.8 /job/<job>/branch/<branch>/ (view-jobs-job-branch.2020.5.js)")
    void jobsJobBranch() {
        List<JsonObject> builds = results(get("/build?aggregate=kernel&job=mainline&git_branch=master&sort=created_on"
                + "&sort_order=-1&limit=20&field=created_on&field=git_branch&field=git_commit&field=git_url&field=job&field=kernel"));
        assertEquals(2, builds.size());
        assertEquals(List.of(2, 4, 18), counts(batch(List.of(count("builds-count", "job", "job=mainline&git_branch=master&limit=20"),
                count("defconfs-count", "build", "job=mainline&git_branch=master&limit=20"),
                count("test-results-count", "test_case", "job=mainline&git_branch=master&limit=20")))));
        String first = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(18, results(get("/test/case?job=mainline&sort=created_on&sort_order=1&created_on=" + first
                + "&date_range=0&field=status&field=kernel&field=created_on&field=job&git_branch=master")).size());
        List<JsonObject> ops = new ArrayList<>();
        for (JsonObject build : builds) {
            ops.addAll(jobCounts(build.getString("kernel"), "job=mainline&kernel=" + build.getString("kernel") + "&git_branch=master"));
        }
        assertEquals(List.of(2, 1, 1, 0, 9, 4, 3, 2, 2, 1, 1, 0, 9, 7, 0, 2), counts(batch(ops)));
    }

    @Test
    @DisplayName("§5.9 /soc/ (view-socs-all.2020.5.js): the machs of test cases; boards, tests and labs per SoC")
    void socsAll() {
        JsonObject machs = get("/test/case/distinct/mach");
        List<String> socs = machs.getJsonArray("result").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        assertEquals(List.of("bcm2837", "qemu"), socs);
        List<JsonObject> boards = new ArrayList<>();
        List<JsonObject> tests = new ArrayList<>();
        List<JsonObject> labs = new ArrayList<>();
        for (String soc : socs) {
            boards.add(op("boards-count-" + soc, "test_case", null, "device_type", "mach=" + soc));
            tests.add(count("test-count-" + soc, "test_case", "mach=" + soc));
            labs.add(op("labs-count-" + soc, "test_group", null, "lab_name", "mach=" + soc));
        }
        assertEquals(List.of(1, 1), counts(batch(boards)));
        assertEquals(List.of(6, 12), counts(batch(tests)));
        assertEquals(List.of(1, 1), counts(batch(labs)));
    }

    @Test
    @DisplayName("§5.10 /soc/<soc>/ (view-socs-soc.2020.5.js): counts, devices, jobs of a SoC; 4 counts per job")
    void socsSoc() {
        assertEquals(12, get("/count/test_case?mach=qemu").getJsonArray("result").getJsonObject(0).getInt("count"));
        assertEquals(List.of("qemu_x86_64"), get("/test/case/distinct/device_type?mach=qemu").getJsonArray("result")
                .getValuesAs(JsonString.class).stream().map(JsonString::getString).toList());
        List<JsonObject> jobs = results(get("/test/case?aggregate=job&date_range=5&field=job&field=git_branch&field=created_on"
                + "&field=mach&field=kernel&mach=qemu&sort=created_on&sort_order=-1"));
        assertEquals(1, jobs.size());
        JsonObject job = jobs.get(0);
        hasStrings(job, "job", "git_branch", "mach", "kernel");
        hasDate(job, "created_on");
        String q = "mach=qemu";
        String t = "&job=" + job.getString("job") + "&kernel=" + job.getString("kernel");
        assertEquals(List.of(6, 3, 2, 1), counts(batch(List.of(count("test-total-count-mainline", "test_case", q + t),
                count("test-success-count-mainline", "test_case", q + "&status=PASS" + t),
                count("test-fail-count-mainline", "test_regression", q + t),
                count("test-unknown-count-mainline", "test_case", q + "&status=FAIL&status=SKIP&regression_id=null" + t)))));
    }

    @Test
    @DisplayName("§5.11 /soc/<soc>/job/<job>/ (view-socs-soc-job.2020.5.js)")
    void socsSocJob() {
        String q = "mach=bcm2837&job=mainline";
        assertEquals(List.of(6, 1, 1), counts(batch(List.of(count("tests-count", "test_case", q),
                op("devices-count", "test_case", null, "device_type", q), op("labs-count", "test_group", null, "lab_name", q)))));
        List<JsonObject> kernels = results(get("/test/case?aggregate=kernel&limit=20&field=created_on&field=git_branch"
                + "&field=git_commit&field=job&field=kernel&field=mach&job=mainline&mach=bcm2837&sort=created_on&sort_order=-1"));
        assertEquals(List.of(RC2, RC1), kernels.stream().map(k -> k.getString("kernel")).toList());
        List<JsonObject> ops = new ArrayList<>();
        for (JsonObject kernel : kernels) {
            hasStrings(kernel, "git_branch", "git_commit");
            hasDate(kernel, "created_on");
            String f = q + "&kernel=" + kernel.getString("kernel");
            String id = "-" + kernel.getString("kernel");
            ops.add(count("test-total-count" + id, "test_case", f));
            ops.add(count("test-success-count" + id, "test_case", "mach=bcm2837&status=PASS&job=mainline&kernel="
                    + kernel.getString("kernel")));
            ops.add(count("test-fail-count" + id, "test_regression", f));
            ops.add(count("test-unknown-count" + id, "test_case", "mach=bcm2837&status=FAIL&status=SKIP&regression_id=null"
                    + "&job=mainline&kernel=" + kernel.getString("kernel")));
        }
        assertEquals(List.of(3, 1, 1, 1, 3, 2, 0, 1), counts(batch(ops)));
    }

    @Test
    @DisplayName("§5.12 /soc/<soc>/job/<job>/kernel/<kernel>/ (view-socs-soc-job-kernel.2020.5.js): no git_branch in its keys")
    void socsSocJobKernel() {
        List<JsonObject> plans = results(get("/test/group?aggregate=name&job=mainline&kernel=" + RC2 + "&mach=qemu&parent_id=null"
                + "&sort=name&field=name&field=created_on&field=job&field=mach&field=git_commit&field=git_url&field=kernel"));
        assertEquals(List.of("kselftest", "baseline"), plans.stream().map(p -> p.getString("name")).toList());
        hasStrings(plans.get(0), "git_commit", "git_url", "mach", "job", "kernel");
        hasDate(plans.get(0), "created_on");
        assertEquals(List.of(6, 3, 2, 1), counts(batch(fourCounts("", "", "job=mainline&kernel=" + RC2 + "&mach=qemu"))));
        List<JsonObject> perPlan = new ArrayList<>();
        List<JsonObject> status = new ArrayList<>();
        for (JsonObject plan : plans) {
            String f = "job=mainline&kernel=" + RC2 + "&plan=" + plan.getString("name") + "&mach=qemu";
            perPlan.addAll(fourCounts("", "-" + plan.getString("name"), f));
            status.add(count("status-" + plan.getString("name"), "test_regression", f));
        }
        assertEquals(List.of(3, 1, 1, 1, 3, 2, 1, 0), counts(batch(perPlan)));
        assertEquals(List.of(1, 1), counts(batch(status)));
    }

    @Test
    @DisplayName("§5.13 /soc/<soc>/job/<job>/kernel/<kernel>/plan/<plan>/ (view-socs-soc-job-kernel-plan.2020.5.js)")
    void socsSocJobKernelPlan() {
        List<JsonObject> runs = results(get("/test/group?job=mainline&mach=bcm2837&kernel=" + RC2
                + "&name=baseline&parent_id=null&sort=device_type&sort_order=1"));
        assertEquals("bcm2837", runs.get(0).getString("mach"));
        JsonObject run = runs.get(0);
        JsonArray entries = batch(List.of(op("baseline-lab-baylibre-rpi-3-gcc-8-defconfig", "test_regression", null, null,
                "job=mainline&kernel=" + RC2 + "&git_branch=master&plan=baseline&device_type=" + run.getString("device_type")
                        + "&lab_name=lab-baylibre&build_environment=gcc-8&defconfig_full=defconfig")));
        assertEquals(1, entries.getJsonObject(0).getJsonArray("result").getJsonObject(0).getInt("count"));
        String f = "mach=bcm2837&job=mainline&kernel=" + RC2 + "&plan=baseline&lab_name=lab-baylibre";
        assertEquals(List.of(3, 1, 1, 1), counts(batch(List.of(count(List.of("lab-baylibre", "total"), "test_case", f),
                count(List.of("lab-baylibre", "success"), "test_case", f + "&status=PASS"),
                count(List.of("lab-baylibre", "regressions"), "test_regression", f),
                count(List.of("lab-baylibre", "unknown"), "test_case", f + "&status=FAIL&status=SKIP&regression_id=null")))));
    }

    @Test
    @DisplayName("§5.14 /build/id/<id>/ (view-builds-id.2020.5.js): the build's runs; four counts and a status per run")
    void buildsId() {
        List<JsonObject> runs = results(get("/test/group?parent_id=null&sort=created_on&sort_order=-1&build_id=" + buildRc2));
        assertEquals(List.of("kselftest", "baseline"), runs.stream().map(r -> r.getString("name")).toList());
        List<JsonObject> counts = new ArrayList<>();
        List<JsonObject> status = new ArrayList<>();
        for (JsonObject run : runs) {
            String id = oid(run, "_id");
            hasStrings(run, "name", "device_type");
            String f = "job=mainline&kernel=" + RC2 + "&git_branch=master&plan=" + run.getString("name") + "&device_type="
                    + run.getString("device_type") + "&lab_name=" + run.getString("lab_name") + "&build_environment=gcc-8"
                    + "&defconfig_full=" + run.getString("defconfig_full");
            counts.add(count(List.of(id, "total"), "test_case", f));
            counts.add(count(List.of(id, "success"), "test_case", f + "&status=PASS"));
            counts.add(count(List.of(id, "fail"), "test_regression", f));
            counts.add(count(List.of(id, "unknown"), "test_case", f + "&status=FAIL&status=SKIP&regression_id=null"));
            status.add(count(List.of(id, "status"), "test_regression", f));
        }
        assertEquals(List.of(3, 1, 1, 1, 3, 2, 1, 0), counts(batch(counts)));
        assertEquals(List.of(1, 1), counts(batch(status)));
        assertEquals(runs.stream().map(r -> oid(r, "_id")).collect(Collectors.toList()),
                batch(status).stream().map(e -> e.asJsonObject().getJsonArray("operation_id").getString(0)).toList());
    }
}

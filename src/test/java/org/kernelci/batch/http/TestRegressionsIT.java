package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.ObjectId;
import org.kernelci.batch.sql.Sources;
import org.kernelci.batch.testing.BackgroundWriter;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.Ids;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md section 12.7, and the computed members of section 12.6: the test regressions, a
 * case's regression_id, plan and test_case_path, a group's test_cases and sub_groups equal a plain
 * recomputation in Java from the groups and cases read in the same snapshot, while writers post
 * runs (new ones of the same series, replacements), PUT and DELETE groups and cases and import
 * them; both ways the view finds its rows (from the runs, from the cases) give the same ones.
 */
class TestRegressionsIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final List<String> PLANS = List.of("baseline", "kselftest", "ltp.x");
    private static final List<String> DEVICES = List.of("qemu", "rpi");
    private static final List<String> LABS = List.of("lab-a", "lab-b");
    /** The members a regression takes from its run, in the view's order. */
    private static final List<String> RUN_MEMBERS = List.of("job", "kernel", "git_branch", "git_url", "arch",
            "defconfig_full", "build_environment", "compiler", "compiler_version", "device_type", "lab_name", "mach");
    /** A regression's case takes these from its group. */
    private static final List<String> CASE_GROUP_MEMBERS = List.of("kernel", "git_commit", "lab_name", "build_id", "boot_log",
            "boot_log_html", "plan_variant");
    private static final List<String> SERIES = List.of("name", "job", "git_branch", "arch", "defconfig_full",
            "build_environment", "device_type", "lab_name");
    private static TestServer server;
    private static HttpProbe http;
    /** The next kernel of each series, by plan, device and lab. */
    private static final Map<String, Integer> KERNELS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        server.addToken("regressions-reader", "can_get");
        Random random = new Random(5);
        for (int round = 0; round < 5; round++) {
            for (String plan : PLANS) {
                for (String device : DEVICES) {
                    for (String lab : LABS) {
                        Reply reply = post("/test/group", report(random, plan, device, lab, nextKernel(plan, device, lab)));
                        assertEquals(201, reply.status(), reply.body());
                    }
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
    }

    static Reply post(String path, String body) {
        return http.send("POST", path, body.getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN,
                "Content-Type", "application/json");
    }

    static Reply put(String path, String body) {
        return http.send("PUT", path, body.getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN,
                "Content-Type", "application/json");
    }

    static int nextKernel(String plan, String device, String lab) {
        return KERNELS.merge(plan + "/" + device + "/" + lab, 1, Integer::sum);
    }

    /** A status, mostly PASS or FAIL; now and then a case is missing (null). */
    static String status(Random random) {
        int roll = random.nextInt(20);
        return roll < 10 ? "PASS" : roll < 16 ? "FAIL" : roll < 18 ? "skip" : roll < 19 ? "ERROR" : null;
    }

    static String cases(Random random, String... names) {
        List<String> cases = new ArrayList<>();
        for (String name : names) {
            String status = status(random);
            if (status != null) {
                cases.add("{\"name\":\"" + name + "\",\"status\":\"" + status + "\"}");
            }
        }
        return "[" + String.join(",", cases) + "]";
    }

    /**
     * A run of a plan: cases in the top group and in (nested) sub-groups; baseline's
     * {@code dmesg.crit} case and its {@code dmesg} group's {@code crit} case share a path.
     */
    static String report(Random random, String plan, String device, String lab, int kernel) {
        String content = switch (plan) {
            case "baseline" -> "\"test_cases\":" + cases(random, "login", "dmesg.crit") + ",\"sub_groups\":[{\"name\":\"dmesg\","
                    + "\"test_cases\":" + cases(random, "crit", "alert") + "}]";
            case "kselftest" -> "\"sub_groups\":[{\"name\":\"net\",\"test_cases\":" + cases(random, "t1", "t2", "t3")
                    + ",\"sub_groups\":[{\"name\":\"ipv6\",\"test_cases\":" + cases(random, "a", "b") + "}]},"
                    + "{\"name\":\"timers\",\"test_cases\":" + cases(random, "t1", "t2") + "}]";
            default -> "\"test_cases\":" + cases(random, "one", "two", "three");
        };
        return """
                {"name":"%s","lab_name":"%s","device_type":"%s","arch":"arm64","defconfig":"defconfig",
                 "build_environment":"gcc-8","git_branch":"master","git_commit":"commit-%d","job":"tree-r","kernel":"v%d",
                 "mach":"mach-%s","git_url":"git://r","boot_log":"log-%d.txt","plan_variant":"%s-%s",%s}"""
                .formatted(plan, lab, device, kernel, kernel, device, kernel, plan, device, content);
    }

    @Test
    @DisplayName("§12.6, §12.7: regressions, regression_id, plan, test_case_path, test_cases and sub_groups equal a "
            + "recomputation in the same snapshot, under posts, replacements, PUT, DELETE and import")
    void computedMembersAgreeUnderWrites() throws Exception {
        BackgroundWriter writer = BackgroundWriter.start(server, 11, 240, TestRegressionsIT::write,
                reply -> reply.status() >= 500 || reply.body().contains("KCI5"));
        int compared = 0;
        int regressions = 0;
        List<String> differences = new ArrayList<>();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            while (writer.writing() || compared < 10) {
                Snapshot snapshot = Snapshot.read(connection);
                Map<String, String> expectedCases = snapshot.caseMembers();
                Map<String, String> cases = rows(connection, "SELECT id, concat_ws('|', test_case_path, coalesce(plan, '-'), "
                        + "coalesce(regression_id, '-')) FROM " + Sources.from(Collections.TEST_CASE));
                if (!expectedCases.equals(cases)) {
                    differences.add("test cases: " + difference(expectedCases, cases));
                }
                Map<String, String> expectedGroups = snapshot.groupMembers();
                Map<String, String> groups = new TreeMap<>();
                rows(connection, "SELECT id, concat_ws('|', sub_groups, test_cases) FROM " + Sources.from(Collections.TEST_GROUP))
                        .forEach((id, text) -> groups.put(id, text.replace(", ", ",").replace(": ", ":")));
                if (!expectedGroups.equals(groups)) {
                    differences.add("test groups: " + difference(expectedGroups, groups));
                }
                Map<String, JsonObject> expected = snapshot.regressions();
                Map<String, JsonObject> fromRuns = regressions(connection, Sources.from(Collections.TEST_REGRESSION));
                Map<String, JsonObject> fromCases = regressions(connection, Sources.from(Collections.TEST_REGRESSION,
                        List.of(new Condition.Match(Collections.TEST_REGRESSION.idField(), List.of("0".repeat(24)), false))));
                if (!expected.equals(fromRuns)) {
                    differences.add("regressions from the runs: " + difference(expected, fromRuns));
                }
                if (!expected.equals(fromCases)) {
                    differences.add("regressions from the cases: " + difference(expected, fromCases));
                }
                connection.commit();
                compared++;
                regressions += expected.size();
                if (differences.size() > 3) {
                    break;
                }
            }
        } finally {
            writer.close();
        }
        assertEquals(List.of(), writer.failures());
        assertEquals(List.of(), differences);
        assertTrue(writer.writes() > 150, "writes " + writer.writes());
        assertTrue(regressions > compared * 5L, "regressions seen " + regressions + " in " + compared + " snapshots");
    }

    /** A run of the rules' series (lab-r, unless said), its cases as {@code name:STATUS}. */
    static String run(String kernel, String lab, String... cases) {
        List<String> reported = new ArrayList<>();
        for (String testCase : cases) {
            String[] parts = testCase.split(":");
            reported.add("{\"name\":\"" + parts[0] + "\",\"status\":\"" + parts[1] + "\"}");
        }
        return """
                {"name":"baseline","lab_name":"%s","device_type":"dev","arch":"arm","defconfig":"defconfig",
                 "build_environment":"gcc-8","git_branch":"master","git_commit":"c-%s","job":"rules","kernel":"%s",
                 "mach":"m","compiler":"gcc","compiler_version":"8","boot_log_html":"log.html","test_cases":[%s]}"""
                .formatted(lab, kernel, kernel, String.join(",", reported));
    }

    /** The ids of a run's cases, in its order. */
    static List<String> caseIds(Reply posted) {
        assertEquals(201, posted.status(), posted.body());
        String run = Ids.of(json(posted.body()).getJsonArray("result").getJsonObject(0));
        return json(http.get("/test/group/" + run + "?field=test_cases", "Authorization", ADMIN).body()).getJsonArray("result")
                .getJsonObject(0).getJsonArray("test_cases").stream().map(Ids::of).toList();
    }

    static JsonObject regression(String id) {
        Reply reply = http.get("/test/regression/" + id, "Authorization", "regressions-reader");
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    static List<String> chain(JsonObject regression) {
        return regression.getJsonArray("regressions").stream().map(item -> Ids.of(item.asJsonObject().get("test_case_id"))).toList();
    }

    static int count(String collection, String query) {
        Reply reply = http.get("/count/" + collection + "?" + query, "Authorization", "regressions-reader");
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0).getInt("count");
    }

    @Test
    @DisplayName("§12.7: FAIL after PASS regresses, FAIL after FAILs after PASS too; after SKIP, a missing run or nothing, not; "
            + "a series is its runs'; the greatest id of a path; the view's documents and a case's regression_id")
    void rules() {
        List<String> k1 = caseIds(post("/test/group", run("v1", "lab-r", "a:PASS", "b:FAIL", "c:PASS", "d:PASS", "e:SKIP",
                "f:FAIL", "f:PASS")));
        List<String> other = caseIds(post("/test/group", run("v1", "lab-s", "a:PASS")));
        List<String> k2 = caseIds(post("/test/group", run("v2", "lab-r", "a:FAIL", "b:FAIL", "c:FAIL", "e:FAIL", "f:FAIL")));
        List<String> k3 = caseIds(post("/test/group", run("v3", "lab-r", "a:FAIL", "c:PASS", "d:FAIL")));
        List<String> otherLab = caseIds(post("/test/group", run("v3", "lab-s", "a:FAIL")));

        assertEquals(List.of(k1.get(0), k2.get(0)), chain(regression(k2.get(0))), "new: PASS then FAIL");
        assertEquals(List.of(k1.get(0), k2.get(0), k3.get(0)), chain(regression(k3.get(0))), "recurring");
        assertEquals(List.of(k1.get(2), k2.get(2)), chain(regression(k2.get(2))));
        assertEquals(List.of(other.get(0), otherLab.get(0)), chain(regression(otherLab.get(0))), "its own series only");
        assertEquals(List.of(k1.get(6), k2.get(4)), chain(regression(k2.get(4))), "of two cases of one path, the greatest id");
        for (String id : List.of(k2.get(1), k2.get(3), k3.get(2), k1.get(1))) {
            assertEquals(404, http.get("/test/regression/" + id, "Authorization", "regressions-reader").status(), id);
        }
        assertEquals(5, count("test_regression", "job=rules"));
        assertEquals(3, count("test_regression", "job=rules&kernel=v2"));
        assertEquals(1, count("test_regression", "job=rules&kernel=v3&lab_name=lab-r&plan=baseline&device_type=dev"
                + "&build_environment=gcc-8&defconfig_full=defconfig&git_branch=master&mach=m"));
        // The unknown of the test pages: failed or skipped, not a regression (b and e of v2).
        assertEquals(2, count("test_case", "job=rules&kernel=v2&status=FAIL&status=SKIP&regression_id=null"));

        JsonObject recurring = regression(k3.get(0));
        assertEquals(List.of("_id", "created_on", "version", "job", "kernel", "git_branch", "git_url", "arch", "defconfig_full",
                "build_environment", "compiler", "compiler_version", "device_type", "lab_name", "mach", "plan", "test_case_path",
                "hierarchy", "regressions"), List.copyOf(recurring.keySet()));
        assertEquals(k3.get(0), Ids.of(recurring));
        assertEquals("1.0", recurring.getString("version"));
        assertEquals("v3", recurring.getString("kernel"));
        assertEquals("gcc", recurring.getString("compiler"));
        assertEquals("baseline", recurring.getString("plan"));
        assertEquals("baseline.a", recurring.getString("test_case_path"));
        assertEquals(Json.createArrayBuilder().add("baseline").add("a").build(), recurring.getJsonArray("hierarchy"));
        JsonObject pass = recurring.getJsonArray("regressions").getJsonObject(0);
        assertEquals(List.of("test_case_id", "status", "created_on", "kernel", "git_commit", "lab_name", "build_id", "boot_log",
                "boot_log_html", "plan_variant"), List.copyOf(pass.keySet()));
        assertEquals("PASS", pass.getString("status"));
        assertEquals("v1", pass.getString("kernel"));
        assertEquals("c-v1", pass.getString("git_commit"));
        assertEquals("log.html", pass.getString("boot_log_html"));
        assertEquals(JsonValue.NULL, pass.get("build_id"));
        JsonObject passCase = json(http.get("/test/case/" + k1.get(0), "Authorization", "regressions-reader").body())
                .getJsonArray("result").getJsonObject(0);
        assertEquals(passCase.get("created_on"), pass.get("created_on"));
        JsonObject failed = json(http.get("/test/case/" + k3.get(0), "Authorization", "regressions-reader").body())
                .getJsonArray("result").getJsonObject(0);
        assertEquals(k3.get(0), Ids.of(failed.get("regression_id")));
        assertEquals(failed.get("created_on"), recurring.get("created_on"));
        assertEquals(JsonValue.NULL, json(http.get("/test/case/" + k2.get(1), "Authorization", "regressions-reader").body())
                .getJsonArray("result").getJsonObject(0).get("regression_id"));

        // A view: never written; its tag follows its tables (§9).
        assertEquals(405, http.send("DELETE", "/test/regression/" + k3.get(0), null, "Authorization", ADMIN).status());
        assertEquals(405, put("/test/regression/" + k3.get(0), "{\"kernel\":\"x\"}").status());
        assertEquals(405, post("/test/regression", "{}").status());
        assertEquals(404, http.send("POST", "/import/test_regression", "{}\n".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson").status());
        String tag = http.get("/test/regression?job=rules", "Authorization", "regressions-reader").header("ETag");
        assertEquals(304, http.get("/test/regression?job=rules", "Authorization", "regressions-reader", "If-None-Match", tag)
                .status());

        // Computed at each read: a replacement of v2 that passes c ends c's regression, and the v3 case's walk goes on.
        caseIds(post("/test/group", run("v2", "lab-r", "a:FAIL", "b:FAIL", "c:PASS", "e:FAIL", "f:FAIL")));
        assertEquals(200, http.get("/test/regression?job=rules", "Authorization", "regressions-reader", "If-None-Match", tag)
                .status());
        assertEquals(404, http.get("/test/regression/" + k2.get(2), "Authorization", "regressions-reader").status());
        assertEquals(List.of(k1.get(0), k2.get(0), k3.get(0)), chain(regression(k3.get(0))), "the replacement kept the ids");
        // And a deleted run leaves no history behind it.
        String first = json(http.get("/test/group?job=rules&kernel=v1&lab_name=lab-r&parent_id=null", "Authorization", ADMIN)
                .body()).getJsonArray("result").getJsonObject(0).getJsonObject("_id").getString("$oid");
        assertEquals(200, http.send("DELETE", "/test/group/" + first, null, "Authorization", ADMIN).status());
        assertEquals(0, count("test_regression", "job=rules&lab_name=lab-r"));
        assertEquals(1, count("test_regression", "job=rules"));
    }

    /** The entries that differ, as expected and found. */
    static <V> String difference(Map<String, V> expected, Map<String, V> found) {
        Map<String, String> different = new TreeMap<>();
        for (String key : expected.keySet()) {
            if (!Objects.equals(expected.get(key), found.get(key))) {
                different.put(key, "expected " + expected.get(key) + " found " + found.get(key));
            }
        }
        for (String key : found.keySet()) {
            if (!expected.containsKey(key)) {
                different.put(key, "not expected, found " + found.get(key));
            }
        }
        return different.toString();
    }

    /** A write through one of the paths that change groups and cases. */
    static Reply write(Random random, Connection connection) throws SQLException {
        String plan = PLANS.get(random.nextInt(PLANS.size()));
        String device = DEVICES.get(random.nextInt(DEVICES.size()));
        String lab = LABS.get(random.nextInt(LABS.size()));
        return switch (random.nextInt(14)) {
            case 0, 1, 2 -> post("/test/group", report(random, plan, device, lab, nextKernel(plan, device, lab)));
            // A replacement: the same run again, other results.
            case 3, 4 -> post("/test/group", report(random, plan, device, lab,
                    Math.max(1, KERNELS.getOrDefault(plan + "/" + device + "/" + lab, 1) - random.nextInt(2))));
            case 5 -> post("/batch", "[{\"method\":\"POST\",\"collection\":\"test_group\",\"data\":"
                    + report(random, plan, device, lab, nextKernel(plan, device, lab)) + "},"
                    + "{\"method\":\"PUT\",\"collection\":\"test_case\",\"_id\":\"" + anId(connection, "test_case", random)
                    + "\",\"data\":{\"status\":\"" + (random.nextBoolean() ? "PASS" : "FAIL") + "\"}},"
                    + "{\"method\":\"DELETE\",\"collection\":\"test_case\",\"_id\":\"" + anId(connection, "test_case", random) + "\"}]");
            case 6 -> {
                String body = report(random, plan, device, lab, nextKernel(plan, device, lab));
                yield http.send("POST", "/batch", ("--B\r\nContent-Type: application/x-arango-batchpart\r\n\r\n"
                        + "POST /test/group HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body + "\r\n--B--\r\n")
                        .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "multipart/form-data; boundary=B");
            }
            case 7 -> put("/test/case/" + anId(connection, "test_case", random), switch (random.nextInt(5)) {
                case 0 -> "{\"status\":\"PASS\"}";
                case 1 -> "{\"status\":\"FAIL\"}";
                case 2 -> "{\"name\":\"" + List.of("t1", "crit", "dmesg.crit", "one", "a").get(random.nextInt(5)) + "\"}";
                case 3 -> "{\"name\":null}";
                default -> "{\"test_group_id\":\"" + anId(connection, "test_group", random) + "\"}";
            });
            case 8 -> put("/test/group/" + anId(connection, "test_group", random), switch (random.nextInt(5)) {
                case 0 -> "{\"name\":\"" + List.of("dmesg", "net", "dmesg.crit", "ltp.x", "baseline").get(random.nextInt(5)) + "\"}";
                case 1 -> "{\"parent_id\":null}";
                case 2 -> "{\"parent_id\":\"" + anId(connection, "test_group", random) + "\"}";
                case 3 -> "{\"name\":null}";
                default -> "{\"lab_name\":\"" + LABS.get(random.nextInt(LABS.size())) + "\"}";
            });
            case 9 -> http.send("DELETE", "/test/group/" + anId(connection, "test_group", random), null, "Authorization", ADMIN);
            case 10 -> http.send("DELETE", "/test/case/" + anId(connection, "test_case", random), null, "Authorization", ADMIN);
            case 11 -> importRun(random, connection, plan, device, lab);
            default -> http.send("POST", "/import/test_case", ("{\"_id\":\"" + anId(connection, "test_case", random)
                    + "\",\"name\":\"t2\",\"status\":\"FAIL\",\"test_group_id\":{\"$oid\":\"" + anId(connection, "test_group", random)
                    + "\"},\"created_on\":{\"$date\":" + System.currentTimeMillis() + "},\"regression_id\":\"ignored\"}\n")
                    .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
        };
    }

    /** An imported run placed among the stored ones (created between two of them), with one sub-group and cases. */
    static Reply importRun(Random random, Connection connection, String plan, String device, String lab) throws SQLException {
        String at;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (extract(epoch FROM created_on) * 1000)::bigint - 1 FROM test_group "
                     + "WHERE parent_id IS NULL ORDER BY random() LIMIT 1")) {
            at = rows.next() ? rows.getString(1) : Long.toString(System.currentTimeMillis());
        }
        Instant when = Instant.ofEpochMilli(Long.parseLong(at));
        String run = ObjectId.generate(when);
        String group = ObjectId.generate(when);
        StringBuilder lines = new StringBuilder();
        lines.append("{\"_id\":{\"$oid\":\"").append(run).append("\"},\"name\":\"").append(plan).append("\",\"lab_name\":\"")
                .append(lab).append("\",\"device_type\":\"").append(device).append("\",\"arch\":\"arm64\",\"defconfig_full\":\"defconfig\","
                        + "\"build_environment\":\"gcc-8\",\"git_branch\":\"master\",\"job\":\"tree-r\",\"kernel\":\"imported\","
                        + "\"parent_id\":null,\"created_on\":{\"$date\":").append(at).append("},\"sub_groups\":[\"ignored\"]}\n");
        lines.append("{\"_id\":{\"$oid\":\"").append(group).append("\",\"name\":\"net\",\"parent_id\":{\"$oid\":\"").append(run)
                .append("\"},\"created_on\":{\"$date\":").append(at).append("}}\n");
        http.send("POST", "/import/test_group", lines.toString().getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN,
                "Content-Type", "application/x-ndjson");
        StringBuilder cases = new StringBuilder();
        for (String name : List.of("t1", "t2", "one", "dmesg.crit")) {
            cases.append("{\"_id\":\"").append(ObjectId.generate(when)).append("\",\"name\":\"").append(name)
                    .append("\",\"status\":\"").append(random.nextBoolean() ? "PASS" : "FAIL").append("\",\"test_group_id\":\"")
                    .append(random.nextBoolean() ? run : group).append("\",\"created_on\":{\"$date\":").append(at).append("}}\n");
        }
        return http.send("POST", "/import/test_case", cases.toString().getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN,
                "Content-Type", "application/x-ndjson");
    }

    /** A random group or case of the writes' runs (tree-r, or an imported case), none of the other tests'. */
    static String anId(Connection connection, String table, Random random) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM " + table + " WHERE job = 'tree-r' OR job IS NULL ORDER BY id "
                     + "OFFSET " + random.nextInt(200) + " LIMIT 1")) {
            return rows.next() ? rows.getString(1) : "ffffffffffffffffffffffff";
        }
    }

    static Map<String, String> rows(Connection connection, String sql) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2));
            }
        }
        return rows;
    }

    /** The view's documents, by id, as JSON (its times as instants). */
    static Map<String, JsonObject> regressions(Connection connection, String source) throws SQLException {
        Map<String, JsonObject> regressions = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT * FROM " + source)) {
            while (rows.next()) {
                JsonObjectBuilder document = Json.createObjectBuilder()
                        .add("created_on", rows.getObject("created_on", OffsetDateTime.class).toInstant().toString())
                        .add("version", rows.getString("version"));
                for (String member : RUN_MEMBERS) {
                    add(document, member, rows.getString(member));
                }
                add(document, "plan", rows.getString("plan"));
                add(document, "test_case_path", rows.getString("test_case_path"));
                document.add("hierarchy", parse(rows.getString("hierarchy")));
                document.add("regressions", parse(rows.getString("regressions")));
                regressions.put(rows.getString("id"), document.build());
            }
        }
        return regressions;
    }

    static JsonValue parse(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    static void add(JsonObjectBuilder document, String name, String value) {
        if (value == null) {
            document.addNull(name);
        } else {
            document.add(name, value);
        }
    }

    /** A test group as stored. */
    record Group(String id, String parent, String name, Instant created, Integer index, Map<String, String> members) {
    }

    /** A test case as stored. */
    record Case(String id, String group, String name, String status, Instant created, Integer index) {
    }

    /** The groups and cases of one snapshot, and what sections 12.6 and 12.7 make of them, computed plainly. */
    static final class Snapshot {
        private final Map<String, Group> groups;
        private final Map<String, Case> cases;
        /** Each case's run and path, and the cases of each run by path, computed once. */
        private final Map<String, String> runs = new HashMap<>();
        private final Map<String, String> paths = new HashMap<>();
        private final Map<List<String>, List<Case>> byRunAndPath = new HashMap<>();

        Snapshot(Map<String, Group> groups, Map<String, Case> cases) {
            this.groups = groups;
            this.cases = cases;
            for (Case testCase : cases.values()) {
                runs.put(testCase.id(), run(testCase.group()));
                paths.put(testCase.id(), path(testCase));
                byRunAndPath.computeIfAbsent(Arrays.asList(runs.get(testCase.id()), paths.get(testCase.id())),
                        key -> new ArrayList<>()).add(testCase);
            }
        }

        static Snapshot read(Connection connection) throws SQLException {
            Map<String, Group> groups = new HashMap<>();
            Map<String, Case> cases = new HashMap<>();
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM test_group")) {
                    while (rows.next()) {
                        Map<String, String> members = new HashMap<>();
                        for (String member : List.of("job", "kernel", "git_branch", "git_url", "arch", "defconfig_full",
                                "build_environment", "compiler", "compiler_version", "device_type", "lab_name", "mach",
                                "git_commit", "build_id", "boot_log", "boot_log_html", "plan_variant")) {
                            members.put(member, rows.getString(member));
                        }
                        groups.put(rows.getString("id"), new Group(rows.getString("id"), rows.getString("parent_id"),
                                rows.getString("name"), rows.getObject("created_on", OffsetDateTime.class).toInstant(),
                                (Integer) rows.getObject("index"), members));
                    }
                }
                try (ResultSet rows = statement.executeQuery("SELECT * FROM test_case")) {
                    while (rows.next()) {
                        cases.put(rows.getString("id"), new Case(rows.getString("id"), rows.getString("test_group_id"),
                                rows.getString("name"), rows.getString("status"),
                                rows.getObject("created_on", OffsetDateTime.class).toInstant(), (Integer) rows.getObject("index")));
                    }
                }
            }
            return new Snapshot(groups, cases);
        }

        /** The names of a group and of the groups above it, the top one first, at most 65; null for no group. */
        List<String> names(String groupId) {
            List<String> names = new ArrayList<>();
            String at = groupId;
            for (int depth = 0; depth <= 64 && at != null && groups.containsKey(at); depth++) {
                names.add(0, groups.get(at).name());
                at = groups.get(at).parent();
            }
            return names.isEmpty() ? null : names;
        }

        /** The top group a group's parents lead to within 64 levels; null when they end at a missing group or go round. */
        String run(String groupId) {
            String at = groupId;
            for (int depth = 0; depth <= 64; depth++) {
                Group group = groups.get(at);
                if (group == null) {
                    return null;
                }
                if (group.parent() == null) {
                    return group.id();
                }
                at = group.parent();
            }
            return null;
        }

        /** A case's names: its groups' and its own (nulls kept). */
        List<String> caseNames(Case testCase) {
            List<String> names = names(testCase.group());
            List<String> all = new ArrayList<>(names == null ? List.of() : names);
            all.add(testCase.name());
            return all;
        }

        String path(Case testCase) {
            return String.join(".", caseNames(testCase).stream().filter(Objects::nonNull).toList());
        }

        Map<String, String> caseMembers() {
            Map<String, String> members = new TreeMap<>();
            for (Case testCase : cases.values()) {
                List<String> names = names(testCase.group());
                String plan = names == null || names.get(0) == null ? "-" : names.get(0);
                List<String> chain = regression(testCase);
                members.put(testCase.id(), path(testCase) + "|" + plan + "|" + (chain == null ? "-" : testCase.id()));
            }
            return members;
        }

        Map<String, String> groupMembers() {
            Comparator<Integer> index = Comparator.nullsLast(Comparator.naturalOrder());
            Map<String, String> members = new TreeMap<>();
            for (Group group : groups.values()) {
                List<String> subGroups = groups.values().stream().filter(g -> group.id().equals(g.parent()))
                        .sorted(Comparator.comparing(Group::index, index).thenComparing(Group::id)).map(Group::id).toList();
                List<String> testCases = cases.values().stream().filter(c -> group.id().equals(c.group()))
                        .sorted(Comparator.comparing(Case::index, index).thenComparing(Case::id)).map(Case::id).toList();
                members.put(group.id(), ids(subGroups) + "|" + ids(testCases));
            }
            return members;
        }

        static String ids(List<String> ids) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            ids.forEach(id -> array.add(Json.createObjectBuilder().add("$oid", id)));
            return array.build().toString();
        }

        /** Section 12.7: the cases from the last PASS to a regressing FAIL case, oldest first; null when it does not regress. */
        List<String> regression(Case failed) {
            String run = runs.get(failed.id());
            if (!"FAIL".equals(failed.status()) || run == null) {
                return null;
            }
            String path = paths.get(failed.id());
            Group at = groups.get(run);
            List<Object> series = series(at);
            Comparator<Group> order = Comparator.comparing(Group::created).thenComparing(Group::id);
            List<Group> before = groups.values().stream()
                    .filter(g -> g.parent() == null && series(g).equals(series) && order.compare(g, at) < 0)
                    .sorted(order.reversed()).toList();
            List<String> chain = new ArrayList<>(List.of(failed.id()));
            for (Group previous : before) {
                Case same = byRunAndPath.getOrDefault(Arrays.asList(previous.id(), path), List.of()).stream()
                        .max(Comparator.comparing(Case::id)).orElse(null);
                if (same == null) {
                    return null;
                }
                chain.add(0, same.id());
                if ("PASS".equals(same.status())) {
                    return chain;
                }
                if (!"FAIL".equals(same.status())) {
                    return null;
                }
            }
            return null;
        }

        List<Object> series(Group run) {
            return Arrays.asList(SERIES.stream().map(member -> member.equals("name") ? run.name() : run.members().get(member))
                    .toArray());
        }

        /** The test_regression view, by id. */
        Map<String, JsonObject> regressions() {
            Map<String, JsonObject> regressions = new TreeMap<>();
            for (Case testCase : cases.values()) {
                List<String> chain = regression(testCase);
                if (chain == null) {
                    continue;
                }
                Group run = groups.get(run(testCase.group()));
                JsonObjectBuilder document = Json.createObjectBuilder()
                        .add("created_on", testCase.created().toString()).add("version", "1.0");
                RUN_MEMBERS.forEach(member -> add(document, member, run.members().get(member)));
                add(document, "plan", run.name());
                document.add("test_case_path", path(testCase));
                JsonArrayBuilder hierarchy = Json.createArrayBuilder();
                caseNames(testCase).stream().filter(Objects::nonNull).forEach(hierarchy::add);
                document.add("hierarchy", hierarchy);
                JsonArrayBuilder items = Json.createArrayBuilder();
                for (String id : chain) {
                    Case item = cases.get(id);
                    Group group = groups.get(item.group());
                    JsonObjectBuilder entry = Json.createObjectBuilder()
                            .add("test_case_id", Json.createObjectBuilder().add("$oid", id))
                            .add("status", item.status())
                            .add("created_on", Json.createObjectBuilder().add("$date", item.created().toEpochMilli()));
                    for (String member : CASE_GROUP_MEMBERS) {
                        String value = group.members().get(member);
                        if (member.equals("build_id") && value != null) {
                            entry.add(member, Json.createObjectBuilder().add("$oid", value));
                        } else {
                            add(entry, member, value);
                        }
                    }
                    items.add(entry);
                }
                document.add("regressions", items);
                regressions.put(testCase.id(), document.build());
            }
            return regressions;
        }
    }
}

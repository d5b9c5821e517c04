package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.Ids;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md section 12.6: {@code POST /test/group} checked as a whole (every problem in one
 * 400), stored as the original stored it, the replace rule, deletion of what a group holds, the
 * lab tokens, and the same reports as batch operations of the Appery and ArangoDB dialects.
 */
class TestReportsIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final int MAX_BODY_BYTES = 20_000;
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.MAX_BODY_BYTES, Integer.toString(MAX_BODY_BYTES)));
        http = server.http();
        server.addToken("reader", "can_get");
        server.addToken("poster", "can_get", "can_post");
        // As the original made lab tokens: POST and DELETE, lab, no GET.
        server.addToken("lab", "can_post", "can_delete", "is_lab");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Reply post(String path, String body, String token) {
        return http.send("POST", path, body.getBytes(StandardCharsets.UTF_8), "Authorization", token,
                "Content-Type", "application/json");
    }

    static List<String> created(Reply reply) {
        assertEquals(201, reply.status(), reply.body());
        assertTrue(reply.body().matches("\\{\"code\":201,\"result\":\\[(\\{\"_id\":\\{\"\\$oid\":\"[0-9a-f]{24}\"}},?)+]}"),
                reply.body());
        return json(reply.body()).getJsonArray("result").stream().map(entry -> Ids.of(entry.asJsonObject())).toList();
    }

    static JsonObject document(String path, String id) {
        Reply reply = http.get("/" + path + "/" + id, "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    static List<JsonObject> documents(String path, String query) {
        Reply reply = http.get("/" + path + "?" + query, "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").stream().map(JsonValue::asJsonObject).toList();
    }

    static int count(String collection, String query) {
        return json(http.get("/count/" + collection + "?" + query, "Authorization", ADMIN).body())
                .getJsonArray("result").getJsonObject(0).getInt("count");
    }

    static JsonArray array(String text) {
        return jakarta.json.Json.createReader(new java.io.StringReader(text)).readArray();
    }

    static List<String> ids(JsonArray references) {
        return references.stream().map(Ids::of).toList();
    }

    /** A run's report with the members the top needs, the given others after them. */
    static String run(String job, String kernel, String name, String others) {
        return """
                {"name":"%s","lab_name":"lab-t","device_type":"qemu-x86","arch":"x86_64","defconfig":"x86_64_defconfig",
                 "build_environment":"gcc-8","git_branch":"master","git_commit":"c0ffee","job":"%s","kernel":"%s"%s}"""
                .formatted(name, job, kernel, others.isEmpty() ? "" : "," + others);
    }

    @Test
    @DisplayName("§12.6: a run with sub-groups and cases is stored as the original stored it; 201 with its id and Location")
    void storedAsTheOriginalStoredIt() {
        Reply reply = post("/test/group", run("stored", "v1", "baseline", """
                "time":1.5,"boot_warnings":2,"mach":"x86","mach_alias":"qemu","boot_log":"boot.txt","dtb":"none.dtb",
                "plan_variant":"baseline_qemu","kernel_image":"bzImage","file_server_resource":"stored/v1",
                "log":"kept nowhere","lab_extra":{"a":1},"job_id":"0123456789abcdef01234567","build_id":"0123456789abcdef01234567",
                "test_cases":[{"name":"login","status":"pass","time":0.25,"measurements":[{"value":1,"unit":"s"}],
                                "log_lines":[{"dt":"x","msg":"m"}],"arch":"arm","case_extra":true},
                              {"name":"dmesg","status":"Fail","index":9}],
                "sub_groups":[{"name":"kselftest-a","arch":"arm","time":99,"dtb":"own.dtb","mach":"own",
                               "test_cases":[{"name":"t1","status":"skip"}],
                               "sub_groups":[{"name":"deeper","test_cases":[{"name":"t2","status":"PASS"}]}]},
                              {"name":"kselftest-b"}]"""), "poster");
        String id = created(reply).get(0);
        assertEquals("/test/group/" + id, reply.header("Location"));
        JsonObject run = document("test/group", id);
        assertEquals("baseline", run.getString("name"));
        assertEquals(JsonValue.NULL, run.get("parent_id"));
        assertEquals(json("{\"$date\":1500}"), run.getJsonObject("time"));
        assertEquals(2, run.getInt("warnings"));
        assertEquals("qemu", run.getString("mach"), "mach_alias over mach");
        assertEquals("x86_64_defconfig", run.getString("defconfig_full"), "defconfig_full defaults to defconfig");
        assertEquals("1.0", run.getString("version"));
        assertEquals(JsonValue.NULL, run.get("job_id"), "no such job: the report's is not taken");
        assertEquals(JsonValue.NULL, run.get("build_id"), "no such build: the report's is not taken");
        assertEquals(json("{\"a\":1}"), run.getJsonObject("lab_extra"), "members of no field are kept");
        assertTrue(!run.containsKey("log") && !run.containsKey("mach_alias") && !run.containsKey("boot_warnings"), run.toString());
        List<String> subGroups = ids(run.getJsonArray("sub_groups"));
        List<String> cases = ids(run.getJsonArray("test_cases"));
        assertEquals(2, subGroups.size());
        assertEquals(2, cases.size());

        JsonObject login = document("test/case", cases.get(0));
        assertEquals("PASS", login.getString("status"), "upper-case");
        assertEquals(1, login.getInt("index"));
        assertEquals(json("{\"$date\":250}"), login.getJsonObject("time"));
        assertEquals(id, Ids.of(login.get("test_group_id")));
        assertEquals("x86_64", login.getString("arch"), "a case takes its group's arch");
        assertEquals("qemu", login.getString("mach"));
        for (String member : List.of("build_environment", "defconfig_full", "device_type", "git_branch", "git_commit", "job",
                "kernel", "lab_name")) {
            assertEquals(run.get(member), login.get(member), member);
        }
        assertEquals("baseline", login.getString("plan"));
        assertEquals("baseline.login", login.getString("test_case_path"));
        assertEquals(JsonValue.NULL, login.get("regression_id"));
        assertEquals(array("[{\"value\":1,\"unit\":\"s\"}]"), login.getJsonArray("measurements"));
        assertEquals(array("[{\"dt\":\"x\",\"msg\":\"m\"}]"), login.getJsonArray("log_lines"));
        assertEquals(true, login.getBoolean("case_extra"));
        assertEquals("1.0", login.getString("version"));
        JsonObject dmesg = document("test/case", cases.get(1));
        assertEquals("FAIL", dmesg.getString("status"));
        assertEquals(2, dmesg.getInt("index"), "the place in the list, not the report's");
        assertEquals(json("{\"$date\":0}"), dmesg.getJsonObject("time"));
        assertEquals(array("[]"), dmesg.getJsonArray("measurements"));

        JsonObject first = document("test/group", subGroups.get(0));
        assertEquals(id, Ids.of(first.get("parent_id")));
        assertEquals(1, first.getInt("index"));
        assertEquals("x86_64", first.getString("arch"), "a sub-group takes its parent's arch");
        assertEquals(json("{\"$date\":1500}"), first.getJsonObject("time"));
        assertEquals("none.dtb", first.getString("dtb"));
        for (String member : List.of("boot_log", "build_environment", "defconfig", "defconfig_full", "device_type",
                "file_server_resource", "git_branch", "git_commit", "job", "kernel", "kernel_image", "lab_name", "plan_variant")) {
            assertEquals(run.get(member), first.get(member), member);
        }
        assertEquals(JsonValue.NULL, first.get("boot_log_html"), "the parent's, null");
        assertEquals("own", first.getString("mach"), "mach is its own");
        assertEquals(0, first.getInt("warnings"));
        JsonObject t1 = document("test/case", ids(first.getJsonArray("test_cases")).get(0));
        assertEquals("SKIP", t1.getString("status"));
        assertEquals("own", t1.getString("mach"), "a case takes its group's mach");
        assertEquals("baseline.kselftest-a.t1", t1.getString("test_case_path"));
        JsonObject deeper = document("test/group", ids(first.getJsonArray("sub_groups")).get(0));
        assertEquals("x86_64", deeper.getString("arch"));
        JsonObject t2 = document("test/case", ids(deeper.getJsonArray("test_cases")).get(0));
        assertEquals("baseline.kselftest-a.deeper.t2", t2.getString("test_case_path"));
        assertEquals("baseline", t2.getString("plan"));
        assertEquals(2, document("test/group", subGroups.get(1)).getInt("index"));
    }

    @Test
    @DisplayName("§12.6: job_id is the job of its job and kernel; build_id the newest matching build, which fills unset members")
    void jobAndBuild() {
        String job = created(post("/job", "{\"job\":\"refs\",\"kernel\":\"v2\"}", "poster")).get(0);
        String build = """
                {"job":"refs","kernel":"v2","defconfig":"x86_64_defconfig","arch":"x86_64","git_branch":"master",
                 "build_environment":"gcc-8","compiler_version":"%s","cross_compile":"x-","modules":"modules.tar","git_url":"git://b",
                 "git_describe":"v2-rc1"}""";
        created(post("/build", build.formatted("8.1"), "poster"));
        String newest = created(post("/build", build.formatted("8.3"), "poster")).get(0);
        created(post("/build", build.formatted("9").replace("gcc-8", "clang-10"), "poster"));
        http.send("PUT", "/build/" + newest, "{\"compiler\":\"gcc\",\"compiler_version_full\":\"gcc 8.3\"}"
                .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/json");
        String id = created(post("/test/group", run("refs", "v2", "baseline", """
                "git_url":"git://own","sub_groups":[{"name":"sub"}]"""), "lab")).get(0);
        JsonObject run = document("test/group", id);
        assertEquals(job, Ids.of(run.get("job_id")));
        assertEquals(newest, Ids.of(run.get("build_id")));
        assertEquals("gcc", run.getString("compiler"));
        assertEquals("8.3", run.getString("compiler_version"));
        assertEquals("gcc 8.3", run.getString("compiler_version_full"));
        assertEquals("x-", run.getString("cross_compile"));
        assertEquals("modules.tar", run.getString("modules"));
        assertEquals("v2-rc1", run.getString("git_describe"));
        assertEquals("git://own", run.getString("git_url"), "set by the report: kept");
        JsonObject sub = document("test/group", ids(run.getJsonArray("sub_groups")).get(0));
        assertEquals(newest, Ids.of(sub.get("build_id")));
        assertEquals(job, Ids.of(sub.get("job_id")));
        assertEquals("git://b", sub.getString("git_url"), "git_url is no member a sub-group takes from its parent");
    }

    @Test
    @DisplayName("§12.6: an array of runs is stored all or none, ids in order, no Location; POST /test/case is a 405")
    void arrays() {
        Reply reply = post("/test/group", "[" + run("array", "v1", "first", "") + "," + run("array", "v1", "second", "") + "]",
                "poster");
        List<String> ids = created(reply);
        assertEquals(2, ids.size());
        assertNull(reply.header("Location"));
        assertEquals("first", document("test/group", ids.get(0)).getString("name"));
        assertEquals("second", document("test/group", ids.get(1)).getString("name"));

        Reply refused = post("/test/group", "[" + run("array", "v2", "first", "") + "," + run("array", "v2", "-bad", "") + "]",
                "poster");
        assertEquals(400, refused.status());
        assertEquals(0, count("test_group", "job=array&kernel=v2"));

        Reply caseReport = post("/test/case", "{\"name\":\"x\",\"status\":\"PASS\"}", ADMIN);
        assertEquals(405, caseReport.status(), caseReport.body());
    }

    static Stream<Arguments> invalidReports() {
        return Stream.of(
                Arguments.of("[]", "Invalid report: expected an object or a non-empty array of objects"),
                Arguments.of("5", "Invalid report: expected an object"),
                Arguments.of("[" + run("bad", "v1", "ok", "") + ",7]", "Invalid report: [1] expected an object"),
                Arguments.of(run("bad", "v1", "bad name", ""), "Test group name not valid"),
                Arguments.of(run("bad", "v1", "-leading", ""), "Test group name not valid"),
                Arguments.of(run("bad", "v1", "trailing.", ""), "Test group name not valid"),
                Arguments.of(run("bad", "v1", "", ""), "Test group name not valid"),
                Arguments.of(run("bad", "v1", "ok", "").replace("\"name\":\"ok\",", ""), "Invalid report: 'name' is required"),
                Arguments.of(run("bad", "v1", "ok", "").replace("\"name\":\"ok\"", "\"name\":5"),
                        "Test group name not valid"),
                Arguments.of("{\"name\":\"only\"}", "Invalid report: 'arch' is required; 'build_environment' is required; "
                        + "'defconfig' is required; 'device_type' is required; 'git_branch' is required; "
                        + "'git_commit' is required; 'job' is required; 'kernel' is required; 'lab_name' is required"),
                Arguments.of(run("bad", "v1", "ok", "").replace("\"arch\":\"x86_64\"", "\"arch\":\"\""),
                        "Invalid report: 'arch' must not be empty"),
                Arguments.of(run("bad", "v1", "ok", "").replace("\"arch\":\"x86_64\"", "\"arch\":64"),
                        "Invalid report: 'arch' must be a string"),
                Arguments.of(run("bad", "v1", "ok", "").replace("\"lab_name\":\"lab-t\"", "\"lab_name\":null"),
                        "Invalid report: 'lab_name' is required"),
                Arguments.of(run("bad", "v1", "bad name", "\"time\":-1"),
                        "Invalid report: Test group name not valid: \"bad name\"; 'time' must be a number of seconds from 0 to 1e12"),
                Arguments.of(run("bad", "v1", "ok", "\"time\":\"1s\""), "Invalid report: 'time' must be a number"),
                Arguments.of(run("bad", "v1", "ok", "\"boot_warnings\":\"many\""),
                        "Invalid report: 'boot_warnings' must be an integer, not \"many\""),
                Arguments.of(run("bad", "v1", "ok", "\"warnings\":1.5"), "Invalid report: 'warnings' must be an integer, not 1.5"),
                Arguments.of(run("bad", "v1", "ok", "\"initrd_info\":{\"x\":\"\\u0000\"}"),
                        "Invalid report: 'initrd_info' must be JSON without NUL characters, not {\"x\":\"\\u0000\"}"),
                Arguments.of(run("bad", "v1", "ok", "\"sub_groups\":{}"), "Invalid report: 'sub_groups' must be an array"),
                Arguments.of(run("bad", "v1", "ok", "\"test_cases\":\"x\""), "Invalid report: 'test_cases' must be an array"),
                Arguments.of(run("bad", "v1", "ok", "\"sub_groups\":[{\"name\":\"s\"},1]"),
                        "Invalid report: sub_groups[1]: expected an object"),
                Arguments.of(run("bad", "v1", "ok", "\"sub_groups\":[{\"name\":\"s t\"}]"),
                        "Invalid report: sub_groups[0]: Test group name not valid: \"s t\""),
                Arguments.of(run("bad", "v1", "ok", "\"sub_groups\":[{}]"), "Invalid report: sub_groups[0]: 'name' is required"),
                Arguments.of(run("bad", "v1", "ok", "\"test_cases\":[{\"name\":\"a\",\"status\":\"PASS\"},{\"name\":\"b\"}]"),
                        "Invalid report: test_cases[1]: 'status' is required"),
                Arguments.of(run("bad", "v1", "ok", "\"test_cases\":[{\"status\":\"\"}]"),
                        "Invalid report: test_cases[0]: 'name' is required; test_cases[0]: 'status' must not be empty"),
                Arguments.of(run("bad", "v1", "ok", "\"test_cases\":[{\"name\":[],\"status\":1}]"),
                        "Invalid report: test_cases[0]: 'name' must be a string; test_cases[0]: 'status' must be a string"),
                Arguments.of(run("bad", "v1", "ok", "\"sub_groups\":[{\"name\":\"s\",\"test_cases\":[{\"name\":\"c\","
                        + "\"status\":\"PASS\",\"measurements\":{},\"log_lines\":3,\"time\":-2}]}]"),
                        "Invalid report: sub_groups[0].test_cases[0]: 'measurements' must be an array; "
                                + "sub_groups[0].test_cases[0]: 'log_lines' must be an array; "
                                + "sub_groups[0].test_cases[0]: 'time' must be a number of seconds from 0 to 1e12"),
                Arguments.of("[" + run("bad", "v1", "ok", "\"test_cases\":[1]") + ",{\"name\":\"x-\",\"arch\":\"a\"}]",
                        "Invalid report: [0] test_cases[0]: expected an object; [1] Test group name not valid: \"x-\"; "
                                + "[1] 'build_environment' is required; [1] 'defconfig' is required; [1] 'device_type' is required; "
                                + "[1] 'git_branch' is required; [1] 'git_commit' is required; [1] 'job' is required; "
                                + "[1] 'kernel' is required; [1] 'lab_name' is required"));
    }

    @ParameterizedTest
    @MethodSource("invalidReports")
    @DisplayName("§12.6: an invalid report is one 400 naming every problem, at its place; nothing is stored")
    void invalid(String body, String reason) {
        int before = count("test_group", "");
        Reply reply = post("/test/group", body, "poster");
        assertEquals(400, reply.status(), reply.body());
        assertEquals(reason, json(reply.body()).getString("reason"));
        assertEquals(before, count("test_group", ""));
    }

    @Test
    @DisplayName("§12.6, §6: the checks in order: token (403), content type (415), size (413), JSON (422)")
    void checksInOrder() {
        String report = run("order", "v1", "ok", "");
        assertEquals(403, http.send("POST", "/test/group", report.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json").status());
        assertEquals(403, post("/test/group", report, "reader").status());
        assertEquals(415, http.send("POST", "/test/group", report.getBytes(StandardCharsets.UTF_8), "Authorization", "poster",
                "Content-Type", "text/plain").status());
        assertEquals(413, post("/test/group", run("order", "v1", "ok", "\"log\":\"" + "x".repeat(MAX_BODY_BYTES) + "\""),
                "poster").status());
        Reply notJson = post("/test/group", "{\"name\":", "poster");
        assertEquals(422, notJson.status());
        assertEquals(0, count("test_group", "job=order"));
    }

    @Test
    @DisplayName("§12.6: a run with a stored run's identity replaces it: its id, its groups' and cases' by name kept, the rest deleted")
    void replaces() {
        String first = created(post("/test/group", run("replace", "v1", "baseline", """
                "plan_variant":"v","test_cases":[{"name":"a","status":"PASS"},{"name":"b","status":"PASS"},{"name":"a","status":"FAIL"}],
                "sub_groups":[{"name":"s1","test_cases":[{"name":"x","status":"PASS"}]},{"name":"s2","test_cases":[{"name":"y","status":"PASS"}]}]"""),
                "poster")).get(0);
        JsonObject stored = document("test/group", first);
        List<String> cases = ids(stored.getJsonArray("test_cases"));
        List<String> groups = ids(stored.getJsonArray("sub_groups"));
        String x = ids(document("test/group", groups.get(0)).getJsonArray("test_cases")).get(0);
        String y = ids(document("test/group", groups.get(1)).getJsonArray("test_cases")).get(0);
        // Another plan variant is another run; so is another kernel.
        String other = created(post("/test/group", run("replace", "v1", "baseline", "\"plan_variant\":\"w\""), "poster")).get(0);
        assertNotEquals(first, other);
        assertNotEquals(first, created(post("/test/group", run("replace", "v2", "baseline", "\"plan_variant\":\"v\""), "poster")).get(0));

        String again = created(post("/test/group", run("replace", "v1", "baseline", """
                "plan_variant":"v","time":3,"test_cases":[{"name":"a","status":"FAIL"},{"name":"c","status":"PASS"},{"name":"a","status":"PASS"}],
                "sub_groups":[{"name":"s2","test_cases":[{"name":"y","status":"FAIL"},{"name":"z","status":"PASS"}]},{"name":"s3"}]"""),
                "lab")).get(0);
        assertEquals(first, again);
        JsonObject replaced = document("test/group", first);
        assertEquals(json("{\"$date\":3000}"), replaced.getJsonObject("time"));
        assertEquals(stored.get("created_on"), replaced.get("created_on"), "it keeps its place in its series");
        assertTrue(replaced.getJsonObject("updated_on").getJsonNumber("$date").longValue()
                >= stored.getJsonObject("created_on").getJsonNumber("$date").longValue());
        List<String> newCases = ids(replaced.getJsonArray("test_cases"));
        assertEquals(cases.get(0), newCases.get(0), "the first 'a' keeps the first's id");
        assertEquals(cases.get(2), newCases.get(2), "the second 'a' the second's");
        assertTrue(!cases.contains(newCases.get(1)), "'c' is new");
        assertEquals(404, http.get("/test/case/" + cases.get(1), "Authorization", ADMIN).status(), "'b' is gone");
        assertEquals("FAIL", document("test/case", newCases.get(0)).getString("status"));
        List<String> newGroups = ids(replaced.getJsonArray("sub_groups"));
        assertEquals(groups.get(1), newGroups.get(0), "s2 keeps its id");
        assertTrue(!groups.contains(newGroups.get(1)), "s3 is new");
        assertEquals(2, document("test/group", newGroups.get(1)).getInt("index"));
        assertEquals(404, http.get("/test/group/" + groups.get(0), "Authorization", ADMIN).status(), "s1 is gone");
        assertEquals(404, http.get("/test/case/" + x, "Authorization", ADMIN).status(), "and its case");
        List<String> s2Cases = ids(document("test/group", groups.get(1)).getJsonArray("test_cases"));
        assertEquals(y, s2Cases.get(0));
        assertEquals(first, Ids.of(document("test/group", groups.get(1)).get("parent_id")));
        assertEquals(1, count("test_group", "job=replace&kernel=v1&plan_variant=v&parent_id=null"));
        assertEquals(3, count("test_case", "test_group_id=" + first));
        assertEquals(other, Ids.of(documents("test/group", "job=replace&kernel=v1&plan_variant=w").get(0)));
    }

    @Test
    @DisplayName("§12.6: deleting a group deletes its sub-groups and cases at any depth, by DELETE, Appery and ArangoDB")
    void deletesWhatItHolds() {
        String nested = """
                "test_cases":[{"name":"c0","status":"PASS"}],
                "sub_groups":[{"name":"a","test_cases":[{"name":"c1","status":"PASS"}],
                               "sub_groups":[{"name":"b","sub_groups":[{"name":"c","test_cases":[{"name":"c3","status":"FAIL"}]}]}]}]""";
        for (String way : List.of("DELETE", "Appery", "ArangoDB", "a sub-group")) {
            String id = created(post("/test/group", run("delete", way.replace(" ", "-"), "plan", nested), "poster")).get(0);
            assertEquals(4, count("test_group", "kernel=" + way.replace(" ", "-")));
            assertEquals(3, count("test_case", "kernel=" + way.replace(" ", "-")));
            Reply reply = switch (way) {
                case "DELETE" -> http.send("DELETE", "/test/group/" + id, null, "Authorization", "lab");
                case "Appery" -> post("/batch", "[{\"method\":\"DELETE\",\"collection\":\"test_group\",\"_id\":\"" + id + "\"}]",
                        ADMIN);
                case "ArangoDB" -> arango(List.of("DELETE /test/group/" + id + " HTTP/1.1\r\n"), ADMIN);
                default -> http.send("DELETE", "/test/group/" + ids(document("test/group", id).getJsonArray("sub_groups")).get(0),
                        null, "Authorization", ADMIN);
            };
            assertEquals(200, reply.status(), reply.body());
            assertTrue(!reply.body().contains("error") && !reply.body().contains("HTTP/1.1 4"), reply.body());
            boolean all = !way.equals("a sub-group");
            assertEquals(all ? 0 : 1, count("test_group", "kernel=" + way.replace(" ", "-")));
            assertEquals(all ? 0 : 1, count("test_case", "kernel=" + way.replace(" ", "-")));
        }
        // A cycle a PUT made is deleted too.
        String id = created(post("/test/group", run("delete", "cycle", "plan", nested), "poster")).get(0);
        String a = ids(document("test/group", id).getJsonArray("sub_groups")).get(0);
        String b = ids(document("test/group", a).getJsonArray("sub_groups")).get(0);
        assertEquals(200, http.send("PUT", "/test/group/" + a, ("{\"parent_id\":\"" + b + "\"}").getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/json").status());
        assertEquals(200, http.send("DELETE", "/test/group/" + b, null, "Authorization", ADMIN).status());
        assertEquals(1, count("test_group", "kernel=cycle"));
        assertEquals(1, count("test_case", "kernel=cycle"));
        // An atomic batch that fails deletes nothing.
        Reply atomic = post("/batch?atomic=true", "[{\"method\":\"DELETE\",\"collection\":\"test_group\",\"_id\":\"" + id
                + "\"},{\"method\":\"DELETE\",\"collection\":\"test_group\",\"_id\":\"ffffffffffffffffffffffff\"}]", ADMIN);
        assertEquals(200, atomic.status());
        assertTrue(atomic.body().contains("KCI424"), atomic.body());
        assertEquals(1, count("test_group", "kernel=cycle"));
    }

    @Test
    @DisplayName("§12.6, §7, §8: reports as Appery operations and ArangoDB parts, atomic included")
    void inBatches() {
        Reply appery = post("/batch", "[{\"method\":\"POST\",\"collection\":\"test_group\",\"data\":" + run("batch", "v1", "appery",
                "\"test_cases\":[{\"name\":\"c\",\"status\":\"PASS\"}]") + "},"
                + "{\"method\":\"GET\",\"collection\":\"test_case\",\"query\":\"job=batch&kernel=v1\"}]", "poster");
        assertEquals(200, appery.status(), appery.body());
        JsonArray results = array(appery.body());
        String id = results.getJsonObject(0).getJsonObject("success").getString("_id");
        assertTrue(results.getJsonObject(0).getJsonObject("success").getString("_createdAt").matches("\\d{4}-.*"));
        assertEquals(1, results.getJsonObject(1).getJsonObject("success").getInt("count"), "the GET after it sees it");
        assertEquals("appery", document("test/group", id).getString("name"));

        Reply refused = post("/batch", "[{\"method\":\"POST\",\"collection\":\"test_group\",\"data\":{\"name\":\"x y\"}}]", "poster");
        assertTrue(refused.body().contains("{\"error\":{\"code\":\"KCI400\",\"description\":\"Invalid report: "), refused.body());
        Reply forbidden = post("/batch", "[{\"method\":\"POST\",\"collection\":\"test_group\",\"data\":" + run("batch", "v9", "x", "")
                + "}]", "reader");
        assertTrue(forbidden.body().contains("KCI403"), forbidden.body());
        Reply atomic = post("/batch?atomic=true", "[{\"method\":\"POST\",\"collection\":\"test_group\",\"data\":"
                + run("batch", "v2", "atomic", "") + "},{\"method\":\"POST\",\"collection\":\"test_group\",\"data\":{}}]", "poster");
        assertTrue(atomic.body().contains("KCI424"), atomic.body());
        assertEquals(0, count("test_group", "job=batch&kernel=v2"));

        String body = run("batch", "v3", "arango", "\"sub_groups\":[{\"name\":\"s\"}]");
        Reply arango = arango(List.of("POST /test/group HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body,
                "GET /count/test_group?job=batch&kernel=v3 HTTP/1.1\r\n"), "poster");
        assertEquals(200, arango.status(), arango.body());
        assertTrue(arango.body().contains("HTTP/1.1 201 Created"), arango.body());
        assertTrue(arango.body().contains("\"count\":2"), arango.body());
        assertEquals(1, count("test_group", "job=batch&kernel=v3&parent_id=null"));
    }

    @Test
    @DisplayName("§6, §12.6: a lab token posts and deletes test groups and cases, and changes or reads nothing")
    void labTokens() {
        String id = created(post("/test/group", run("lab", "v1", "plan", "\"test_cases\":[{\"name\":\"c\",\"status\":\"PASS\"}]"),
                "lab")).get(0);
        String testCase = ids(document("test/group", id).getJsonArray("test_cases")).get(0);
        assertEquals(403, http.send("PUT", "/test/group/" + id, "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "Authorization", "lab", "Content-Type", "application/json").status());
        assertEquals(403, http.get("/test/group/" + id, "Authorization", "lab").status());
        assertEquals(403, post("/job", "{\"job\":\"lab\",\"kernel\":\"v1\"}", "lab").status());
        assertEquals(200, http.send("DELETE", "/test/case/" + testCase, null, "Authorization", "lab").status());
        assertEquals(200, http.send("DELETE", "/test/group/" + id, null, "Authorization", "lab").status());
        assertEquals(403, post("/test/group", run("lab", "v1", "plan", ""), "reader").status());
        assertEquals(201, post("/test/group", run("lab", "v1", "plan", ""), "poster").status());
    }

    @Test
    @DisplayName("openapi.json: its test group report example works: 201, Location, the run with its cases")
    void openApiExample() {
        JsonObject example = json(http.get("/openapi.json").body()).getJsonObject("components").getJsonObject("schemas")
                .getJsonObject("TestGroupReport").getJsonArray("examples").getJsonObject(0);
        Reply reply = post("/test/group", example.toString(), "lab");
        String id = created(reply).get(0);
        assertEquals("/test/group/" + id, reply.header("Location"));
        assertEquals(java.util.Set.of("baseline.login", "baseline.dmesg.crit", "baseline.dmesg.emerg"),
                documents("test/case", "lab_name=lab-openapi").stream().map(c -> c.getString("test_case_path"))
                        .collect(java.util.stream.Collectors.toSet()));
    }

    /** An ArangoDB batch of the given raw requests (each a request line, headers, an empty line and a body). */
    static Reply arango(List<String> requests, String token) {
        StringBuilder body = new StringBuilder();
        for (String request : requests) {
            body.append("--B\r\nContent-Type: application/x-arango-batchpart\r\n\r\n").append(request)
                    .append(request.endsWith("\r\n") ? "\r\n" : "").append("\r\n");
        }
        body.append("--B--\r\n");
        return http.send("POST", "/batch", body.toString().getBytes(StandardCharsets.UTF_8), "Authorization", token,
                "Content-Type", "multipart/form-data; boundary=B");
    }

    @Test
    @DisplayName("§12.6: reads as the tests pages make them: parent_id=null selects runs; sub_groups and test_cases by index")
    void reads() {
        String id = created(post("/test/group", run("reads", "v1", "plan", """
                "sub_groups":[{"name":"z"},{"name":"a"}],"test_cases":[{"name":"z","status":"PASS"},{"name":"a","status":"PASS"}]"""),
                "poster")).get(0);
        List<JsonObject> runs = documents("test/group", "job=reads&parent_id=null");
        assertEquals(List.of(id), runs.stream().map(Ids::of).toList());
        JsonObject run = runs.get(0);
        List<String> subGroups = new ArrayList<>();
        for (String sub : ids(run.getJsonArray("sub_groups"))) {
            subGroups.add(document("test/group", sub).getString("name"));
        }
        assertEquals(List.of("z", "a"), subGroups);
        assertEquals(List.of("plan.z", "plan.a"), documents("test/case", "job=reads&sort=index&sort_order=1").stream()
                .map(c -> c.getString("test_case_path")).toList());
        assertEquals(3, count("test_group", "job=reads"));
    }
}

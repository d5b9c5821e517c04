package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
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
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** POST /job, /defconfig (/build) and /boot: the original's reports, stored with names and references. */
class IngestIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final int MAX_BODY_BYTES = 4000;
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
        return http.send("POST", path, body.getBytes(StandardCharsets.UTF_8),
                "Authorization", token, "Content-Type", "application/json");
    }

    /** The ids of a 201 answer. */
    static List<String> created(Reply reply) {
        assertEquals(201, reply.status(), reply.body());
        assertTrue(reply.body().matches("\\{\"code\":201,\"result\":\\[(\\{\"_id\":\\{\"\\$oid\":\"[0-9a-f]{24}\"}},?)+]}"), reply.body());
        return json(reply.body()).getJsonArray("result").stream()
                .map(entry -> entry.asJsonObject().getJsonObject("_id").getString("$oid")).toList();
    }

    static JsonObject document(String collection, String id) {
        Reply reply = http.get("/" + collection + "/" + id, "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    static int count(String collection, String query) {
        return json(http.get("/count/" + collection + "?" + query, "Authorization", ADMIN).body())
                .getJsonArray("result").getJsonObject(0).getInt("count");
    }

    static String boot(String job, String board) {
        return """
                {"version":"1.0","lab_name":"lab-x","job":"%s","kernel":"v4.0","defconfig":"multi_v7_defconfig",
                 "board":"%s","boot_result":"PASS","boot_time":12.345,"boot_warnings":1,"loadaddr":"0x80200000",
                 "metadata":{"dtb":"x.dtb"},"email":"ops@example.org","not_in_the_schema":true}""".formatted(job, board);
    }

    @Test
    @DisplayName("POST /job: 201 with the id; the job is named <job>-<kernel>; the same job again answers the same id")
    void job() {
        String id = created(post("/job", "{\"job\":\"mainline\",\"kernel\":\"v4.1\",\"version\":\"1.0\"}", "poster")).get(0);
        JsonObject job = document("job", id);
        assertEquals("mainline-v4.1", job.getString("name"));
        assertEquals("mainline", job.getString("job"));
        assertEquals(false, job.getBoolean("private"));
        // Unset members are written, null (CONTRACT.md section 1).
        assertEquals(JsonValue.NULL, job.get("status"));
        assertTrue(job.getJsonObject("created_on").getJsonNumber("$date").longValue() > 1_400_000_000_000L);

        assertEquals(List.of(id), created(post("/job", "{\"job\":\"mainline\",\"kernel\":\"v4.1\"}", "poster")));
        assertEquals(1, count("job", "job=mainline&kernel=v4.1"));
    }

    @Test
    @DisplayName("report members that are fields but not in post_*.json (git_*, the later schema's) are stored as fields")
    void fieldsBeyondTheForm() {
        String job = created(post("/job", """
                {"job":"fields","kernel":"v5.0","git_branch":"master","git_url":"git://x","git_commit":"abc",
                 "kernel_version":"5.0.0","name":"ignored","_id":"0123456789abcdef01234567"}""", "poster")).get(0);
        JsonObject stored = document("job", job);
        assertEquals("master", stored.getString("git_branch"));
        assertEquals("git://x", stored.getString("git_url"));
        assertEquals("5.0.0", stored.getString("kernel_version"));
        assertEquals("fields-v5.0", stored.getString("name"), "the server sets name and _id");
        assertEquals(1, count("job", "git_branch=master&job=fields"));
        String boot = created(post("/boot", boot("fields", "panda").replace("\"board\"",
                "\"device_type\":\"dt\",\"plan\":\"boot\",\"compiler\":\"gcc\",\"kernel_image_size\":12,\"board\""), "lab")).get(0);
        JsonObject booted = document("boot", boot);
        assertEquals("dt", booted.getString("device_type"));
        assertEquals(12, booted.getInt("kernel_image_size"));
        assertEquals(1, count("boot", "device_type=dt&plan=boot&compiler=gcc"));
        Reply refused = post("/boot", boot("fields", "panda").replace("\"board\"", "\"kernel_image_size\":\"big\",\"board\""), "lab");
        assertEquals(400, refused.status());
        assertTrue(refused.body().contains("'kernel_image_size' must be an integer"), refused.body());
    }

    @Test
    @DisplayName("POST /defconfig and /build: renamed members, defconfig_full, name; the missing job is created")
    void defconfig() {
        String id = created(post("/defconfig", """
                {"job":"next","kernel":"next-20150101","defconfig":"multi_v7_defconfig","arch":"arm",
                 "build_result":"FAIL","build_errors":2,"build_warnings":5,"build_time":61.5,
                 "git_branch":"master","git_commit":"abc123","build_platform":["Linux","x86_64"]}""", "poster")).get(0);
        JsonObject build = document("defconfig", id);
        assertEquals("next-next-20150101-multi_v7_defconfig", build.getString("name"));
        assertEquals("multi_v7_defconfig", build.getString("defconfig_full"));
        assertEquals("FAIL", build.getString("status"));
        assertEquals(2, build.getInt("errors"));
        assertEquals(5, build.getInt("warnings"));
        assertEquals(json("{\"a\":[\"Linux\",\"x86_64\"]}").get("a"), build.get("build_platform"));

        String jobId = build.getJsonObject("job_id").getString("$oid");
        JsonObject job = document("job", jobId);
        assertEquals("next-next-20150101", job.getString("name"));
        assertEquals("master", job.getString("git_branch"));
        assertEquals("abc123", job.getString("git_commit"));

        String second = created(post("/build", """
                {"job":"next","kernel":"next-20150101","defconfig":"multi_v7_defconfig","defconfig_full":"multi_v7_defconfig+kvm",
                 "arch":"arm"}""", "poster")).get(0);
        JsonObject other = document("build", second);
        assertEquals(jobId, other.getJsonObject("job_id").getString("$oid"));
        assertEquals("next-next-20150101-multi_v7_defconfig+kvm", other.getString("name"));
        assertEquals("UNKNOWN", other.getString("status"));
        assertEquals(1, count("job", "job=next&kernel=next-20150101"));
    }

    @Test
    @DisplayName("POST /boot: boot_time in ms as $date, name, job_id and defconfig_id of the latest matching build")
    void boot() {
        List<String> builds = created(post("/defconfig", """
                [{"job":"stable","kernel":"v4.0","defconfig":"multi_v7_defconfig","arch":"arm"},
                 {"job":"stable","kernel":"v4.0","defconfig":"multi_v7_defconfig","arch":"arm64"}]""", "poster"));
        String later = created(post("/defconfig",
                "{\"job\":\"stable\",\"kernel\":\"v4.0\",\"defconfig\":\"multi_v7_defconfig\",\"arch\":\"arm\"}", "poster")).get(0);
        assertEquals(2, builds.size());

        String id = created(post("/boot", boot("stable", "panda"), "lab")).get(0);
        JsonObject boot = document("boot", id);
        assertEquals("panda-stable-v4.0-multi_v7_defconfig-arm", boot.getString("name"));
        assertEquals(json("{\"$date\":12345}"), boot.getJsonObject("time"));
        assertEquals("PASS", boot.getString("status"));
        assertEquals(1, boot.getInt("warnings"));
        assertEquals(0, boot.getInt("retries"));
        assertEquals("0x80200000", boot.getString("load_addr"));
        assertEquals("arm", boot.getString("arch"));
        assertEquals(json("{\"dtb\":\"x.dtb\"}"), boot.getJsonObject("metadata"));
        // Members the form does not store are kept and rendered back (issue 11), not dropped.
        assertEquals("ops@example.org", boot.getString("email"));
        assertEquals(true, boot.getBoolean("not_in_the_schema"));
        assertEquals(later, boot.getJsonObject("defconfig_id").getString("$oid"));
        assertEquals(document("defconfig", later).getJsonObject("job_id"), boot.getJsonObject("job_id"));

        JsonObject orphan = document("boot", created(post("/boot", boot("orphan", "panda"), "lab")).get(0));
        assertEquals(JsonValue.NULL, orphan.get("defconfig_id"));
        assertEquals(JsonValue.NULL, orphan.get("build_id"));
        assertEquals("orphan-v4.0", document("job", orphan.getJsonObject("job_id").getString("$oid")).getString("name"));
    }

    @Test
    @DisplayName("an invalid report is a 400 that lists every bad member")
    void invalid() {
        Reply boot = post("/boot", """
                {"version":"1.0","lab_name":"lab-x","kernel":"v4.0","defconfig":"d","board":"b",
                 "boot_warnings":"many","boot_result":"BROKEN","boot_time":"fast","arch":"sparc"}""", "lab");
        assertEquals(400, boot.status());
        assertEquals("{\"code\":400,\"reason\":\"Invalid report: 'job' is required; "
                + "'arch' must be one of arm, arm64, x86, mips; 'boot_result' must be one of FAIL, OFFLINE, PASS, UNTRIED; "
                + "'boot_time' must be a number; 'boot_warnings' must be an integer\"}", boot.body());

        Reply build = post("/defconfig", "{\"job\":\"x\",\"build_errors\":1.5,\"build_result\":\"pass\"}", "poster");
        assertEquals("{\"code\":400,\"reason\":\"Invalid report: 'kernel' is required; 'defconfig' is required; "
                + "'arch' is required; 'build_result' must be one of FAIL, PASS, UNKNOWN; "
                + "'build_errors' must be an integer\"}", build.body());

        Reply job = post("/job", "{\"job\":[\"x\"]}", "poster");
        assertEquals("{\"code\":400,\"reason\":\"Invalid report: 'job' must be a string; 'kernel' is required\"}", job.body());
    }

    @Test
    @DisplayName("an array is stored all or nothing: one bad report and none is stored; ids answer in order")
    void arrays() {
        Reply refused = post("/boot", "[" + boot("arrays", "a") + ",{\"job\":\"arrays\"}," + boot("arrays", "c") + "]", "lab");
        assertEquals(400, refused.status());
        assertTrue(refused.body().contains("Invalid report: [1] 'version' is required;"), refused.body());
        assertEquals(0, count("boot", "job=arrays"));
        assertEquals(0, count("job", "job=arrays"));

        List<String> ids = created(post("/boot", "[" + boot("arrays", "a") + "," + boot("arrays", "b") + "]", "lab"));
        assertEquals(2, ids.size());
        assertEquals("a", document("boot", ids.get(0)).getString("board"));
        assertEquals("b", document("boot", ids.get(1)).getString("board"));
        assertEquals(1, count("job", "job=arrays"));
    }

    @Test
    @DisplayName("a report the database refuses rolls the whole request back, the jobs it created included")
    void transaction() throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE boot ADD CONSTRAINT no_exploding_boards CHECK (board <> 'explode')");
            try (CapturedLog log = new CapturedLog(ErrorMapper.class)) {
                Reply reply = post("/boot", "[" + boot("rollback", "fine") + "," + boot("rollback", "explode") + "]", "lab");
                assertEquals(500, reply.status(), reply.body());
                assertEquals(1, log.events().size(), () -> log.events().toString());
                assertTrue(log.events().get(0).getThrowableProxy().getMessage().contains("no_exploding_boards"));
            } finally {
                statement.execute("ALTER TABLE boot DROP CONSTRAINT no_exploding_boards");
            }
        }
        assertEquals(0, count("boot", "job=rollback"));
        assertEquals(0, count("job", "job=rollback"));
    }

    @Test
    @DisplayName("post permission for jobs and builds; lab tokens post boots only; others 403")
    void permissions() {
        String job = "{\"job\":\"perm\",\"kernel\":\"1\"}";
        String build = "{\"job\":\"perm\",\"kernel\":\"1\",\"defconfig\":\"d\",\"arch\":\"arm\"}";
        for (String token : new String[] {"reader", "unknown"}) {
            assertEquals(403, post("/job", job, token).status(), token);
            assertEquals(403, post("/boot", boot("perm", "b"), token).status(), token);
        }
        assertEquals(403, http.send("POST", "/job", job.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json").status());
        assertEquals(403, post("/job", job, "lab").status());
        assertEquals(403, post("/defconfig", build, "lab").status());
        assertEquals(201, post("/boot", boot("perm", "b"), "lab").status());
        assertEquals(201, post("/boot", boot("perm", "b"), "poster").status());
        assertEquals(201, post("/defconfig", build, "poster").status());
        assertEquals(201, post("/job", job, ADMIN).status());
    }

    @Test
    @DisplayName("415 for another content type, 422 for a body that is not JSON, 413 for one too large")
    void bodies() {
        byte[] job = "{\"job\":\"b\",\"kernel\":\"1\"}".getBytes(StandardCharsets.UTF_8);
        Reply text = http.send("POST", "/job", job, "Authorization", "poster", "Content-Type", "text/plain");
        assertEquals(415, text.status());
        assertEquals("{\"code\":415,\"reason\":\"Wrong content type defined: use application/json\"}", text.body());
        assertEquals(415, http.send("POST", "/job", job, "Authorization", "poster").status());
        assertEquals(201, http.send("POST", "/job", job, "Authorization", "poster",
                "Content-Type", "Application/JSON; charset=UTF-8").status());

        Reply broken = post("/job", "{\"job\":", "poster");
        assertEquals(422, broken.status());
        assertEquals("{\"code\":422,\"reason\":\"No JSON data found in the POST request: the body is not valid JSON\"}",
                broken.body());
        assertEquals(422, http.send("POST", "/job", new byte[] {'"', (byte) 0xC3, '"'}, "Authorization", "poster",
                "Content-Type", "application/json").status());
        assertEquals(413, post("/job", "[" + "{\"job\":\"b\",\"kernel\":\"1\"},".repeat(200) + "{}]", "poster").status());
    }

    @Test
    @DisplayName("routes: POST /lab and /count are 405, unknown collections 404, other methods on collections 405")
    void routes() {
        Reply lab = post("/lab", "{\"name\":\"x\"}", ADMIN);
        assertEquals(405, lab.status());
        assertEquals("{\"code\":405,\"reason\":\"Operation not allowed\"}", lab.body());
        assertTrue(lab.header("Allow").contains("GET"), lab.header("Allow"));
        assertEquals(405, post("/count", "{}", ADMIN).status());
        assertEquals(404, post("/nothing", "{}", ADMIN).status());
        assertEquals(405, post("/job/0123456789abcdef01234567", "{}", ADMIN).status());
        assertEquals(405, http.send("PUT", "/job", "{}".getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN).status());
        assertEquals(200, http.get("/job", "Authorization", ADMIN).status());
    }

    @Test
    @DisplayName("a value too large for its index is a 400, and nothing is stored")
    void valueTooLargeToIndex() {
        StringBuilder board = new StringBuilder();
        java.util.Random random = new java.util.Random(1);
        // Hard to compress and under the server's 4,000-byte body limit, but over an index row's 2,704.
        for (int i = 0; i < 3600; i++) {
            board.append((char) ('!' + random.nextInt(90)));
        }
        String value = board.toString().replace("\\", "x").replace("\"", "y");
        Reply reply = post("/boot", "{\"version\":\"1.0\",\"lab_name\":\"l\",\"job\":\"j-large\",\"kernel\":\"k\","
                + "\"defconfig\":\"d\",\"arch\":\"arm\",\"board\":\"" + value + "\"}", ADMIN);
        assertEquals(400, reply.status(), reply.body());
        assertTrue(json(reply.body()).getString("reason").startsWith("A value cannot be stored: "), reply.body());
        assertEquals(0, json(http.get("/count/job?job=j-large", "Authorization", ADMIN).body())
                .getJsonArray("result").getJsonObject(0).getInt("count"));
    }
}

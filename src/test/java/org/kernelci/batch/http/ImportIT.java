package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** POST /import/<collection>: the original's MongoDB export in, the same documents out of GET. */
class ImportIT {
    private static final String NDJSON = "application/x-ndjson";
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static TestServer server;
    private static HttpProbe http;

    static final String JOB_LINE = """
            {"_id":{"$oid":"5480a2f759b5141a4b4e1b01"},"created_on":{"$date":1417716471000},"name":"next-next-20141204",\
            "job":"next","kernel":"next-20141204","status":"PASS","private":false,"git_branch":"master",\
            "git_commit":"a1b2c3","git_describe":"next-20141204","git_url":"git://git.kernel.org/next.git","version":"1.0"}""";
    static final String BUILD_LINE = """
            {"_id":{"$oid":"5480a2f859b5141a4b4e1b02"},"created_on":{"$date":"2014-12-04T18:07:52.000+0000"},\
            "job":"next","job_id":{"$oid":"5480a2f759b5141a4b4e1b01"},"kernel":"next-20141204",\
            "defconfig":"multi_v7_defconfig","defconfig_full":"multi_v7_defconfig","name":"next-next-20141204-multi_v7_defconfig",\
            "dirname":"arm-multi_v7_defconfig","arch":"arm","status":"PASS","errors":0,"warnings":4,"build_time":123.5,\
            "build_platform":["Linux","x86_64"],"dtb_dir_data":["am335x-boneblack.dtb"],"metadata":{"note":"x","n":[1,2]},\
            "text_offset":"0x00008000","version":"1.0"}""";
    static final String BOOT_LINE = """
            {"_id":{"$oid":"5480a2f959b5141a4b4e1b03"},"created_on":{"$date":1417716473000},\
            "name":"beaglebone-black-next-next-20141204-multi_v7_defconfig-arm","board":"beaglebone-black",\
            "job":"next","job_id":{"$oid":"5480a2f759b5141a4b4e1b01"},"kernel":"next-20141204",\
            "defconfig":"multi_v7_defconfig","defconfig_full":"multi_v7_defconfig",\
            "build_id":{"$oid":"5480a2f859b5141a4b4e1b02"},"arch":"arm","lab_name":"lab-a","status":"PASS",\
            "time":{"$date":12345},"warnings":0,"retries":0,"fastboot":false,"dtb_append":false,\
            "load_addr":"0x80200000","metadata":{},"version":"1.0"}""";
    static final String LAB_LINE = """
            {"_id":{"$oid":"5480a2fa59b5141a4b4e1b04"},"created_on":{"$date":1417716474000},\
            "updated_on":{"$date":1417716475000},"name":"lab-a","private":false,\
            "token":{"$oid":"5480a2fa59b5141a4b4e1b05"},"contact":{"name":"Ann","surname":"Lee","email":"ann@example.org"},\
            "address":{"city":"Cambridge","country":"UK"},"version":"1.0"}""";

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        server.addToken("reader", "can_get");
        server.addToken("poster", "can_get", "can_post", "can_delete");
        server.addToken("superuser", "is_superuser", "can_get", "can_post");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Reply importLines(String collection, String lines) {
        return http.send("POST", "/import/" + collection, lines.getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", NDJSON);
    }

    /**
     * The document without the members it writes only because they are unset ({@code null},
     * {@code []}, <code>{}</code>: CONTRACT.md section 1) and the line did not have: what an
     * import line reads back as.
     */
    static JsonObject asImported(JsonObject line, JsonObject document) {
        jakarta.json.JsonObjectBuilder kept = jakarta.json.Json.createObjectBuilder();
        document.forEach((name, value) -> {
            boolean unset = value == jakarta.json.JsonValue.NULL || value.equals(jakarta.json.JsonValue.EMPTY_JSON_ARRAY)
                    || value.equals(jakarta.json.JsonValue.EMPTY_JSON_OBJECT);
            if (line.containsKey(name) || !unset) {
                kept.add(name, value);
            }
        });
        return kept.build();
    }

    /** The document reads back as the import line had it (plus its unset members). */
    static void assertReadsBack(String line, JsonObject document) {
        JsonObject expected = json(line);
        assertEquals(expected, asImported(expected, document));
    }

    static JsonObject document(String collection, String id) {
        Reply reply = http.get("/" + collection + "/" + id, "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    private static String summary(long imported, long rejected, String errors, String ignored) {
        return "{\"code\":200,\"result\":[{\"imported\":" + imported + ",\"rejected\":" + rejected + ",\"errors\":["
                + errors + "],\"extra_members\":{" + ignored + "}}]}";
    }

    @Test
    @DisplayName("job, build, boot and lab round trip: export lines in, the wire format out")
    void roundTrip() {
        assertEquals(summary(1, 0, "", ""), importLines("job", JOB_LINE + "\n").body());
        assertEquals(summary(1, 0, "", ""), importLines("build", BUILD_LINE).body());
        assertEquals(summary(1, 0, "", ""), importLines("boot", BOOT_LINE + "\r\n").body());
        assertEquals(summary(1, 0, "", ""), importLines("lab", LAB_LINE + "\n\n").body());

        assertReadsBack(JOB_LINE, document("job", "5480a2f759b5141a4b4e1b01"));
        assertReadsBack(BUILD_LINE.replace("\"2014-12-04T18:07:52.000+0000\"", "1417716472000"), document("defconfig", "5480a2f859b5141a4b4e1b02"));
        // The export's build_id comes back under both of its names.
        assertReadsBack(BOOT_LINE.replace("\"build_id\"", "\"defconfig_id\":{\"$oid\":\"5480a2f859b5141a4b4e1b02\"},\"build_id\""), document("boot", "5480a2f959b5141a4b4e1b03"));
        // A lab's token is a plain string, as get_lab.json has it.
        assertReadsBack(LAB_LINE.replace("{\"$oid\":\"5480a2fa59b5141a4b4e1b05\"}", "\"5480a2fa59b5141a4b4e1b05\""), document("lab", "5480a2fa59b5141a4b4e1b04"));
        assertEquals(1, json(http.get("/boot?defconfig_id=5480a2f859b5141a4b4e1b02&time=12345", "Authorization", ADMIN)
                .body()).getInt("count"));
    }

    @Test
    @DisplayName("a 2019 export (the later members and one unknown member) round-trips through POST /import and GET with nothing lost")
    void laterSchemaRoundTrip() {
        String job = """
                {"_id":{"$oid":"5dd5a2f759b5141a4b4e5b01"},"created_on":{"$date":1574283000000},"job":"mainline",\
                "kernel":"v5.4-rc8","status":"PASS","git_branch":"master","kernel_version":"5.4.0-rc8",\
                "git_describe_v":"v5.4-rc8-12-gabc","compiler":"gcc","compiler_version":"8.3.0",\
                "compiler_version_ext":"gcc 8.3.0","compiler_version_full":"gcc (Debian 8.3.0-6) 8.3.0",\
                "cross_compile":"aarch64-linux-gnu-","version":"1.1","job_extra":{"nested":[1,"two",null]}}""";
        String build = """
                {"_id":{"$oid":"5dd5a2f859b5141a4b4e5b02"},"created_on":{"$date":1574283001000},"job":"mainline",\
                "job_id":{"$oid":"5dd5a2f759b5141a4b4e5b01"},"kernel":"v5.4-rc8","defconfig":"defconfig",\
                "defconfig_full":"defconfig","arch":"arm64","status":"PASS","build_type":"kernel",\
                "build_environment":"gcc-8","build_log_size":1234,"compiler":"gcc","compiler_version":"8.3.0",\
                "compiler_version_ext":"gcc 8.3.0","compiler_version_full":"gcc (Debian 8.3.0-6) 8.3.0",\
                "cross_compile":"aarch64-linux-gnu-","git_describe_v":"v5.4-rc8-12-gabc","kernel_version":"5.4.0-rc8",\
                "kernel_config_size":190000,"kernel_image_size":21000000,"modules_size":5000000,"system_map_size":4500000.5,\
                "vmlinux_bss_size":1,"vmlinux_data_size":2,"vmlinux_file_size":3,"vmlinux_text_size":4,\
                "kernel_build_logs":{"x":"y"},"version":"1.1"}""";
        String boot = """
                {"_id":{"$oid":"5dd5a2f959b5141a4b4e5b03"},"created_on":{"$date":1574283002000},"job":"mainline",\
                "job_id":{"$oid":"5dd5a2f759b5141a4b4e5b01"},"kernel":"v5.4-rc8","defconfig":"defconfig",\
                "defconfig_full":"defconfig","build_id":{"$oid":"5dd5a2f859b5141a4b4e5b02"},"arch":"arm64",\
                "board":"juno","lab_name":"lab-baylibre","status":"PASS","build_environment":"gcc-8",\
                "compiler":"gcc","compiler_version":"8.3.0","compiler_version_ext":"gcc 8.3.0",\
                "compiler_version_full":"gcc (Debian 8.3.0-6) 8.3.0","cross_compile":"aarch64-linux-gnu-",\
                "device_type":"juno","kernel_image_size":21000000,"fastboot_cmd":"fastboot","filesystem":"ramdisk",\
                "bootloader":"uboot","bootloader_version":"2019.07","chainloader":"none","boot_job_id":4321,\
                "boot_job_path":"/scheduler/job","boot_job_url":"https://lava.example.org","plan":"boot",\
                "plan_variant":"boot_nfs","board_offline":false,"version":"1.1"}""";
        assertEquals(summary(1, 0, "", "\"job_extra\":1"), importLines("job", job).body());
        assertEquals(summary(1, 0, "", "\"kernel_build_logs\":1"), importLines("build", build).body());
        assertEquals(summary(1, 0, "", "\"board_offline\":1"), importLines("boot", boot).body());
        assertReadsBack(job, document("job", "5dd5a2f759b5141a4b4e5b01"));
        assertReadsBack(build, document("build", "5dd5a2f859b5141a4b4e5b02"));
        assertReadsBack(boot.replace("\"build_id\"", "\"defconfig_id\":{\"$oid\":\"5dd5a2f859b5141a4b4e5b02\"},\"build_id\""), document("boot", "5dd5a2f959b5141a4b4e5b03"));
        // The later members are fields: they filter; the unknown ones are not.
        assertEquals(1, json(http.get("/boot?device_type=juno&compiler_version_ext=gcc%208.3.0", "Authorization", ADMIN)
                .body()).getInt("count"));
    }

    @Test
    @DisplayName("upsert by _id: importing twice gives the same counts and the same documents; a changed line replaces")
    void importTwice() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            lines.append(BOOT_LINE.replace("1b03", "2b0" + i).replace("beaglebone-black", "board-" + i)).append('\n');
        }
        assertEquals(summary(5, 0, "", ""), importLines("boot", lines.toString()).body());
        String first = http.get("/boot?lab_name=lab-a&board=board-0&board=board-4", "Authorization", ADMIN).body();
        assertEquals(summary(5, 0, "", ""), importLines("boot", lines.toString()).body());
        assertEquals(first, http.get("/boot?lab_name=lab-a&board=board-0&board=board-4", "Authorization", ADMIN).body());
        assertTrue(first.contains("\"count\":2,"), first);

        importLines("boot", lines.toString().replace("\"status\":\"PASS\"", "\"status\":\"FAIL\""));
        assertEquals("FAIL", document("boot", "5480a2f959b5141a4b4e2b00").getString("status"));
        assertEquals(first.replace("\"PASS\"", "\"FAIL\""),
                http.get("/boot?lab_name=lab-a&board=board-0&board=board-4", "Authorization", ADMIN).body());
    }

    @Test
    @DisplayName("an id twice in one batch (one multi-row statement): both lines count, the later one is stored")
    void idTwiceInOneBatch() {
        String lines = BOOT_LINE.replace("1b03", "5b01").replace("beaglebone-black", "twice-first") + "\n"
                + BOOT_LINE.replace("1b03", "5b02") + "\n"
                + BOOT_LINE.replace("1b03", "5b01").replace("beaglebone-black", "twice-second") + "\n";
        assertEquals(summary(3, 0, "", ""), importLines("boot", lines).body());
        assertEquals("twice-second", document("boot", "5480a2f959b5141a4b4e5b01").getString("board"));
        assertEquals("beaglebone-black", document("boot", "5480a2f959b5141a4b4e5b02").getString("board"));
    }

    @Test
    @DisplayName("bad lines are rejected with their line numbers and reasons; the good ones are stored")
    void rejectedLines() {
        String lines = String.join("\n",
                "{\"_id\":{\"$oid\":\"5480a2f759b5141a4b4e3b01\"},\"job\":\"good\"}",
                "{\"_id\":{\"$oid\":\"5480a2f759b5141a4b4e3b02\"},\"job\":",
                "",
                "{\"_id\":{\"$oid\":\"5480a2f759b5141a4b4e3b03\"},\"private\":\"many\",\"created_on\":\"yesterday\"}",
                "{\"_id\":\"next-next-20140905\",\"job\":\"old\"}",
                "{\"job\":\"good too\",\"board_offline\":\"4.0\",\"compiler_flag\":\"gcc\"}",
                "{\"_id\":{\"$oid\":\"5480a2f759b5141a4b4e3b04\"},\"board_offline\":\"4.1\"}");
        Reply reply = importLines("job", lines);
        assertEquals(200, reply.status());
        assertEquals(summary(3, 3, """
                {"line":2,"reason":"not valid JSON (the line ends too early)"},\
                {"line":4,"reason":"'private' must be true or false, not \\"many\\"; 'created_on' must be \
                {\\"$date\\": <milliseconds>}, {\\"$date\\": \\"<ISO-8601>\\"} or an ISO-8601 string, not \\"yesterday\\""},\
                {"line":5,"reason":"'_id' must be {\\"$oid\\": \\"<24 hex digits>\\"} or a 24-hex-digit string, \
                not \\"next-next-20140905\\""}""", "\"board_offline\":2,\"compiler_flag\":1"), reply.body());
        assertEquals("good", document("job", "5480a2f759b5141a4b4e3b01").getString("job"));
        assertEquals(1, json(http.get("/job?job=good%20too", "Authorization", ADMIN).body()).getInt("count"));
        assertEquals(404, http.get("/job/5480a2f759b5141a4b4e3b03", "Authorization", ADMIN).status());
    }

    @Test
    @DisplayName("rows the database refuses (a lab name taken by another id) are rejected; the rest of the batch is stored")
    void refusedByTheDatabase() {
        String lines = LAB_LINE.replace("1b04", "4b01").replace("lab-a", "lab-b") + "\n"
                + LAB_LINE.replace("1b04", "4b02").replace("lab-a", "lab-b") + "\n"
                + LAB_LINE.replace("1b04", "4b03").replace("lab-a", "lab-c") + "\n";
        Reply reply = importLines("lab", lines);
        assertTrue(reply.body().startsWith("{\"code\":200,\"result\":[{\"imported\":2,\"rejected\":1,\"errors\":"
                + "[{\"line\":2,\"reason\":\"refused by the database: duplicate key value violates unique constraint"),
                reply.body());
        assertEquals("lab-c", document("lab", "5480a2fa59b5141a4b4e4b03").getString("name"));
    }

    @Test
    @DisplayName("more lines than one batch, bad ones among them: every good line stored, the first errors listed")
    void manyLines() {
        int total = 2600;
        StringBuilder jobs = new StringBuilder();
        StringBuilder builds = new StringBuilder();
        for (int i = 1; i <= total; i++) {
            jobs.append("{\"_id\":\"5480a2f7").append(String.format("%016x", i))
                    .append("\",\"job\":\"bulk\",\"kernel\":\"k").append(i).append("\",\"compiler_flag\":\"gcc\"}\n");
            String warnings = i % 20 == 0 ? "\"many\"" : Integer.toString(i % 7);
            builds.append("{\"job\":\"bulk\",\"kernel\":\"k").append(i).append("\",\"warnings\":").append(warnings)
                    .append("}\n");
        }
        assertEquals(summary(total, 0, "", "\"compiler_flag\":" + total), importLines("job", jobs.toString()).body());
        assertEquals(total, json(http.get("/count/job?job=bulk", "Authorization", ADMIN).body())
                .getJsonArray("result").getJsonObject(0).getInt("count"));

        JsonObject result = json(importLines("defconfig", builds.toString()).body()).getJsonArray("result").getJsonObject(0);
        assertEquals(total - total / 20, result.getInt("imported"));
        assertEquals(total / 20, result.getInt("rejected"));
        assertEquals(100, result.getJsonArray("errors").size());
        assertEquals(20, result.getJsonArray("errors").getJsonObject(0).getInt("line"));
        assertEquals(2000, result.getJsonArray("errors").getJsonObject(99).getInt("line"));
        assertEquals(total - total / 20, json(http.get("/count/build?job=bulk", "Authorization", ADMIN).body())
                .getJsonArray("result").getJsonObject(0).getInt("count"));
    }

    @Test
    @DisplayName("only admin and superuser tokens may import (403); the body must be application/x-ndjson (415)")
    void accessAndContentType() {
        byte[] body = JOB_LINE.getBytes(StandardCharsets.UTF_8);
        for (String token : new String[] {"reader", "poster", "unknown"}) {
            Reply reply = http.send("POST", "/import/job", body, "Authorization", token, "Content-Type", NDJSON);
            assertEquals(403, reply.status(), token);
            assertEquals("{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}", reply.body());
        }
        assertEquals(403, http.send("POST", "/import/job", body, "Content-Type", NDJSON).status());
        assertEquals(200, http.send("POST", "/import/job", body, "Authorization", "superuser",
                "Content-Type", "Application/X-NDJSON; charset=utf-8").status());

        Reply json = http.send("POST", "/import/job", body, "Authorization", ADMIN, "Content-Type", "application/json");
        assertEquals(415, json.status());
        assertEquals("{\"code\":415,\"reason\":\"Wrong content type defined: use application/x-ndjson\"}", json.body());
        assertEquals(415, http.send("POST", "/import/job", body, "Authorization", ADMIN).status());
    }

    @Test
    @DisplayName("unknown collections are 404, other methods 405; an empty body imports nothing")
    void routes() {
        assertEquals(404, importLines("count", JOB_LINE).status());
        assertEquals(404, importLines("token", JOB_LINE).status());
        assertEquals(405, http.get("/import/job", "Authorization", ADMIN).status());
        assertEquals(summary(0, 0, "", ""), importLines("job", "").body());
    }

    @Test
    @DisplayName("a line without created_on takes its id's second, so importing it again changes nothing")
    void createdOnFromTheId() {
        String line = "{\"_id\":{\"$oid\":\"5480a2f759b5141a4b4e1bf1\"},\"job\":\"nocreated\",\"kernel\":\"k\"}";
        assertEquals(summary(1, 0, "", ""), importLines("job", line).body());
        JsonObject first = document("job", "5480a2f759b5141a4b4e1bf1");
        assertEquals(summary(1, 0, "", ""), importLines("job", line).body());
        assertEquals(first, document("job", "5480a2f759b5141a4b4e1bf1"));
        assertEquals(0x5480a2f7L * 1000, first.getJsonObject("created_on").getJsonNumber("$date").longValue());
    }

    @Test
    @DisplayName("dates before the Gregorian reform come back as they went in")
    void ancientDates() {
        String line = "{\"_id\":{\"$oid\":\"5480a2f759b5141a4b4e1bf2\"},\"job\":\"old\",\"created_on\":{\"$date\":-62135596800000}}";
        assertEquals(summary(1, 0, "", ""), importLines("job", line).body());
        assertEquals(-62135596800000L, document("job", "5480a2f759b5141a4b4e1bf2").getJsonObject("created_on")
                .getJsonNumber("$date").longValue());
    }
}

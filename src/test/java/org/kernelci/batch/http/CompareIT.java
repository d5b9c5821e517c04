package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md section 12.5: compare requests kept and their comparisons computed again at each
 * read, as kernelci-frontend's compare pages send and read them (frontend-requests.md section
 * 4.30); every status and reason; a job comparison's members and differences against a plain
 * recomputation in Java, under writes.
 */
class CompareIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String READER = "compare-reader";
    private static final String POSTER = "compare-poster";
    private static final String JSON_TYPE = "application/json";
    private static final int MAX_TARGETS = 25;
    private static final int MAX_BODY_BYTES = 65_536;
    /** The fixtures' kept job comparison: mainline v3.18-rc7 against next-20141205. */
    private static final String KEPT = "6f7eb5e92c30824b5375e450";
    private static final String FRONTEND_JOB = """
            {"job":"mainline","kernel":"v3.18-rc7","compare_to":[{"job":"next","kernel":"next-20141205"},\
            {"job":"stable","kernel":"v3.17.4"}]}""";
    private static final String FRONTEND_BUILD = """
            {"job":"mainline","kernel":"v3.18-rc7","defconfig_full":"multi_v7_defconfig","arch":"arm",\
            "compare_to":[{"job":"next","kernel":"next-20141205","defconfig_full":"multi_v7_defconfig","arch":"arm"},\
            {"job":"stable","kernel":"v3.17.4","defconfig_full":"multi_v7_defconfig","arch":"arm"}]}""";
    private static final String FRONTEND_BOOT = """
            {"job":"mainline","kernel":"v3.18-rc7","defconfig_full":"multi_v7_defconfig","arch":"arm",\
            "board":"beaglebone-black","lab_name":"lab-collabora","compare_to":[{"job":"next","kernel":"next-20141205",\
            "defconfig_full":"multi_v7_defconfig","arch":"arm","board":"panda","lab_name":"lab-baylibre"}]}""";
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.MAX_OPERATIONS, Integer.toString(MAX_TARGETS),
                Setting.MAX_BODY_BYTES, Integer.toString(MAX_BODY_BYTES)));
        http = server.http();
        server.addToken(READER, "can_get");
        server.addToken(POSTER, "can_post");
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             InputStream sql = CompareIT.class.getResourceAsStream("/fixtures/collections.sql")) {
            statement.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
    }

    private static Reply post(String route, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", READER, "Content-Type", JSON_TYPE));
        all.addAll(List.of(headers));
        return http.post("/" + route + "/compare", body, all.toArray(String[]::new));
    }

    private static Reply get(String path, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", READER));
        all.addAll(List.of(headers));
        return http.get(path, all.toArray(String[]::new));
    }

    /** The comparison c of an answer {"code":..,"result":[c]}, after checking its envelope. */
    private static JsonObject comparison(Reply reply, int status) {
        assertEquals(status, reply.status(), reply.body());
        JsonObject body = json(reply.body());
        assertEquals(List.of("code", "result"), List.copyOf(body.keySet()));
        assertEquals(status, body.getInt("code"));
        assertEquals(1, body.getJsonArray("result").size());
        return body.getJsonArray("result").getJsonObject(0);
    }

    private static void assertRefused(Reply reply, int status, String reason) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals(Json.createObjectBuilder().add("code", status).add("reason", reason).build(), json(reply.body()));
    }

    /** A Location: the path from the host's root (CONTRACT.md section 12.5 writes it so), no scheme nor host. */
    private static String path(String location) {
        java.net.URI uri = java.net.URI.create(location);
        assertEquals(null, uri.getAuthority(), location);
        return uri.getPath();
    }

    private static JsonArray array(String text) {
        return Json.createReader(new java.io.StringReader(text)).readArray();
    }

    private static JsonObject oid(String id) {
        return Json.createObjectBuilder().add("$oid", id).build();
    }

    @Test
    @DisplayName("§12.5, frontend §4.30 job compare: 201 with the id in X-Kernelci-Compare-Id and Location, the members "
            + "and delta_result the view reads; again: 200 and the same id; GET computes the same c")
    void frontendJobCompare() {
        Reply created = post("job", FRONTEND_JOB);
        JsonObject c = comparison(created, 201);
        String id = created.header(CompareResource.COMPARE_ID);
        assertTrue(id.matches("[0-9a-f]{24}"), id);
        assertEquals("/job/compare/" + id + "/", path(created.header("Location")));
        assertNull(created.header("ETag"), "a POST's answer carries no tag");
        assertEquals(List.of("_id", "baseline", "compare_to", "delta_result"), List.copyOf(c.keySet()));
        assertEquals(oid(id), c.get("_id"));
        // The first build by defconfig: mainline's arm64 "defconfig" build.
        assertEquals(json("""
                {"job":"mainline","kernel":"v3.18-rc7","job_id":{"$oid":"547c3c20a000000000000001"},"git_branch":"master",
                 "git_commit":null,"git_describe":"v3.18-rc7","git_url":null,"created_on":{"$date":1417435200000},
                 "total_builds":3,"build_counts":[2,1,0]}"""), c.getJsonObject("baseline"));
        assertEquals(List.of("job", "kernel", "job_id", "git_branch", "git_commit", "git_describe", "git_url", "created_on",
                "total_builds", "build_counts"), List.copyOf(c.getJsonObject("baseline").keySet()));
        JsonArray targets = c.getJsonArray("compare_to");
        assertEquals(2, targets.size());
        assertEquals("next-20141205", targets.getJsonObject(0).getString("kernel"));
        assertEquals(2, targets.getJsonObject(0).getInt("total_builds"));
        assertEquals(array("[1,1,0]"), targets.getJsonObject(0).get("build_counts"));
        assertEquals("v3.17.4", targets.getJsonObject(1).getString("kernel"));
        assertEquals(array("[1,0,0]"), targets.getJsonObject(1).get("build_counts"));
        // multi_v7_defconfig passed in all three: no difference; defconfig and x86_64_defconfig differ.
        assertEquals(array("""
                [[["defconfig","defconfig","arm64",null],
                  [["PASS",{"$oid":"547c5840b000000000000008"}],["FAIL",{"$oid":"54819738b00000000000000a"}],null]],
                 [["x86_64_defconfig","x86_64_defconfig","x86",null],[["FAIL",{"$oid":"547c5138b000000000000007"}],null,null]]]
                """), c.getJsonArray("delta_result"));
        // What view-job-compare reads: key[1], key[2]; a cell is null or [status, {$oid}].
        for (JsonValue row : c.getJsonArray("delta_result")) {
            JsonArray key = row.asJsonArray().getJsonArray(0);
            assertTrue(key.get(1) instanceof JsonString && key.get(2) instanceof JsonString, row.toString());
            for (JsonValue cell : row.asJsonArray().getJsonArray(1)) {
                assertTrue(cell == JsonValue.NULL || cell.asJsonArray().getString(0).toLowerCase().matches("pass|fail")
                        && cell.asJsonArray().getJsonObject(1).getString("$oid").matches("[0-9a-f]{24}"), row.toString());
            }
        }
        for (JsonObject job : List.of(c.getJsonObject("baseline"), targets.getJsonObject(0), targets.getJsonObject(1))) {
            assertTrue(job.getJsonObject("created_on").getJsonNumber("$date").longValue() > 0);
        }

        Reply again = post("job", FRONTEND_JOB);
        assertEquals(c, comparison(again, 200));
        assertEquals(id, again.header(CompareResource.COMPARE_ID));
        Reply reordered = post("job", """
                {"compare_to":[{"kernel":"next-20141205","job":"next"},{"kernel":"v3.17.4","job":"stable"}],
                 "kernel":"v3.18-rc7","job":"mainline"}""");
        assertEquals(200, reordered.status());
        assertEquals(id, reordered.header(CompareResource.COMPARE_ID));
        Reply otherOrder = post("job", """
                {"job":"mainline","kernel":"v3.18-rc7","compare_to":[{"job":"stable","kernel":"v3.17.4"},
                 {"job":"next","kernel":"next-20141205"}]}""");
        assertEquals(201, otherOrder.status());
        assertNotEquals(id, otherOrder.header(CompareResource.COMPARE_ID));

        // The frontend's proxy asks for gzip, and parses only what comes gzipped.
        Reply zipped = post("job", FRONTEND_JOB, "Accept-Encoding", "gzip, deflate");
        assertTrue(zipped.gzipped());
        assertEquals(c, comparison(zipped, 200));
        assertEquals(id, zipped.header(CompareResource.COMPARE_ID));
        Reply zippedRead = get("/job/compare/" + id, "Accept-Encoding", "gzip, deflate");
        assertTrue(zippedRead.gzipped());
        assertEquals(Integer.toString(zippedRead.received()), zippedRead.header("Content-Length"));
        assertEquals(c, comparison(zippedRead, 200));
        for (String path : List.of("/job/compare/" + id, "/job/compare/" + id + "/", "/job/compare/" + id.toUpperCase())) {
            Reply read = get(path);
            assertEquals(c, comparison(read, 200), path);
            assertTrue(read.header("ETag").startsWith("W/\""), path);
        }
    }

    @Test
    @DisplayName("§12.5, frontend §4.30 build compare: full build documents as GET renders them, dtb_dir_data as a number; "
            + "/defconfig/compare is the same comparison")
    void frontendBuildCompare() {
        http.send("PUT", "/build/54819030b000000000000009", "{\"dtb_dir_data\":[\"a.dtb\",\"b.dtb\",\"c.dtb\"]}"
                .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", JSON_TYPE);
        Reply created = post("build", FRONTEND_BUILD);
        JsonObject c = comparison(created, 201);
        String id = created.header(CompareResource.COMPARE_ID);
        assertEquals(List.of("_id", "baseline", "compare_to"), List.copyOf(c.keySet()));
        List<String> builds = List.of("547c4a30b000000000000006", "54819030b000000000000009", "54842520b00000000000000b");
        List<Integer> dtbs = List.of(0, 3, 0);
        List<JsonObject> compared = new ArrayList<>(List.of(c.getJsonObject("baseline")));
        c.getJsonArray("compare_to").forEach(target -> compared.add(target.asJsonObject()));
        for (int i = 0; i < builds.size(); i++) {
            JsonObject asRead = json(get("/build/" + builds.get(i)).body()).getJsonArray("result").getJsonObject(0);
            JsonObject expected = Json.createObjectBuilder(asRead).add("dtb_dir_data", dtbs.get(i)).build();
            assertEquals(expected, compared.get(i));
            assertEquals(List.copyOf(asRead.keySet()), List.copyOf(compared.get(i).keySet()), "members in GET's order");
            // What view-build-compare reads.
            for (String member : List.of("job", "kernel", "defconfig", "defconfig_full", "git_branch", "git_commit", "git_url",
                    "arch", "status", "errors", "warnings", "mismatches", "compiler_version_ext", "text_offset", "build_time",
                    "build_log_size", "kernel_config_size", "modules_size", "system_map_size", "kernel_image_size",
                    "vmlinux_file_size", "vmlinux_text_size", "vmlinux_bss_size", "vmlinux_data_size")) {
                assertTrue(compared.get(i).containsKey(member), member);
            }
            assertEquals(builds.get(i), compared.get(i).getJsonObject("_id").getString("$oid"));
            assertTrue(compared.get(i).getJsonObject("created_on").containsKey("$date"));
        }
        Reply defconfig = post("defconfig", FRONTEND_BUILD);
        assertEquals(c, comparison(defconfig, 200));
        assertEquals(id, defconfig.header(CompareResource.COMPARE_ID));
        assertEquals("/defconfig/compare/" + id + "/", path(defconfig.header("Location")));
        assertEquals(c, comparison(get("/defconfig/compare/" + id), 200));
        assertEquals(c, comparison(get("/build/compare/" + id + "/"), 200));
    }

    @Test
    @DisplayName("§12.5, frontend §4.30 boot compare: full boot documents as GET renders them (build_id.$oid, time.$date)")
    void frontendBootCompare() {
        Reply created = post("boot", FRONTEND_BOOT);
        JsonObject c = comparison(created, 201);
        assertEquals("/boot/compare/" + created.header(CompareResource.COMPARE_ID) + "/", path(created.header("Location")));
        JsonObject baseline = json(get("/boot/547c6650c00000000000000d").body()).getJsonArray("result").getJsonObject(0);
        JsonObject target = json(get("/boot/5481ba60c000000000000011").body()).getJsonArray("result").getJsonObject(0);
        assertEquals(baseline, c.getJsonObject("baseline"));
        assertEquals(Json.createArrayBuilder().add(target).build(), c.getJsonArray("compare_to"));
        assertEquals("547c4a30b000000000000006", c.getJsonObject("baseline").getJsonObject("build_id").getString("$oid"));
        assertEquals(12345, c.getJsonObject("baseline").getJsonObject("time").getInt("$date"));
        for (String member : List.of("board", "board_instance", "defconfig_full", "git_branch", "git_commit", "git_url", "job",
                "kernel", "lab_name", "arch", "mach", "endian", "status", "retries", "warnings", "compiler_version_ext",
                "kernel_image_size", "fastboot", "fastboot_cmd", "load_addr", "initrd_addr", "uimage_addr", "dtb_addr",
                "dtb_append", "bootloader", "bootloader_version", "chainloader", "filesystem", "compiler_version_full")) {
            assertTrue(c.getJsonObject("baseline").containsKey(member), member);
        }
        assertEquals(c, comparison(get("/boot/compare/" + created.header(CompareResource.COMPARE_ID)), 200));
    }

    @Test
    @DisplayName("§12.5 several documents match: the newest (created_on, then _id); an id member selects by id")
    void newestOfSeveral() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO build (id, created_on, job, kernel, defconfig, defconfig_full, arch, status) VALUES
                     ('5500000000000000000000a1', '2015-01-01T10:00:00Z', 'newest', 'k1', 'd', 'd', 'arm', 'FAIL'),
                     ('5500000000000000000000a3', '2015-01-02T10:00:00Z', 'newest', 'k1', 'd', 'd', 'arm', 'PASS'),
                     ('5500000000000000000000a2', '2015-01-02T10:00:00Z', 'newest', 'k1', 'd', 'd', 'arm', 'FAIL'),
                     ('5500000000000000000000a4', '2015-01-03T10:00:00Z', 'newest', 'k1', 'd', 'd', 'arm64', 'FAIL');
                    INSERT INTO boot (id, created_on, job, kernel, defconfig_full, arch, board, lab_name, status) VALUES
                     ('5500000000000000000000b1', '2015-01-03T10:00:00Z', 'newest', 'k1', 'd', 'arm', 'b', 'l', 'FAIL'),
                     ('5500000000000000000000b2', '2015-01-01T10:00:00Z', 'newest', 'k1', 'd', 'arm', 'b', 'l', 'PASS');""");
        }
        assertRefused(post("build", """
                {"job":"newest","kernel":"k1","defconfig_full":"d","arch":"arm",
                 "compare_to":[{"build_id":"5500000000000000000000a1"},{"job":"newest","kernel":"k1","defconfig_full":"d",
                 "arch":"arm","defconfig":"d","build_environment":"none"}]}"""), 404,
                "compare_to[1]: no build found for {\"arch\":\"arm\",\"build_environment\":\"none\",\"defconfig\":\"d\","
                + "\"defconfig_full\":\"d\",\"job\":\"newest\",\"kernel\":\"k1\"}");
        JsonObject found = comparison(post("build", """
                {"job":"newest","kernel":"k1","defconfig_full":"d","arch":"arm",
                 "compare_to":[{"build_id":"5500000000000000000000a1"}]}"""), 201);
        assertEquals("5500000000000000000000a3", found.getJsonObject("baseline").getJsonObject("_id").getString("$oid"));
        assertEquals("5500000000000000000000a1",
                found.getJsonArray("compare_to").getJsonObject(0).getJsonObject("_id").getString("$oid"));
        JsonObject boots = comparison(post("boot", """
                {"job":"newest","kernel":"k1","defconfig_full":"d","arch":"arm","board":"b","lab_name":"l",
                 "compare_to":[{"boot_id":"5500000000000000000000B2"}]}"""), 201);
        assertEquals("5500000000000000000000b1", boots.getJsonObject("baseline").getJsonObject("_id").getString("$oid"));
        assertEquals("5500000000000000000000b2",
                boots.getJsonArray("compare_to").getJsonObject(0).getJsonObject("_id").getString("$oid"));
    }

    @ParameterizedTest(name = "{0} {1}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // Token with the get permission, content type, size, JSON, members: section 6's order.
        "job|none|{}|403|Operation not permitted: provided token is not authorized",
        "job|poster|{}|403|Operation not permitted: provided token is not authorized",
        "build|text/plain|{}|415|Wrong content type defined: use application/json",
        "boot|big||413|Request body larger than 65536 bytes",
        "job||{\"job\":|422|No JSON data found in the POST request: the body is not valid JSON",
        "job|||422|No JSON data found in the POST request: the body is empty",
        "job||[{\"job\":\"mainline\"}]|400|Provided JSON is not valid: expected an object with the baseline and 'compare_to'",
        "job||{\"job\":\"mainline\",\"compare_to\":[{\"job\":\"next\",\"kernel\":\"next-20141205\"}]}|400|Missing mandatory data to perform a comparison",
        "build||{\"job\":\"mainline\",\"kernel\":\"v3.18-rc7\",\"defconfig_full\":\"d\",\"compare_to\":[{\"build_id\":\"547c4a30b000000000000006\"}]}|400|Missing mandatory data to perform a comparison",
        "job||{\"job\":\"mainline\",\"kernel\":\"v3.18-rc7\"}|400|No data provided to compare to",
        "job||{\"job\":\"mainline\",\"kernel\":\"v3.18-rc7\",\"compare_to\":[]}|400|No data provided to compare to",
        "job||{\"job\":\"mainline\",\"kernel\":\"v3.18-rc7\",\"compare_to\":[{\"job\":\"next\",\"kernel\":\"next-20141205\"}],\"foo\":1}|400|Unknown member 'foo'",
        "boot||{\"boot_id\":\"547c6650c00000000000000d\",\"compare_to\":[{\"boot_id\":\"547c6650c00000000000000d\",\"defconfig\":\"x\"}]}|400|compare_to[0]: Unknown member 'defconfig'",
        "job||{\"job\":7,\"kernel\":\"v3.18-rc7\",\"bar\":null,\"compare_to\":[{\"job_id\":\"zz\"},\"x\",{}]}|400|`'job' must be a string; Unknown member 'bar'; compare_to[0]: 'job_id' must be a 24-digit hexadecimal id: 'zz'; compare_to[1]: expected an object; compare_to[2]: Missing mandatory data to perform a comparison`",
        "job|many||400|Too many targets in 'compare_to': 26, at most 25",
        // Nothing found: 404, named.
        "job||{\"job\":\"nope\",\"kernel\":\"x\",\"compare_to\":[{\"job\":\"next\",\"kernel\":\"next-20141205\"}]}|404|`baseline: no build found for {\"job\":\"nope\",\"kernel\":\"x\"}`",
        "job||{\"job_id\":\"547c3c20a000000000000001\",\"compare_to\":[{\"job\":\"next\",\"kernel\":\"next-20141205\"},{\"job_id\":\"547c3c20a0000000000000ff\"}]}|404|`compare_to[1]: no build found for {\"job_id\":\"547c3c20a0000000000000ff\"}`",
        "build||{\"build_id\":\"547c4a30b0000000000000ff\",\"compare_to\":[{\"build_id\":\"547c4a30b000000000000006\"},{\"job\":\"j\",\"kernel\":\"k\",\"defconfig_full\":\"d\",\"arch\":\"a\"}]}|404|`baseline: no build found for {\"build_id\":\"547c4a30b0000000000000ff\"}; compare_to[1]: no build found for {\"arch\":\"a\",\"defconfig_full\":\"d\",\"job\":\"j\",\"kernel\":\"k\"}`",
        "boot||{\"boot_id\":\"547c6650c00000000000000d\",\"compare_to\":[{\"boot_id\":\"547c4a30b000000000000006\"}]}|404|`compare_to[0]: no boot found for {\"boot_id\":\"547c4a30b000000000000006\"}`",
    })
    @DisplayName("§12.5, §6: every refusal of a POST, its status and reason")
    void refusedPosts(String route, String variant, String body, int status, String reason) {
        String text = body == null ? "" : body;
        List<String> headers = new ArrayList<>(List.of("Authorization", READER, "Content-Type", JSON_TYPE));
        switch (variant == null ? "" : variant) {
            case "none" -> headers.subList(0, 2).clear();
            case "poster" -> headers.set(1, POSTER);
            case "text/plain" -> headers.set(3, "text/plain");
            case "big" -> text = "{\"job\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}";
            case "many" -> text = "{\"job\":\"mainline\",\"kernel\":\"v3.18-rc7\",\"compare_to\":["
                    + String.join(",", java.util.Collections.nCopies(MAX_TARGETS + 1, "{\"job\":\"next\",\"kernel\":\"next-20141205\"}"))
                    + "]}";
            default -> { }
        }
        assertRefused(http.post("/" + route + "/compare", text, headers.toArray(String[]::new)), status, reason);
        assertEquals(status, http.send("POST", "/" + route + "/compare", text.getBytes(StandardCharsets.UTF_8),
                headers.toArray(String[]::new)).status(), "the same refusal again: nothing was kept");
    }

    @Test
    @DisplayName("§12.5 GET: no id 400 No ID specified, a malformed id 400, an unknown id 404 (also another kind's), "
            + "no token 403, PUT and DELETE 405, a deeper path 404")
    void refusedReads() {
        assertRefused(get("/job/compare"), 400, "No ID specified");
        assertRefused(get("/boot/compare/"), 400, "No ID specified");
        assertRefused(http.get("/job/compare"), 403, "Operation not permitted: provided token is not authorized");
        assertRefused(get("/job/compare/xyz"), 400, "Wrong ID value provided");
        assertRefused(get("/build/compare/6f7eb5e92c30824b5375e45"), 400, "Wrong ID value provided");
        assertRefused(get("/job/compare/ffffffffffffffffffffffff"), 404, "Resource 'ffffffffffffffffffffffff' not found");
        assertRefused(get("/build/compare/" + KEPT), 404, "Resource '" + KEPT + "' not found");
        assertRefused(http.get("/job/compare/" + KEPT), 403, "Operation not permitted: provided token is not authorized");
        assertRefused(http.get("/job/compare/" + KEPT, "Authorization", POSTER), 403,
                "Operation not permitted: provided token is not authorized");
        for (String method : List.of("PUT", "DELETE")) {
            assertEquals(405, http.send(method, "/job/compare/" + KEPT, "{}".getBytes(StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", JSON_TYPE).status(), method);
            assertEquals(405, http.send(method, "/job/compare", "{}".getBytes(StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", JSON_TYPE).status(), method);
        }
        assertRefused(get("/job/compare/" + KEPT + "/more"), 404, "Resource not found");
        assertEquals(200, get("/job/compare/" + KEPT).status(), "the fixtures' kept request");
    }

    @Test
    @DisplayName("§12.5 a GET computes c again from the current documents (never stale): after a PUT, a new build, a "
            + "DELETE; its ETag changes with them, a current one is a 304; a target deleted since: 404, named")
    void recomputedAfterWrites() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO build (id, created_on, job, job_id, kernel, defconfig, defconfig_full, arch, status) VALUES
                     ('5600000000000000000000a1', '2015-02-01T10:00:00Z', 'fresh', '5600000000000000000000f1', 'k1', 'd1', 'd1', 'arm', 'PASS'),
                     ('5600000000000000000000a2', '2015-02-01T10:00:00Z', 'fresh', '5600000000000000000000f1', 'k1', 'd2', 'd2', 'arm', 'PASS'),
                     ('5600000000000000000000b1', '2015-02-02T10:00:00Z', 'fresh', '5600000000000000000000f2', 'k2', 'd1', 'd1', 'arm', 'PASS'),
                     ('5600000000000000000000b2', '2015-02-02T10:00:00Z', 'fresh', '5600000000000000000000f2', 'k2', 'd2', 'd2', 'arm', 'PASS');""");
        }
        String body = "{\"job\":\"fresh\",\"kernel\":\"k1\",\"compare_to\":[{\"job_id\":\"5600000000000000000000f2\"}]}";
        Reply created = post("job", body);
        JsonObject before = comparison(created, 201);
        assertEquals(array("[]"), before.getJsonArray("delta_result"));
        String path = "/job/compare/" + created.header(CompareResource.COMPARE_ID);
        Reply first = get(path);
        assertEquals(before, comparison(first, 200));
        String tag = first.header("ETag");
        assertEquals(304, get(path, "If-None-Match", tag).status());

        assertEquals(200, http.send("PUT", "/build/5600000000000000000000b2", "{\"status\":\"FAIL\"}".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", JSON_TYPE).status());
        Reply changed = get(path, "If-None-Match", tag);
        JsonObject after = comparison(changed, 200);
        assertNotEquals(tag, changed.header("ETag"));
        assertEquals(array("[1,1,0]"), after.getJsonArray("compare_to").getJsonObject(0).get("build_counts"));
        assertEquals(array("""
                [[["d2","d2","arm",null],[["PASS",{"$oid":"5600000000000000000000a2"}],["FAIL",{"$oid":"5600000000000000000000b2"}]]]]
                """), after.getJsonArray("delta_result"));
        assertEquals(304, get(path, "If-None-Match", changed.header("ETag")).status());

        // A newer build of the same key in the target: its status counts, and the older still counts in the totals.
        Reply imported = http.send("POST", "/import/build", ("{\"_id\":\"5600000000000000000000b3\",\"created_on\":"
                + "{\"$date\":" + Instant.parse("2015-02-03T10:00:00Z").toEpochMilli() + "},\"job\":\"fresh\",\"job_id\":"
                + "\"5600000000000000000000f2\",\"kernel\":\"k2\",\"defconfig\":\"d2\",\"defconfig_full\":\"d2\",\"arch\":\"arm\","
                + "\"status\":\"PASS\"}\n").getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN,
                "Content-Type", "application/x-ndjson");
        assertEquals(200, imported.status(), imported.body());
        JsonObject newer = comparison(get(path), 200);
        assertEquals(3, newer.getJsonArray("compare_to").getJsonObject(0).getInt("total_builds"));
        assertEquals(array("[]"), newer.getJsonArray("delta_result"));

        for (String id : List.of("5600000000000000000000b1", "5600000000000000000000b2", "5600000000000000000000b3")) {
            assertEquals(200, http.send("DELETE", "/build/" + id, null, "Authorization", ADMIN).status());
        }
        assertRefused(get(path), 404, "compare_to[0]: no build found for {\"job_id\":\"5600000000000000000000f2\"}");
    }

    @Test
    @DisplayName("§8, §12.5: ArangoDB batch parts reach the compare routes, each answered as its plain request")
    void arangoParts() {
        String boundary = "compare-parts";
        String request = "{\"build_id\":\"547c5840b000000000000008\",\"compare_to\":[{\"build_id\":\"54819738b00000000000000a\"}]}";
        byte[] body = ArangoBatchIT.body(boundary, List.of(
                ArangoBatchIT.part("1", "POST", "/build/compare", request, "Content-Type", JSON_TYPE),
                ArangoBatchIT.part("2", "GET", "/job/compare/" + KEPT, null),
                ArangoBatchIT.part("3", "GET", "job/compare", null)));
        Reply reply = http.send("POST", "/batch", body, "Authorization", READER,
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        List<ArangoBatchIT.Answer> answers = ArangoBatchIT.answers(new ArangoBatchIT.Raw(reply.status(), reply.headers(),
                reply.body().getBytes(StandardCharsets.UTF_8), reply.gzipped()), boundary);
        assertEquals(3, answers.size());
        JsonObject kept = comparison(new Reply(answers.get(0).status(), reply.headers(), answers.get(0).text(), false, 0), 201);
        Reply plain = post("build", request);
        assertEquals(kept, comparison(plain, 200));
        assertEquals(plain.header(CompareResource.COMPARE_ID), answers.get(0).headers().get("x-kernelci-compare-id"));
        assertEquals(plain.header("Location"), answers.get(0).headers().get("location"));
        assertEquals(200, answers.get(1).status());
        assertEquals(json(get("/job/compare/" + KEPT).body()), json(answers.get(1).text()));
        assertEquals(json("{\"code\":400,\"reason\":\"No ID specified\"}"), json(answers.get(2).text()));
        assertEquals("1", reply.header("x-arango-errors"));
    }

    @Test
    @DisplayName("§12: compare is no collection, so the kernelci and Appery dialects answer it with a 404 entry")
    void otherDialects() {
        Reply kernelci = http.post("/batch", """
                {"batch":[{"method":"GET","operation_id":"a","collection":"job","document_id":"compare"},
                          {"method":"GET","operation_id":"b","resource":"build","document":"compare/%s"}]}""".formatted(KEPT),
                "Authorization", READER, "Content-Type", JSON_TYPE);
        assertEquals(200, kernelci.status());
        for (JsonValue entry : json(kernelci.body()).getJsonArray("result")) {
            assertEquals(404, entry.asJsonObject().getInt("code"), kernelci.body());
        }
        Reply appery = http.post("/batch", "[{\"method\":\"GET\",\"collection\":\"boot\",\"_id\":\"compare\"}]",
                "Authorization", READER, "Content-Type", JSON_TYPE);
        assertEquals(200, appery.status());
        assertEquals("KCI404", Json.createReader(new java.io.StringReader(appery.body())).readArray().getJsonObject(0)
                .getJsonObject("error").getString("code"), appery.body());
    }

    // ---------------------------------------------------------------------------------------------
    // Job comparisons against a plain recomputation in Java.

    /** A build as a job comparison reads it. */
    private record Build(String id, Instant createdOn, String job, String kernel, String jobId, String defconfig,
                         String defconfigFull, String arch, String environment, String status, String gitBranch,
                         String gitCommit, String gitDescribe, String gitUrl) {
        List<String> key() {
            return java.util.Arrays.asList(defconfig, defconfigFull, arch, environment);
        }
    }

    /** A baseline or target of a job comparison, and the builds it selects. */
    private record Selection(JsonObject criteria, java.util.function.Predicate<Build> selects) {
    }

    /** Null first, then by code point: the order of keys and of a job's first build. */
    private static final Comparator<String> BY_CODE_POINT = Comparator.nullsFirst((a, b) -> {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    });
    private static final Comparator<List<String>> BY_KEY = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int order = BY_CODE_POINT.compare(a.get(i), b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    };

    @Test
    @DisplayName("§12.5 random job comparisons (by job_id or job and kernel, repeated jobs, null keys, ties, non-ASCII "
            + "defconfigs) equal a plain recomputation in Java, on POST and on GET after random writes")
    void jobComparisonsEqualARecomputation() throws SQLException {
        Random random = new Random(20200101);
        List<String[]> jobs = new ArrayList<>();
        try (Connection connection = connect()) {
            insertRandomBuilds(connection, random, jobs);
            jobComparisons(connection, random, jobs);
        }
    }

    private static void jobComparisons(Connection connection, Random random, List<String[]> jobs) throws SQLException {
        Map<String, List<Selection>> kept = new LinkedHashMap<>();
        Map<String, Integer> seen = new TreeMap<>();
        int checked = 0;
        for (int round = 0; round < 60; round++) {
            List<Selection> selections = new ArrayList<>();
            int size = 2 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                String[] job = jobs.get(random.nextInt(jobs.size()));
                selections.add(random.nextBoolean()
                        ? new Selection(Json.createObjectBuilder().add("job_id", job[0]).build(), b -> job[0].equals(b.jobId()))
                        : new Selection(Json.createObjectBuilder().add("job", job[1]).add("kernel", job[2]).build(),
                                b -> job[1].equals(b.job()) && job[2].equals(b.kernel())));
            }
            JsonObjectBuilder request = Json.createObjectBuilder(selections.get(0).criteria());
            JsonArrayBuilder targets = Json.createArrayBuilder();
            selections.subList(1, selections.size()).forEach(s -> targets.add(s.criteria()));
            Reply reply = post("job", request.add("compare_to", targets).build().toString());
            String id = Objects.toString(reply.header(CompareResource.COMPARE_ID), "");
            JsonObject expected = expected(id, selections, builds(connection));
            if (expected.containsKey("reason")) {
                // A job whose builds the writes deleted: nothing kept.
                assertRefused(reply, 404, expected.getString("reason"));
                continue;
            }
            JsonObject c = comparison(reply, kept.containsKey(id) ? 200 : 201);
            kept.put(id, selections);
            assertEquals(expected, c, "round " + round);
            checked++;
            for (JsonValue row : c.getJsonArray("delta_result")) {
                String text = row.toString();
                seen.merge("a difference", 1, Integer::sum);
                seen.merge("a null in a key", row.asJsonArray().getJsonArray(0).contains(JsonValue.NULL) ? 1 : 0, Integer::sum);
                seen.merge("a missing build", row.asJsonArray().getJsonArray(1).contains(JsonValue.NULL) ? 1 : 0, Integer::sum);
                seen.merge("a non-ASCII key", text.contains("éclair") ? 1 : 0, Integer::sum);
            }
            // A random write, then an earlier comparison read again: computed from the current builds.
            write(random, connection);
            List<String> ids = List.copyOf(kept.keySet());
            String earlier = ids.get(random.nextInt(ids.size()));
            Reply read = get("/job/compare/" + earlier);
            JsonObject recomputed = expected(earlier, kept.get(earlier), builds(connection));
            if (recomputed.containsKey("reason")) {
                assertRefused(read, 404, recomputed.getString("reason"));
            } else {
                assertEquals(recomputed, comparison(read, 200), "round " + round + ", " + earlier);
                checked++;
            }
        }
        assertTrue(checked > 80, "comparisons checked: " + checked);
        assertTrue(seen.values().stream().allMatch(n -> n > 5), "what the comparisons held: " + seen);
    }

    /** Jobs with random builds: keys with nulls and non-ASCII, statuses with null, created_on ties. */
    private static void insertRandomBuilds(Connection connection, Random random, List<String[]> jobs) throws SQLException {
        String[] defconfigs = {null, "allnoconfig", "defconfig", "multi_v7_defconfig", "éclair_defconfig", "Zeta_defconfig"};
        String[] archs = {"arm", "arm64", "x86_64", null};
        String[] environments = {null, "gcc-8", "clang-10"};
        String[] statuses = {"PASS", "PASS", "FAIL", "UNKNOWN", null};
        int serial = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO build (id, created_on, job, job_id, kernel, "
                + "defconfig, defconfig_full, arch, build_environment, status, git_branch, git_commit, git_describe, git_url) "
                + "VALUES (?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int j = 0; j < 8; j++) {
                String jobId = "57000000000000000000f0%02x".formatted(j);
                // The last two share a job and kernel: selected together by them, apart by job_id.
                String[] job = {jobId, "rand-" + Math.min(j, 6) % 3, "r" + Math.min(j, 6)};
                jobs.add(job);
                int builds = 1 + random.nextInt(14);
                for (int b = 0; b < builds; b++) {
                    String defconfig = defconfigs[random.nextInt(defconfigs.length)];
                    String full = defconfig == null || random.nextInt(4) > 0 ? defconfig : defconfig + "+kselftest";
                    insert.setString(1, "%08x%016x".formatted(random.nextInt(1 << 30), serial++));
                    insert.setString(2, Instant.parse("2016-01-01T00:00:00Z").plusSeconds(3600L * random.nextInt(4)).toString());
                    insert.setString(3, job[1]);
                    insert.setString(4, jobId);
                    insert.setString(5, job[2]);
                    insert.setString(6, defconfig);
                    insert.setString(7, full);
                    insert.setString(8, archs[random.nextInt(archs.length)]);
                    insert.setString(9, environments[random.nextInt(environments.length)]);
                    insert.setString(10, statuses[random.nextInt(statuses.length)]);
                    insert.setString(11, "branch-" + random.nextInt(3));
                    insert.setString(12, "commit-" + j);
                    insert.setString(13, random.nextBoolean() ? null : "describe-" + j);
                    insert.setString(14, "https://git.example.org/" + job[1]);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** A write through the API that changes the random jobs' builds: a status, a key, a new build, a deletion. */
    private static void write(Random random, Connection connection) throws SQLException {
        List<Build> builds = builds(connection);
        Build build = builds.get(random.nextInt(builds.size()));
        String[] statuses = {"PASS", "FAIL", "OFFLINE"};
        Reply reply = switch (random.nextInt(4)) {
            case 0 -> http.send("PUT", "/build/" + build.id(), ("{\"status\":\"" + statuses[random.nextInt(3)] + "\"}")
                    .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", JSON_TYPE);
            case 1 -> http.send("PUT", "/build/" + build.id(), ("{\"arch\":\"" + (random.nextBoolean() ? "arm" : "mips") + "\"}")
                    .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", JSON_TYPE);
            case 2 -> http.send("POST", "/import/build", ("{\"_id\":\"58%022x\",\"created_on\":{\"$date\":%d},\"job\":\"%s\","
                    + "\"job_id\":\"%s\",\"kernel\":\"%s\",\"defconfig\":\"defconfig\",\"defconfig_full\":\"defconfig\","
                    + "\"arch\":\"arm64\",\"status\":\"FAIL\"}\n").formatted(random.nextLong() & Long.MAX_VALUE,
                    Instant.parse("2016-01-01T05:00:00Z").toEpochMilli(), build.job(), build.jobId(), build.kernel())
                    .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            default -> http.send("DELETE", "/build/" + build.id(), null, "Authorization", ADMIN);
        };
        assertEquals(200, reply.status(), reply.body());
    }

    /** The random jobs' builds, as stored now. */
    private static List<Build> builds(Connection connection) throws SQLException {
        List<Build> builds = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, created_on, job, kernel, job_id, defconfig, defconfig_full, "
                     + "arch, build_environment, status, git_branch, git_commit, git_describe, git_url FROM build "
                     + "WHERE job LIKE 'rand-%'")) {
            while (rows.next()) {
                builds.add(new Build(rows.getString(1), rows.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                        rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                        rows.getString(8), rows.getString(9), rows.getString(10), rows.getString(11), rows.getString(12),
                        rows.getString(13), rows.getString(14)));
            }
        }
        return builds;
    }

    /**
     * Section 12.5's job comparison, computed plainly: each job's first build by defconfig then
     * _id, its totals; per key, each job's newest build (created_on, then _id), kept when a job
     * lacks it or the statuses differ; by key. Or {"reason"} of the 404 when a job has no build.
     */
    private static JsonObject expected(String id, List<Selection> selections, List<Build> all) {
        List<List<Build>> jobs = new ArrayList<>();
        List<String> nothing = new ArrayList<>();
        for (int i = 0; i < selections.size(); i++) {
            List<Build> selected = all.stream().filter(selections.get(i).selects()).toList();
            jobs.add(selected);
            if (selected.isEmpty()) {
                nothing.add((i == 0 ? "baseline" : "compare_to[" + (i - 1) + "]") + ": no build found for "
                        + selections.get(i).criteria());
            }
        }
        if (!nothing.isEmpty()) {
            return Json.createObjectBuilder().add("reason", String.join("; ", nothing)).build();
        }
        List<JsonObject> members = new ArrayList<>();
        Map<List<String>, Build[]> newest = new TreeMap<>(BY_KEY);
        for (int i = 0; i < jobs.size(); i++) {
            List<Build> builds = jobs.get(i);
            Build first = builds.stream().min(Comparator.comparing(Build::defconfig, BY_CODE_POINT)
                    .thenComparing(Build::id)).orElseThrow();
            long passed = builds.stream().filter(b -> "PASS".equals(b.status())).count();
            long failed = builds.stream().filter(b -> "FAIL".equals(b.status())).count();
            JsonObjectBuilder job = Json.createObjectBuilder();
            addText(job, "job", first.job());
            addText(job, "kernel", first.kernel());
            job.add("job_id", oid(first.jobId()));
            addText(job, "git_branch", first.gitBranch());
            addText(job, "git_commit", first.gitCommit());
            addText(job, "git_describe", first.gitDescribe());
            addText(job, "git_url", first.gitUrl());
            job.add("created_on", Json.createObjectBuilder().add("$date", first.createdOn().toEpochMilli()));
            job.add("total_builds", builds.size());
            job.add("build_counts", Json.createArrayBuilder().add(passed).add(failed).add(builds.size() - passed - failed));
            members.add(job.build());
            for (Build build : builds) {
                Build[] cells = newest.computeIfAbsent(build.key(), key -> new Build[jobs.size()]);
                Build kept = cells[i];
                if (kept == null || build.createdOn().isAfter(kept.createdOn())
                        || build.createdOn().equals(kept.createdOn()) && build.id().compareTo(kept.id()) > 0) {
                    cells[i] = build;
                }
            }
        }
        JsonArrayBuilder delta = Json.createArrayBuilder();
        newest.forEach((key, cells) -> {
            List<Build> present = java.util.Arrays.stream(cells).filter(Objects::nonNull).toList();
            boolean differs = present.size() < cells.length
                    || present.stream().map(Build::status).collect(Collectors.toSet()).size() > 1;
            if (differs) {
                JsonArrayBuilder row = Json.createArrayBuilder();
                key.forEach(member -> row.add(member == null ? JsonValue.NULL : Json.createValue(member)));
                JsonArrayBuilder statuses = Json.createArrayBuilder();
                for (Build cell : cells) {
                    statuses.add(cell == null ? JsonValue.NULL : Json.createArrayBuilder()
                            .add(cell.status() == null ? JsonValue.NULL : Json.createValue(cell.status())).add(oid(cell.id()))
                            .build());
                }
                delta.add(Json.createArrayBuilder().add(row).add(statuses));
            }
        });
        JsonArrayBuilder targets = Json.createArrayBuilder();
        members.subList(1, members.size()).forEach(targets::add);
        return Json.createObjectBuilder().add("_id", oid(id)).add("baseline", members.get(0)).add("compare_to", targets)
                .add("delta_result", delta).build();
    }

    private static void addText(JsonObjectBuilder object, String name, String value) {
        object.add(name, value == null ? JsonValue.NULL : Json.createValue(value));
    }
}

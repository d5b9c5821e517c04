package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md section 12.4: bisections of builds and boots, plain and compared to another job,
 * member by member on a small hand-made set, as the build and boot pages ask for them; and the
 * route's statuses. Times are minutes after {@link #T0}; ids say what they are.
 */
class BisectIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String READER = "bisect-reader";
    private static final long T0 = 1_600_000_000_000L;
    private static final String JOB = "b15ec7000000000000000001";
    private static final String MAINLINE_JOB = "b15ec7000000000000000002";
    // The start's chain: builds of tree/master, arm, d1, gcc-8.
    private static final String B0 = "b0000000000000000000b000";
    private static final String B1 = "b0000000000000000000b001";
    private static final String B2 = "b0000000000000000000b002";
    private static final String B3_OTHER_BRANCH = "b0000000000000000000b003";
    private static final String B4 = "b0000000000000000000b004";
    private static final String B6_OTHER_BRANCH = "b0000000000000000000b006";
    private static final String B4_OTHER_DEFCONFIG = "b0000000000000000000b014";
    private static final String B5 = "b0000000000000000000b005";
    // Mainline's builds of the same keys (but M6, of another environment), any branch.
    private static final String M1 = "b0000000000000000000c001";
    private static final String M2 = "b0000000000000000000c002";
    private static final String M3 = "b0000000000000000000c003";
    private static final String M4 = "b0000000000000000000c004";
    private static final String M5 = "b0000000000000000000c005";
    private static final String M6 = "b0000000000000000000c006";
    private static final String M7 = "b0000000000000000000c007";
    private static final String M8 = "b0000000000000000000c008";
    // Boots of lab-x's board bb: X1 PASS, X2 FAIL (no build_id: its build found by keys), X3
    // OFFLINE (a build_id of nothing), X4 FAIL, the start; MB1 mainline's.
    private static final String X1 = "b0000000000000000000d001";
    private static final String X2 = "b0000000000000000000d002";
    private static final String X3 = "b0000000000000000000d003";
    private static final String X4 = "b0000000000000000000d004";
    private static final String X4_OTHER_LAB = "b0000000000000000000d014";
    private static final String MB1 = "b0000000000000000000e001";
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        server.addToken(READER, "can_get");
        load("build", List.of(
                build(B0, "tree", JOB, "k0", "master", "d1", "gcc-8", "PASS", 0),
                build(B1, "tree", JOB, "k1", "master", "d1", "gcc-8", "PASS", 10),
                build(B2, "tree", JOB, "k2", "master", "d1", "gcc-8", "FAIL", 20),
                build(B3_OTHER_BRANCH, "tree", JOB, "k3", "other", "d1", "gcc-8", "UNKNOWN", 30),
                build(B4, "tree", JOB, "k4", "master", "d1", "gcc-8", "FAIL", 40),
                build(B4_OTHER_DEFCONFIG, "tree", JOB, "k4", "master", "d2", "gcc-8", "PASS", 41),
                build(B5, "tree", JOB, "k5", "master", "d1", "gcc-8", "FAIL", 50),
                build(B6_OTHER_BRANCH, "tree", JOB, "k6", "other", "d1", "gcc-8", "FAIL", 35),
                build(M1, "mainline", MAINLINE_JOB, "m1", "master", "d1", "gcc-8", "PASS", 5),
                build(M2, "mainline", MAINLINE_JOB, "m2", "master", "d1", "gcc-8", "PASS", 10),
                build(M7, "mainline", MAINLINE_JOB, "m7", "master", "d1", "gcc-8", "FAIL", 25),
                build(M3, "mainline", MAINLINE_JOB, "m3", "fixes", "d1", "gcc-8", "PASS", 30),
                build(M8, "mainline", MAINLINE_JOB, "m8", "master", "d1", "gcc-8", "PASS", 35),
                build(M4, "mainline", MAINLINE_JOB, "m4", "master", "d1", "gcc-8", "PASS", 45),
                build(M6, "mainline", MAINLINE_JOB, "m6", "master", "d1", null, "PASS", 46),
                build(M5, "mainline", MAINLINE_JOB, "m5", "master", "d1", "gcc-8", "PASS", 60)));
        load("boot", List.of(
                boot(X1, "tree", "k1", "lab-x", B1, "PASS", 12),
                boot(X2, "tree", "k2", "lab-x", null, "FAIL", 22),
                boot(X3, "tree", "k3", "lab-x", "ffffffffffffffffffffffff", "OFFLINE", 32),
                boot(X4, "tree", "k4", "lab-x", B4, "FAIL", 42),
                boot(X4_OTHER_LAB, "tree", "k4", "lab-y", B4, "PASS", 43),
                boot(MB1, "mainline", "m7", "lab-x", M7, "FAIL", 26)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void load(String collection, List<JsonObject> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        Reply reply = http.send("POST", "/import/" + collection, text.toString().getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
        assertEquals(0, json(reply.body()).getJsonArray("result").getJsonObject(0).getInt("rejected"), reply.body());
    }

    private static long at(int minute) {
        return T0 + minute * 60_000L;
    }

    private static JsonObject build(String id, String job, String jobId, String kernel, String branch, String defconfig,
                                    String environment, String status, int minute) {
        JsonObjectBuilder build = Json.createObjectBuilder().add("_id", id).add("job", job).add("job_id", jobId)
                .add("kernel", kernel).add("git_branch", branch).add("arch", "arm").add("defconfig", defconfig)
                .add("defconfig_full", defconfig).add("status", status).add("git_commit", "commit-" + kernel)
                .add("git_describe", "describe-" + kernel).add("git_url", "git://" + job).add("compiler", "gcc")
                .add("compiler_version", "8").add("dirname", "dir-" + kernel)
                .add("created_on", Json.createObjectBuilder().add("$date", at(minute)));
        if (environment != null) {
            build.add("build_environment", environment);
        }
        return build.build();
    }

    private static JsonObject boot(String id, String job, String kernel, String lab, String buildId, String status,
                                   int minute) {
        JsonObjectBuilder boot = Json.createObjectBuilder().add("_id", id).add("job", job)
                .add("job_id", job.equals("tree") ? JOB : MAINLINE_JOB).add("kernel", kernel).add("git_branch", "master")
                .add("lab_name", lab).add("board", "bb").add("arch", "arm").add("defconfig", "d1").add("defconfig_full", "d1")
                .add("build_environment", "gcc-8").add("compiler", "gcc").add("compiler_version", "8")
                .add("device_type", "bb-device").add("plan", "boot").add("git_url", "git://boots").add("status", status)
                .add("created_on", Json.createObjectBuilder().add("$date", at(minute)));
        if (buildId != null) {
            boot.add("build_id", buildId);
        }
        if (id.equals(X2)) {
            boot.add("metadata", Json.createObjectBuilder().add("dtb", "bb.dtb"));
        }
        return boot.build();
    }

    private static JsonObject oid(String id) {
        return Json.createObjectBuilder().add("$oid", id).build();
    }

    private static JsonObject date(long ms) {
        return Json.createObjectBuilder().add("$date", ms).build();
    }

    /** A build item of bisect_data, as section 12.4 lists its members. */
    private static JsonObject buildItem(String id, String job, String jobId, String kernel, String branch, String status,
                                        int minute) {
        return Json.createObjectBuilder().add("_id", oid(id)).add("job", job).add("job_id", oid(jobId)).add("kernel", kernel)
                .add("arch", "arm").add("defconfig", "d1").add("defconfig_full", "d1").add("git_branch", branch)
                .add("git_commit", "commit-" + kernel).add("git_describe", "describe-" + kernel).add("git_url", "git://" + job)
                .add("created_on", date(at(minute))).add("status", status).build();
    }

    /** A boot item: the boot's members, then its build's (null without one). */
    private static JsonObject bootItem(String id, String job, String kernel, String status, int minute, String buildId,
                                       JsonObject build, JsonObject metadata) {
        JsonObjectBuilder item = Json.createObjectBuilder().add("boot_id", oid(id)).add("boot_created_on", date(at(minute)))
                .add("boot_status", status).add("boot_metadata", metadata).add("board", "bb").add("lab_name", "lab-x")
                .add("job", job).add("job_id", oid(job.equals("tree") ? JOB : MAINLINE_JOB)).add("kernel", kernel)
                .add("defconfig", "d1").add("defconfig_full", "d1")
                .add("build_id", buildId == null ? JsonValue.NULL : oid(buildId));
        if (build == null) {
            item.add("build_arch", JsonValue.NULL).add("build_created_on", JsonValue.NULL).add("build_status", JsonValue.NULL)
                    .add("dirname", JsonValue.NULL).add("git_branch", JsonValue.NULL).add("git_commit", JsonValue.NULL)
                    .add("git_describe", JsonValue.NULL).add("git_url", JsonValue.NULL);
        } else {
            item.add("build_arch", "arm").add("build_created_on", build.get("created_on"))
                    .add("build_status", build.get("status")).add("dirname", build.get("dirname"))
                    .add("git_branch", build.get("git_branch")).add("git_commit", build.get("git_commit"))
                    .add("git_describe", build.get("git_describe")).add("git_url", build.get("git_url"));
        }
        return item.build();
    }

    /** The start's members of a build's bisection, in order, up to bisect_data; then the rest. */
    private static JsonObjectBuilder head(String type, String jobId, String kernel, String buildId) {
        return Json.createObjectBuilder().add("type", type).add("version", "1.0").add("created_on", JsonValue.NULL)
                .add("job", "tree").add("job_id", oid(jobId)).add("kernel", kernel).add("arch", "arm").add("defconfig", "d1")
                .add("defconfig_full", "d1").add("build_environment", "gcc-8").add("compiler", "gcc")
                .add("compiler_version", "8").add("git_branch", "master")
                .add("git_url", type.equals("build") ? "git://tree" : "git://boots").add("build_id", oid(buildId));
    }

    private static JsonObjectBuilder commits(JsonObjectBuilder document, String bad, long badAt, String good, long goodAt) {
        return document.add("bad_commit", bad == null ? JsonValue.NULL : Json.createValue(bad))
                .add("bad_commit_date", bad == null ? JsonValue.NULL : date(badAt))
                .add("bad_commit_url", bad == null ? JsonValue.NULL : Json.createValue("git://tree"))
                .add("good_commit", good == null ? JsonValue.NULL : Json.createValue(good))
                .add("good_commit_date", good == null ? JsonValue.NULL : date(goodAt))
                .add("good_commit_url", good == null ? JsonValue.NULL : Json.createValue("git://tree"));
    }

    private static JsonObjectBuilder tail(JsonObjectBuilder document, String compareTo, JsonArrayBuilder items) {
        return document.add("compare_to", compareTo == null ? JsonValue.NULL : Json.createValue(compareTo))
                .add("bisect_data", items).add("plan", JsonValue.NULL).add("plan_variant", JsonValue.NULL)
                .add("good_summary", JsonValue.NULL).add("bad_summary", JsonValue.NULL).add("found_summary", JsonValue.NULL)
                .add("log", JsonValue.NULL).add("checks", JsonValue.EMPTY_JSON_OBJECT);
    }

    /** The bisection answered, its created_on (now) checked and nulled for comparison. */
    private static JsonObject bisect(String query) {
        Reply reply = http.get("/bisect/?" + query, "Authorization", READER);
        assertEquals(200, reply.status(), reply.body());
        JsonObject envelope = json(reply.body());
        assertEquals(List.of("code", "result"), List.copyOf(envelope.keySet()));
        assertEquals(1, envelope.getJsonArray("result").size());
        JsonObject document = envelope.getJsonArray("result").getJsonObject(0);
        long createdOn = document.getJsonObject("created_on").getJsonNumber("$date").longValue();
        assertTrue(Math.abs(System.currentTimeMillis() - createdOn) < 600_000, document.toString());
        return Json.createObjectBuilder(document).add("created_on", JsonValue.NULL).build();
    }

    private static void assertDocument(JsonObject expected, JsonObject actual) {
        assertEquals(expected, actual);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
    }

    @Test
    @DisplayName("§12.4: a build's bisection, as the build page asks: the chain through the first PASS of its branch and keys")
    void buildBisection() {
        JsonObject expected = tail(commits(head("build", JOB, "k5", B5), "commit-k5", at(50), "commit-k1", at(10)), null,
                Json.createArrayBuilder().add(buildItem(B5, "tree", JOB, "k5", "master", "FAIL", 50))
                        .add(buildItem(B4, "tree", JOB, "k4", "master", "FAIL", 40))
                        .add(buildItem(B2, "tree", JOB, "k2", "master", "FAIL", 20))
                        .add(buildItem(B1, "tree", JOB, "k1", "master", "PASS", 10))).build();
        assertDocument(expected, bisect("collection=build&build_id=" + B5));
        // defconfig is build's alias; an unknown key is ignored and named.
        Reply alias = http.get("/bisect?collection=defconfig&build_id=" + B5 + "&sort=x", "Authorization", READER);
        assertEquals("sort", alias.header("X-Kci-Ignored"));
        assertEquals(expected, Json.createObjectBuilder(json(alias.body()).getJsonArray("result").getJsonObject(0))
                .add("created_on", JsonValue.NULL).build());
    }

    @Test
    @DisplayName("§12.4: without a PASS before it the chain is every build before the start; field chooses members")
    void chainWithoutPass() {
        Reply reply = http.get("/bisect?collection=build&build_id=" + B6_OTHER_BRANCH + "&field=bisect_data&field=good_commit"
                + "&nfield=good_commit&field=_id", "Authorization", READER);
        assertEquals("field=_id", reply.header("X-Kci-Ignored"));
        JsonObject document = json(reply.body()).getJsonArray("result").getJsonObject(0);
        assertEquals(List.of("bisect_data"), List.copyOf(document.keySet()));
        assertEquals(List.of(B6_OTHER_BRANCH, B3_OTHER_BRANCH), document.getJsonArray("bisect_data").stream()
                .map(item -> item.asJsonObject().getJsonObject("_id").getString("$oid")).toList());
        JsonObject projected = json(http.get("/bisect?collection=build&build_id=" + B6_OTHER_BRANCH
                + "&field=good_commit&field=bad_commit", "Authorization", READER).body()).getJsonArray("result").getJsonObject(0);
        assertEquals(Json.createObjectBuilder().add("bad_commit", "commit-k6").add("good_commit", JsonValue.NULL).build(),
                projected);
        assertEquals(List.of("bad_commit", "good_commit"), List.copyOf(projected.keySet()));
    }

    @Test
    @DisplayName("§12.4: compared to mainline, as the build page then asks: its builds of any branch, in the chain's span, as many")
    void buildComparedToMainline() {
        // The build page asks with the first answer's build_id.$oid.
        String buildId = bisect("collection=build&build_id=" + B5).getJsonObject("build_id").getString("$oid");
        JsonObject expected = tail(commits(head("build", JOB, "k5", B5), null, 0, null, 0), "mainline",
                Json.createArrayBuilder().add(buildItem(M4, "mainline", MAINLINE_JOB, "m4", "master", "PASS", 45))
                        .add(buildItem(M8, "mainline", MAINLINE_JOB, "m8", "master", "PASS", 35))
                        .add(buildItem(M3, "mainline", MAINLINE_JOB, "m3", "fixes", "PASS", 30))
                        .add(buildItem(M7, "mainline", MAINLINE_JOB, "m7", "master", "FAIL", 25))).build();
        assertDocument(expected, bisect("collection=build&compare_to=mainline&build_id=" + buildId));
        // A shorter chain (B2, B1, from minute 10): M2 at minute 10 is in its span, M1 before it is not.
        assertEquals(List.of(M2), bisect("collection=build&compare_to=mainline&build_id=" + B2).getJsonArray("bisect_data")
                .stream().map(item -> item.asJsonObject().getJsonObject("_id").getString("$oid")).toList());
    }

    @Test
    @DisplayName("§12.4: a boot's bisection, as the boot page asks: items join each boot and its build")
    void bootBisection() {
        JsonObject b4 = build(B4, "tree", JOB, "k4", "master", "d1", "gcc-8", "FAIL", 40);
        JsonObject b2 = build(B2, "tree", JOB, "k2", "master", "d1", "gcc-8", "FAIL", 20);
        JsonObject b1 = build(B1, "tree", JOB, "k1", "master", "d1", "gcc-8", "PASS", 10);
        JsonObject expected = tail(commits(head("boot", JOB, "k4", B4), "commit-k4", at(40), "commit-k1", at(10)), null,
                Json.createArrayBuilder()
                        .add(bootItem(X4, "tree", "k4", "FAIL", 42, B4, b4, JsonValue.EMPTY_JSON_OBJECT))
                        .add(bootItem(X3, "tree", "k3", "OFFLINE", 32, "ffffffffffffffffffffffff", null,
                                JsonValue.EMPTY_JSON_OBJECT))
                        .add(bootItem(X2, "tree", "k2", "FAIL", 22, null, b2, Json.createObjectBuilder().add("dtb", "bb.dtb")
                                .build()))
                        .add(bootItem(X1, "tree", "k1", "PASS", 12, B1, b1, JsonValue.EMPTY_JSON_OBJECT)))
                .add("board", "bb").add("boot_id", oid(X4)).add("lab_name", "lab-x").add("device_type", "bb-device").build();
        JsonObject document = bisect("collection=boot&boot_id=" + X4);
        assertDocument(expected, document);
        // The boot page compares with the answer's boot_id.$oid: mainline's boot of the same lab,
        // board and keys, in the chain's span, joined with its build.
        JsonObject m7 = build(M7, "mainline", MAINLINE_JOB, "m7", "master", "d1", "gcc-8", "FAIL", 25);
        JsonObject compared = tail(commits(head("boot", JOB, "k4", B4), null, 0, null, 0), "mainline",
                Json.createArrayBuilder().add(bootItem(MB1, "mainline", "m7", "FAIL", 26, M7, m7, JsonValue.EMPTY_JSON_OBJECT)))
                .add("board", "bb").add("boot_id", oid(X4)).add("lab_name", "lab-x").add("device_type", "bb-device").build();
        assertDocument(compared, bisect("collection=boot&compare_to=mainline&boot_id="
                + document.getJsonObject("boot_id").getString("$oid")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "build_id=" + B5 + "|400|Missing 'collection' key, cannot process the request",
            "collection=job&build_id=" + B5 + "|400|Provided bisect collection 'job' is not valid",
            "collection=build|400|Missing 'build_id' key, cannot process the request",
            "collection=boot&boot_id=nope|400|Wrong ID value provided",
            "collection=build&build_id=" + B1 + "|400|Build '" + B1 + "' cannot be bisected: is it failed?",
            "collection=boot&boot_id=" + X1 + "&compare_to=mainline|400|Boot report '" + X1
                    + "' cannot be bisected: is it failed?",
            "collection=build&build_id=ffffffffffffffffffffffff|404|Resource 'ffffffffffffffffffffffff' not found",
            "collection=boot&boot_id=" + B5 + "|404|Resource '" + B5 + "' not found"})
    @DisplayName("§12.4: the 400s and 404s, each with its reason")
    void refusals(String query, int status, String reason) {
        Reply reply = http.get("/bisect?" + query, "Authorization", READER);
        assertEquals(status, reply.status(), reply.body());
        assertEquals(reason, json(reply.body()).getString("reason"));
    }

    @Test
    @DisplayName("§12: /bisect/<id> and POST /bisect are not provided (404); reads need the get permission (403)")
    void notProvided() {
        assertEquals(404, http.get("/bisect/" + B5, "Authorization", READER).status());
        assertEquals(404, http.get("/bisect/" + B5 + "/", "Authorization", READER).status());
        assertEquals(404, http.post("/bisect", "{}", "Authorization", ADMIN, "Content-Type", "application/json").status());
        assertEquals(404, http.post("/bisect/", "{}", "Authorization", ADMIN, "Content-Type", "application/json").status());
        assertEquals(403, http.get("/bisect?collection=build&build_id=" + B5).status());
        assertEquals(403, http.get("/bisect?collection=job").status());
        Reply batch = http.post("/batch", """
                {"batch":[{"method":"GET","operation_id":"b","collection":"bisect","query":"collection=build&build_id=%s"}]}"""
                .formatted(B5), "Authorization", READER, "Content-Type", "application/json");
        assertEquals(404, json(batch.body()).getJsonArray("result").getJsonObject(0).getInt("code"));
    }

    @Test
    @DisplayName("§9, §8: a bisection's ETag follows its tables; an ArangoDB part reaches the route")
    void tagsAndParts() {
        String path = "/bisect/?collection=boot&boot_id=" + X4;
        Reply first = http.get(path, "Authorization", READER);
        String tag = first.header("ETag");
        assertEquals(304, http.get(path, "Authorization", READER, "If-None-Match", tag).status());
        String boundary = "p4rt";
        String body = "--" + boundary + "\r\nContent-Type: application/x-arango-batchpart\r\n\r\nGET /bisect?collection=build&"
                + "build_id=" + B1 + " HTTP/1.1\r\n\r\n\r\n--" + boundary + "--\r\n";
        Reply parts = http.send("POST", "/batch", body.getBytes(StandardCharsets.UTF_8), "Authorization", READER,
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertTrue(parts.body().contains("HTTP/1.1 400 Bad Request") && parts.body().contains("cannot be bisected"),
                parts.body());
        // A write to builds changes the boot bisection's tag (its items join builds).
        Reply written = http.send("PUT", "/build/" + B4_OTHER_DEFCONFIG, "{\"warnings\":3}".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/json");
        assertEquals(200, written.status(), written.body());
        Reply after = http.get(path, "Authorization", READER, "If-None-Match", tag);
        assertEquals(200, after.status());
        assertNotEquals(tag, after.header("ETag"));
    }
}

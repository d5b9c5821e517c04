package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** CONTRACT.md sections 1-3 over HTTP, on the fixed data set (today is 2014-12-08). */
class CollectionsIT {
    static final String J1 = "547c3c20a000000000000001";
    static final String J2 = "54818220a000000000000002";
    static final String J3 = "54841710a000000000000003";
    static final String J4 = "54855a80a000000000000004";
    static final String J5 = "546d2f00a000000000000005";
    static final String B1 = "547c4a30b000000000000006";
    static final String B2 = "547c5138b000000000000007";
    static final String B4 = "54819030b000000000000009";
    static final String B5 = "54819738b00000000000000a";
    static final String B6 = "54842520b00000000000000b";
    static final String B7 = "54856890b00000000000000c";
    static final String BOOT1 = "547c6650c00000000000000d";
    static final String BOOT2 = "547c7460c00000000000000e";
    static final String BOOT3 = "547c8270c00000000000000f";
    static final String BOOT4 = "5481ac50c000000000000010";
    static final String BOOT5 = "5481ba60c000000000000011";
    static final String BOOT6 = "5481c870c000000000000012";
    static final String BOOT7 = "54844140c000000000000013";
    static final String BOOT8 = "54844f50c000000000000014";
    static final String BOOT9 = "548576a0c000000000000015";
    static final String BOOT10 = "54824700c000000000000016";

    private static HttpProbe http;

    @BeforeAll
    static void start() {
        http = FixtureServer.get().http();
    }

    static Reply read(String path) {
        return http.get(path, "Authorization", FixtureServer.READER_TOKEN);
    }

    /** The ids of the documents a list query returned, in order. */
    static List<String> ids(String path) {
        Reply reply = read(path);
        assertEquals(200, reply.status(), path + " -> " + reply.body());
        return json(reply.body()).getJsonArray("result").stream()
                .map(v -> v.asJsonObject().getJsonObject("_id").getString("$oid")).toList();
    }

    @Test
    @DisplayName("§1 documents in the kernelci wire format; §3 the list envelope")
    void jobDocument() {
        Reply reply = read("/job?job=mainline");
        assertEquals(200, reply.status());
        assertEquals("""
                {"code":200,"count":1,"limit":10000,"skip":0,"result":[{"_id":{"$oid":"547c3c20a000000000000001"},\
                "created_on":{"$date":1417428000000},"name":"mainline-v3.18-rc7","job":"mainline",\
                "kernel":"v3.18-rc7","status":"PASS","private":false,"git_branch":"master",\
                "git_commit":"1291934c3e9965dfcd328e7826bd4e95ec730d50","git_describe":"v3.18-rc7",\
                "git_url":"git://git.kernel.org/mainline.git","version":"1.0"}]}""".replace("\"created_on\":{\"$date\":1417428000000},",
                "\"created_on\":{\"$date\":1417428000000},\"updated_on\":null,").replace("\"version\":\"1.0\"}",
                "\"version\":\"1.0\",\"kernel_version\":null,\"git_describe_v\":null,\"compiler\":null,"
                + "\"compiler_version\":null,\"compiler_version_ext\":null,\"compiler_version_full\":null,\"cross_compile\":null}"),
                reply.body());
    }

    @Test
    @DisplayName("§1 boot: _id and references as $oid (build_id beside defconfig_id), created_on and the boot time as $date, every member, null when unset")
    void bootDocument() {
        Reply reply = read("/boot/" + BOOT1);
        assertEquals(200, reply.status());
        assertEquals("""
                {"code":200,"result":[{"_id":{"$oid":"547c6650c00000000000000d"},"created_on":{"$date":1417438800000},\
                "name":"beaglebone-black-mainline-v3.18-rc7-multi_v7_defconfig-arm","job":"mainline",\
                "job_id":{"$oid":"547c3c20a000000000000001"},"kernel":"v3.18-rc7","defconfig":"multi_v7_defconfig",\
                "defconfig_full":"multi_v7_defconfig","defconfig_id":{"$oid":"547c4a30b000000000000006"},"build_id":{"$oid":"547c4a30b000000000000006"},\
                "arch":"arm","board":"beaglebone-black","lab_name":"lab-collabora","status":"PASS",\
                "time":{"$date":12345},"warnings":0,"retries":0,"git_branch":"master","version":"1.0"}]}""",
                withoutUnset(reply.body()));
        // Every other member is written too, unset: in declaration order, null or as its type says.
        JsonObject boot = json(reply.body()).getJsonArray("result").getJsonObject(0);
        List<String> declared = new java.util.ArrayList<>();
        for (org.kernelci.batch.schema.Field field : org.kernelci.batch.schema.Collections.BOOT.fields()) {
            if (field.type() != org.kernelci.batch.schema.FieldType.EXTRAS) {
                declared.add(field.name());
                declared.addAll(field.aliases());
            }
        }
        assertEquals(declared, List.copyOf(boot.keySet()));
        assertEquals("{}", boot.get("metadata").toString());
        assertEquals(jakarta.json.JsonValue.NULL, boot.get("board_instance"));
    }

    /** A body without its unset members ({@code null}, {@code []}, <code>{}</code>), text for text. */
    static String withoutUnset(String body) {
        return body.replaceAll(",\"\\w+\":(null|\\[\\]|\\{\\})", "");
    }

    @Test
    @DisplayName("§1 free-form members come back as stored JSON; numbers keep their type")
    void buildDocumentWithJson() {
        JsonObject build = json(read("/defconfig/" + B7).body()).getJsonArray("result").getJsonObject(0);
        assertEquals(json("{\"note\": \"first mips\"}"), build.getJsonObject("metadata"));
        assertEquals("[\"x86_64\",\"Linux\"]", build.getJsonArray("build_platform").toString());
        assertEquals(jakarta.json.JsonValue.NULL, build.get("errors"));
        JsonObject b1 = json(read("/build/" + B1).body()).getJsonArray("result").getJsonObject(0);
        assertEquals(123.5, b1.getJsonNumber("build_time").doubleValue());
        assertEquals(2, b1.getInt("warnings"));
    }

    @Test
    @DisplayName("§3 GET /<collection>/<id>: 400 for a malformed id, 404 for a missing one")
    void byId() {
        assertEquals("{\"code\":400,\"reason\":\"Wrong ID value provided\"}", read("/job/not-an-id").body());
        Reply missing = read("/job/0123456789abcdef01234567");
        assertEquals(404, missing.status());
        assertEquals("{\"code\":404,\"reason\":\"Resource '0123456789abcdef01234567' not found\"}", missing.body());
        assertEquals(List.of(J1), ids("/job/" + J1.toUpperCase()));
        assertEquals("{\"code\":200,\"result\":[{\"job\":\"mainline\"}]}", read("/job/" + J1 + "?field=job&nfield=_id").body());
        Reply ignoring = read("/job/" + J1 + "?job=mainline&field=job&field=nope");
        assertEquals("{\"code\":200,\"result\":[{\"_id\":{\"$oid\":\"" + J1 + "\"},\"job\":\"mainline\"}]}", ignoring.body());
        assertEquals("job,field=nope", ignoring.header("X-Kci-Ignored"));
    }

    @Test
    @DisplayName("§2 without sort, documents come in _id order")
    void defaultOrder() {
        assertEquals(List.of(J5, J1, J2, J3, J4), ids("/job"));
        assertEquals(List.of(BOOT1, BOOT2, BOOT3, BOOT4, BOOT5, BOOT6, BOOT10, BOOT7, BOOT8, BOOT9), ids("/boot?field=board"));
    }

    @Test
    @DisplayName("§2 equality filters combine with AND; a repeated key is OR")
    void filters() {
        assertEquals(List.of(BOOT2, BOOT6, BOOT9), ids("/boot?status=FAIL"));
        assertEquals(List.of(BOOT6, BOOT9), ids("/boot?status=FAIL&job=next"));
        assertEquals(List.of(BOOT4, BOOT8), ids("/boot?status=OFFLINE&status=UNTRIED"));
        assertEquals(List.of(BOOT7, BOOT8), ids("/boot?build_id=" + B6));
        assertEquals(List.of(BOOT7, BOOT8), ids("/boot?defconfig_id=" + B6));
        assertEquals(List.of(BOOT1, BOOT2, BOOT3), ids("/boot?job_id=" + J1));
        assertEquals(List.of(BOOT8), ids("/boot?fastboot=true"));
        assertEquals(List.of(BOOT8), ids("/boot?fastboot=1"));
        assertEquals(List.of(J5), ids("/job?private=true"));
        assertEquals(List.of(BOOT2), ids("/boot?retries=2"));
        assertEquals(List.of(BOOT1), ids("/boot?time=12345"));
        assertEquals(List.of(BOOT9), ids("/boot?boot_result_description=Kernel+oops+%22unaligned%22"));
        assertEquals(List.of(), ids("/boot?board=x%27%3B+drop+table+boot%3B--"));
    }

    @Test
    @DisplayName("§2 the literal null means IS NULL, also among other values")
    void nulls() {
        assertEquals(List.of(BOOT10), ids("/boot?lab_name=null"));
        assertEquals(List.of(BOOT10, BOOT9), ids("/boot?lab_name=null&lab_name=lab-mhart"));
        assertEquals(List.of(B7), ids("/defconfig?errors=null"));
    }

    @Test
    @DisplayName("§2 gte, gt, lte, lt take field,value and combine with AND, also with equality")
    void ranges() {
        assertEquals(List.of(B2, B5), ids("/defconfig?gte=errors,1"));
        assertEquals(List.of(B2), ids("/defconfig?gte=errors,1&errors=3"));
        assertEquals(List.of(B4), ids("/defconfig?gte=warnings,1&lt=warnings,2"));
        assertEquals(List.of(B2, B5), ids("/defconfig?gt=build_time,200&lte=build_time,301.25"));
        assertEquals(List.of(J3, J4), ids("/job?gte=created_on,2014-12-07"));
        assertEquals(List.of(J3), ids("/job?gte=created_on,2014-12-07&lt=created_on,2014-12-08T00:00:00Z"));
    }

    @Test
    @DisplayName("§2 date_range and created_on: whole UTC days up to today or up to created_on")
    void dates() {
        assertEquals(List.of(BOOT9), ids("/boot?date_range=0"));
        assertEquals(List.of(J3, J4), ids("/job?date_range=1"));
        assertEquals(List.of(BOOT6, BOOT9), ids("/boot?job=next&status=FAIL&date_range=5"));
        assertEquals(List.of(BOOT4, BOOT5, BOOT6), ids("/boot?created_on=2014-12-05"));
        assertEquals(List.of(BOOT4, BOOT5, BOOT6), ids("/boot?created_on=20141205"));
        assertEquals(List.of(BOOT4, BOOT5, BOOT6, BOOT10), ids("/boot?created_on=2014-12-06&date_range=1"));
        assertEquals(List.of(J5, J1, J2, J3, J4), ids("/job?date_range=100000000"));
    }

    @Test
    @DisplayName("§2 field and nfield project; _id always unless excluded")
    void projection() {
        assertEquals("""
                {"code":200,"count":2,"limit":10000,"skip":0,"result":[{"_id":{"$oid":"5481c870c000000000000012"},"board":"juno"},\
                {"_id":{"$oid":"548576a0c000000000000015"},"board":"malta"}]}""",
                read("/boot?job=next&status=FAIL&date_range=5&field=board").body());
        assertEquals("""
                {"code":200,"count":1,"limit":10000,"skip":0,"result":[{"job":"stable","kernel":"v3.17.4"}]}""",
                read("/job?job=stable&field=job&field=kernel&nfield=_id").body());
        JsonObject job = json(read("/job?job=stable&nfield=git_commit&nfield=git_url").body())
                .getJsonArray("result").getJsonObject(0);
        assertEquals(false, job.containsKey("git_commit"));
        assertEquals(true, job.containsKey("git_branch"));
    }

    @Test
    @DisplayName("§2 sort and sort_order (default -1) apply to every sort field; _id breaks ties")
    void sorting() {
        assertEquals(List.of(BOOT9, BOOT10, BOOT3), ids("/boot?sort=time&sort_order=1&limit=3"));
        assertEquals(List.of(BOOT10, BOOT8, BOOT5, BOOT2), ids("/boot?sort=board&sort=created_on&limit=4"));
        assertEquals(List.of(BOOT6, BOOT3), ids("/boot?board=juno&sort=board"));
        assertEquals(List.of(BOOT3, BOOT6), ids("/boot?board=juno&sort=board&sort_order=1"));
        assertEquals(List.of(BOOT6, BOOT3), ids("/boot?board=juno&sort=board&sort_order=-1&sort=created_on"));
        assertEquals(List.of(J4, J3, J2, J1, J5), ids("/job?sort=created_on"));
    }

    @Test
    @DisplayName("§2 limit and skip page stably; count is the total")
    void paging() {
        Reply reply = read("/boot?field=board&limit=3&skip=3");
        JsonObject body = json(reply.body());
        assertEquals(10, body.getInt("count"));
        assertEquals(3, body.getInt("limit"));
        assertEquals(3, body.getInt("skip"));
        assertEquals(List.of(BOOT4, BOOT5, BOOT6), ids("/boot?field=board&limit=3&skip=3"));
        assertEquals(List.of(BOOT9), ids("/boot?limit=3&skip=9"));
        assertEquals(List.of(), ids("/boot?skip=10"));
        assertEquals(10, json(read("/boot?skip=10").body()).getInt("count"));
    }

    @Test
    @DisplayName("§2 aggregate: one document per distinct value, the first in sort order")
    void aggregate() {
        assertEquals(List.of(BOOT1, BOOT2, BOOT3, BOOT10, BOOT9), ids("/boot?aggregate=board&field=board"));
        assertEquals(5, json(read("/boot?aggregate=board").body()).getInt("count"));
        assertEquals(List.of(BOOT9, BOOT8, BOOT7, BOOT10, BOOT6), ids("/boot?aggregate=board&sort=created_on"));
        assertEquals(List.of(BOOT9, BOOT8), ids("/boot?aggregate=board&sort=created_on&limit=2"));
        assertEquals(List.of(BOOT1, BOOT2, BOOT3, BOOT10, BOOT7, BOOT8, BOOT9),
                ids("/boot?aggregate=board&aggregate=lab_name"));
    }

    @Test
    @DisplayName("§2 a leading ? of the query string is ignored")
    void leadingQuestionMark() {
        assertEquals(List.of(J5), ids("/job??limit=1"));
    }

    @Test
    @DisplayName("§2 a filter value with too many conditions is a 400, not a database error")
    void tooManyConditions() {
        StringBuilder query = new StringBuilder("field=job");
        for (int i = 0; i < 1001; i++) {
            query.append("&gte=warnings,").append(i);
        }
        Reply reply = http.post("/batch", "{\"batch\":[{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\""
                + query + "\"}]}", "Authorization", FixtureServer.READER_TOKEN, "Content-Type", "application/json");
        assertEquals(json("{\"code\":400,\"reason\":\"Too many conditions in the query: 1001 (the limit is 1000)\"}"),
                json(reply.body()).getJsonArray("result").getJsonObject(0));
    }

    @Test
    @DisplayName("§1 build is an alias of defconfig")
    void buildAlias() {
        assertEquals(ids("/defconfig?job=mainline&field=arch"), ids("/build?job=mainline&field=arch"));
    }

    @Test
    @DisplayName("§3 GET /count and /count/<collection>, with and without filters")
    void counts() {
        assertEquals("""
                {"code":200,"result":[{"collection":"job","count":5},{"collection":"defconfig","count":7},\
                {"collection":"boot","count":10}]}""", read("/count").body());
        assertEquals("""
                {"code":200,"result":[{"collection":"job","count":1},{"collection":"defconfig","count":2},\
                {"collection":"boot","count":3}]}""", read("/count?status=FAIL").body());
        assertEquals("""
                {"code":200,"result":[{"collection":"job","count":0},{"collection":"defconfig","count":0},\
                {"collection":"boot","count":3}]}""", read("/count?board=panda").body());
        assertEquals("{\"code\":200,\"result\":[{\"collection\":\"boot\",\"count\":3}]}",
                read("/count/boot?status=PASS&date_range=5").body());
        assertEquals("{\"code\":200,\"result\":[{\"collection\":\"build\",\"count\":3}]}",
                read("/count/build?job=mainline").body());
        assertEquals("{\"code\":200,\"result\":[{\"collection\":\"job\",\"count\":0}]}",
                read("/count/job?board=panda").body());
        assertEquals("{\"code\":404,\"reason\":\"Collection foo not found\"}", read("/count/foo").body());
        assertEquals("{\"code\":400,\"reason\":\"Unknown query key 'foo' (value 'bar')\"}", read("/count?foo=bar").body());
    }

    @Test
    @DisplayName("§1 lab needs an admin or superuser token")
    void lab() {
        assertEquals(403, read("/lab").status());
        assertEquals(403, read("/count/lab").status());
        Reply reply = http.get("/lab", "Authorization", TestServer.ADMIN_TOKEN);
        assertEquals(200, reply.status());
        JsonObject lab = json(reply.body()).getJsonArray("result").getJsonObject(0);
        assertEquals("lab-collabora", lab.getString("name"));
        assertEquals("Cambridge", lab.getJsonObject("address").getString("city"));
        assertEquals(JsonValue.ValueType.OBJECT, lab.get("created_on").getValueType());
    }

    @Test
    @DisplayName("§5 a missing or unknown token is a 403")
    void tokens() {
        String forbidden = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";
        assertEquals(forbidden, http.get("/job").body());
        assertEquals(forbidden, http.get("/job", "Authorization", "nope").body());
        assertEquals(200, http.get("/job", "Authorization", "Bearer " + FixtureServer.READER_TOKEN).status());
        assertEquals(200, http.get("/job", "Authorization", "token " + FixtureServer.READER_TOKEN).status());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @DisplayName("§2 a malformed value of a known key is a 400 naming it")
    @CsvSource(delimiter = '|', value = {
        "/job?limit=abc | Invalid value for 'limit': 'abc' (expected an integer >= 0)",
        "/job?skip=-1 | Invalid value for 'skip': '-1' (expected an integer >= 0)",
        "/job?date_range=-x | Invalid value for 'date_range': '-x' (expected an integer >= 0)",
        "/boot?warnings=many | Invalid value for 'warnings': 'many' (expected an integer for field 'warnings')",
        "/boot?gte=status | Invalid value for 'gte': 'status' (expected 'field,value')",
        "/boot?gte=nope,1 | Invalid value for 'gte': unknown field 'nope'",
        "/count/job?retries=abc | Invalid value for 'retries': 'abc' (expected an integer for field 'retries')",
        "/count?limit=abc | Invalid value for 'limit': 'abc' (expected an integer >= 0)",
        "/count?sort_order=up | Invalid value for 'sort_order': 'up' (expected 1 or -1)",
        "/count?metadata=%7B%7D | Field 'metadata' in 'metadata={}' cannot be filtered: it is free-form JSON",
        "/boot?status=x%00y | Invalid value for 'status': 'x\u0000y' (expected text without NUL characters for field 'status')",
        "/boot?limit=%EF%BC%95 | Invalid value for 'limit': '\uff15' (expected an integer >= 0)",
        "/boot?warnings=%D9%A3 | Invalid value for 'warnings': '\u0663' (expected an integer for field 'warnings')",
        "/defconfig?build_time=1e5000 | Invalid value for 'build_time': '1e5000' (expected a number for field 'build_time')",
        "/defconfig?build_time=0x10 | Invalid value for 'build_time': '0x10' (expected a number for field 'build_time')",
        "/boot?sort_order=2 | Invalid value for 'sort_order': '2' (expected 1 or -1)",
        "/boot?created_on=yesterday | Invalid value for 'created_on': 'yesterday' (expected a date as YYYY-MM-DD or YYYYMMDD)",
        "/boot?fastboot=maybe | Invalid value for 'fastboot': 'maybe' (expected true, false, 1 or 0 for field 'fastboot')",
        "/boot?job_id=zzz | Invalid value for 'job_id': 'zzz' (expected a 24-digit hexadecimal id for field 'job_id')",
        "/boot?metadata=x | Field 'metadata' in 'metadata=x' cannot be filtered: it is free-form JSON",
        "/boot?board=%e9 | Malformed query string at 'board=%e9': escapes that are not UTF-8",
        "/defconfig?errors=99999999999 | Invalid value for 'errors': '99999999999' (expected an integer for field 'errors')",
    })
    void badRequests(String path, String reason) {
        Reply reply = read(path);
        assertEquals(400, reply.status(), reply.body());
        assertEquals(json("{\"code\":400,\"reason\":\"\"}").getInt("code"), json(reply.body()).getInt("code"));
        assertEquals(reason, json(reply.body()).getString("reason"));
    }
}

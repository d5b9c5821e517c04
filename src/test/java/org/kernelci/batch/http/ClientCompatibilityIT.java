package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.kernelci.batch.testing.FixtureServer.json;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * The revised CONTRACT.md sections 2-4 that real clients needed: ignored keys named in
 * {@code X-Kci-Ignored} (and strict mode), {@code time_range}, {@code distinct} as a route and a
 * batch key, sub-routes of a collection. On the fixed data set; "now" is 2014-12-08T12:00Z.
 */
class ClientCompatibilityIT {
    private static HttpProbe http;
    private static TestServer strict;

    @BeforeAll
    static void start() {
        http = FixtureServer.get().http();
        strict = TestServer.start(FixtureServer.get().jdbcUrl(), Clock.fixed(FixtureServer.NOW, ZoneOffset.UTC),
                Map.of(Setting.STRICT_QUERY, "true"));
    }

    @AfterAll
    static void stop() {
        strict.close();
    }

    static Reply read(HttpProbe probe, String path) {
        return probe.get(path, "Authorization", FixtureServer.READER_TOKEN);
    }

    static Reply batch(String body) {
        return http.post("/batch", body, "Authorization", FixtureServer.READER_TOKEN, "Content-Type", "application/json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/boot?fields=board&sort_on=board&status=FAIL | fields,sort_on                | 3",
            "/boot?status=FAIL&field=nope&sort=nope2      | field=nope,sort=nope2         | 3",
            "/boot?compiler_version_ext=x&status=FAIL     |                               | 0",
            "/boot?bogus=1&bogus=2&aggregate=nope         | bogus,aggregate=nope          | 10",
            "/count/boot?field=nope&status=FAIL           | field=nope                    | -1",
            "/boot/distinct/board?sort_on=x&status=FAIL   | sort_on                       | -1",
    })
    @DisplayName("§2 unknown keys and field names are ignored and named in X-Kci-Ignored; strict mode makes them 400s")
    void ignored(String path, String ignored, int count) {
        Reply reply = read(http, path);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(ignored, reply.header("X-Kci-Ignored"));
        if (count >= 0) {
            assertEquals(count, json(reply.body()).getInt("count"));
        }
        Reply refused = read(strict.http(), path);
        assertEquals(ignored == null ? 200 : 400, refused.status(), refused.body());
    }

    @Test
    @DisplayName("§2 a malformed value of a known key stays a 400; /count still refuses a key no collection has")
    void stillRefused() {
        assertEquals(400, read(http, "/boot?limit=abc&bogus=1").status());
        assertEquals("{\"code\":400,\"reason\":\"Unknown query key 'bogus' (value '1')\"}", read(http, "/count/boot?bogus=1").body());
    }

    @Test
    @DisplayName("§4 a batch ignores unknown keys and field names in its operations")
    void batchIgnores() {
        Reply reply = batch("""
                {"batch":[{"method":"GET","operation_id":"a","collection":"boot","query":"status=FAIL&fields=board"},
                          {"method":"GET","operation_id":"b","collection":"count","document_id":"boot","query":"status=FAIL&field=nope"}]}""");
        assertEquals(200, reply.status());
        assertNull(reply.header("X-Batch-Errors"));
        assertEquals(3, json(reply.body()).getJsonArray("result").getJsonObject(0).getInt("count"));
        assertEquals(3, json(reply.body()).getJsonArray("result").getJsonObject(1).getJsonArray("result")
                .getJsonObject(0).getInt("count"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/boot?time_range=180   | 1",
            "/boot?time_range=60    | 0",
            "/boot?time_range=5     | 0",
            "/boot?time_range=-180  | 1",
            "/boot?time_range=99999&date_range=0 | 3",
            "/boot?time_range=1440&created_on=2014-12-01 | 3",
    })
    @DisplayName("§2 time_range: created_on in the last M minutes (M's absolute value, clamped to [10, 1440]); it replaces date_range and created_on")
    void timeRange(String path, int count) {
        Reply reply = read(http, path);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(count, json(reply.body()).getInt("count"));
    }

    @Test
    @DisplayName("§2 time_range applies to counts; a malformed one is a 400 naming it")
    void timeRangeCountsAndErrors() {
        assertEquals("{\"code\":200,\"result\":[{\"collection\":\"boot\",\"count\":3}]}",
                read(http, "/count/boot?time_range=1440").body());
        assertEquals("{\"code\":400,\"reason\":\"Invalid value for 'time_range': 'soon' (expected an integer number of minutes)\"}",
                read(http, "/boot?time_range=soon").body());
    }

    @Test
    @DisplayName("§3 GET /<collection>/distinct/<field>: sorted values, null left out, bound filters, count")
    void distinctRoute() {
        assertEquals("{\"code\":200,\"result\":[\"lab-baylibre\",\"lab-collabora\",\"lab-mhart\"],\"count\":3}",
                read(http, "/boot/distinct/lab_name").body());
        assertEquals("{\"code\":200,\"result\":[\"juno\",\"malta\",\"panda\"],\"count\":3}",
                read(http, "/boot/distinct/board/?status=FAIL").body());
        assertEquals("{\"code\":200,\"result\":[0,1,3],\"count\":3}", read(http, "/boot/distinct/warnings").body());
        assertEquals("{\"code\":200,\"result\":[{\"$oid\":\"54818220a000000000000002\"},{\"$oid\":\"54855a80a000000000000004\"}],\"count\":2}",
                read(http, "/boot/distinct/job_id?job=next").body());
        assertEquals("{\"code\":200,\"result\":[\"arm\",\"arm64\",\"mips\",\"x86\"],\"count\":4}",
                read(http, "/build/distinct/arch").body());
        assertEquals("{\"code\":200,\"result\":[],\"count\":0}", read(http, "/boot/distinct/board?board=nope").body());
        assertEquals("{\"code\":400,\"reason\":\"Invalid value for 'distinct': 'metadata' is not a scalar field of boot\"}",
                read(http, "/boot/distinct/metadata").body());
        assertEquals(400, read(http, "/boot/distinct/nope").status());
        assertEquals(403, http.get("/lab/distinct/name", "Authorization", FixtureServer.READER_TOKEN).status());
    }

    @Test
    @DisplayName("§4 distinct in a batch, and count-distinct with the count collection, in both spellings")
    void distinctInBatch() {
        Reply reply = batch("""
                {"batch":[{"method":"GET","operation_id":"labs","resource":"boot","distinct":"lab_name","query":"status=PASS"},
                          {"method":"GET","operation_id":"n","resource":"count","document":"boot","distinct":"board"},
                          {"method":"GET","operation_id":"m","collection":"count","document_id":"build","distinct":"arch"},
                          {"method":"GET","operation_id":"bad","collection":"boot","distinct":"metadata"},
                          {"method":"GET","operation_id":"no-doc","collection":"count","distinct":"board"}]}""");
        assertEquals(200, reply.status());
        assertEquals("2", reply.header("X-Batch-Errors"));
        assertEquals(json("""
                {"code":200,"result":[
                 {"operation_id":"labs","code":200,"result":[{"result":["lab-baylibre","lab-collabora"],"count":2}]},
                 {"operation_id":"n","code":200,"result":[{"field":"board","count":5,"resource":"boot"}]},
                 {"operation_id":"m","code":200,"result":[{"field":"arch","count":4,"collection":"build"}]},
                 {"operation_id":"bad","code":400,"reason":"Invalid value for 'distinct': 'metadata' is not a scalar field of boot"},
                 {"operation_id":"no-doc","code":400,"reason":"'distinct' on 'count' needs the collection to count in 'document_id' (or 'document')"}]}"""),
                json(reply.body()));
    }

    @ParameterizedTest
    @CsvSource({"/job/compare/547c6650c00000000000000d/more", "/lab/compare", "/job/547c3c20a000000000000001/regressions",
            "/boot/547c6650c00000000000000d/regressions/more",
            "/boot/distinct", "/boot/distinct/board/more", "/boot/547c6650c00000000000000d/logs", "/test",
            "/test/group/547c6650c00000000000000d/more"})
    @DisplayName("§3 another path under a collection is a 404, not a malformed id")
    void subRoutes(String path) {
        assertEquals("{\"code\":404,\"reason\":\"Resource not found\"}", read(http, path).body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/boot/regressions|{\"code\":200,\"count\":0,\"limit\":10000,\"skip\":0,\"result\":[]}",
            "/boot/regressions/?job=mainline&kernel=v3.18-rc7|{\"code\":200,\"count\":0,\"limit\":10000,\"skip\":0,\"result\":[]}",
            "/boot/547c7460c00000000000000e/regressions|{\"code\":200,\"count\":0,\"result\":[]}",
            "/boot/547c6650c00000000000000d/regressions/|{\"code\":200,\"count\":0,\"result\":[]}"})
    @DisplayName("§12.3 the original's regressions routes answer (the fixture's boots regress nowhere)")
    void regressionRoutes(String path, String body) {
        assertEquals(body, read(http, path).body());
    }

    @Test
    @DisplayName("§4 a sub-route as a batch operation's document is the plain GET's 404")
    void subRoutesInBatches() {
        Reply reply = batch("""
                {"batch":[{"method":"GET","operation_id":"r","collection":"boot","document_id":"regressions"},
                          {"method":"GET","operation_id":"l","collection":"build","document_id":"547c4a30b000000000000006/logs"}]}""");
        assertEquals(200, reply.status());
        for (int i = 0; i < 2; i++) {
            assertEquals(404, json(reply.body()).getJsonArray("result").getJsonObject(i).getInt("code"), reply.body());
        }
    }

    @Test
    @DisplayName("§2 X-Kci-Ignored names what was ignored in the order the query gave it")
    void ignoredInRequestOrder() {
        assertEquals("sort=nope,fields", read(http, "/boot?sort=nope&fields=x").header("X-Kci-Ignored"));
        assertEquals("fields,sort=nope", read(http, "/boot/distinct/board?fields=x&sort=nope").header("X-Kci-Ignored"));
    }
}

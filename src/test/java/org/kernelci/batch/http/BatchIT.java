package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.CountingDataSource;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** CONTRACT.md section 4 over HTTP, on the fixed data set (today is 2014-12-08). */
class BatchIT {
    private static final String JSON = "application/json";
    private static HttpProbe http;
    private static CountingDataSource counting;
    private static TestServer countingServer;

    @BeforeAll
    static void start() {
        http = FixtureServer.get().http();
        String url = FixtureServer.get().jdbcUrl();
        counting = new CountingDataSource(url);
        countingServer = TestServer.start(url, Clock.fixed(FixtureServer.NOW, ZoneOffset.UTC),
                Map.of(Setting.MAX_OPERATIONS, "30", Setting.MAX_BODY_BYTES, "4000"),
                Optional.of(counting.dataSource()));
    }

    @AfterAll
    static void stop() {
        countingServer.close();
    }

    static Reply batch(String body) {
        return http.post("/batch", body, "Authorization", FixtureServer.READER_TOKEN, "Content-Type", JSON);
    }

    static JsonArray entries(String body) {
        Reply reply = batch(body);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result");
    }

    @Test
    @DisplayName("§4 seed: the 2014 spelling, count keyed 'collection'")
    void seed2014() {
        Reply reply = batch("""
                {"batch": [
                  {"method": "GET", "operation_id": "foo", "collection": "count", "document_id": "boot",
                   "query": "status=FAIL&job=next&date_range=5"},
                  {"method": "GET", "operation_id": "bar", "collection": "defconfig",
                   "query": "status=PASS&job=next&date_range=5&field=arch&field=defconfig"}]}""");
        assertEquals(200, reply.status());
        assertNull(reply.header("X-Batch-Errors"));
        assertEquals("""
                {"code":200,"result":[{"operation_id":"foo","code":200,"result":[{"count":2,"collection":"boot"}]},\
                {"operation_id":"bar","code":200,"count":1,"limit":10000,"skip":0,"result":[{"_id":{"$oid":"54819030b000000000000009"},\
                "defconfig":"multi_v7_defconfig","arch":"arm"}]}]}""", reply.body());
    }

    @Test
    @DisplayName("§4 seed: the later spelling, count keyed 'resource', a document by id")
    void seedLater() {
        Reply reply = batch("""
                {"batch": [
                  {"method": "GET", "operation_id": "op-0", "resource": "count", "document": "boot",
                   "query": "status=FAIL&job=next&date_range=5"},
                  {"method": "GET", "operation_id": "op-1", "resource": "defconfig",
                   "query": "status=PASS&job=mainline&date_range=5&field=arch&field=defconfig"},
                  {"method": "GET", "operation_id": "op-2", "resource": "boot", "document": "547c6650c00000000000000d",
                   "query": "field=arch"},
                  {"method": "GET", "operation_id": "op-3", "resource": "boot", "document": "123456789012345678901234"}]}""");
        assertEquals(200, reply.status());
        assertEquals("1", reply.header("X-Batch-Errors"));
        assertEquals("""
                {"code":200,"result":[{"operation_id":"op-0","code":200,"result":[{"count":2,"resource":"boot"}]},\
                {"operation_id":"op-1","code":200,"count":0,"limit":10000,"skip":0,"result":[]},\
                {"operation_id":"op-2","code":200,"result":[{"_id":{"$oid":"547c6650c00000000000000d"},"arch":"arm"}]},\
                {"operation_id":"op-3","code":404,"reason":"Resource '123456789012345678901234' not found"}]}""",
                reply.body());
    }

    @Test
    @DisplayName("§4 both spellings mixed; defconfig and build are one collection; count of everything")
    void mixedSpellings() {
        JsonArray entries = entries("""
                {"batch": [
                  {"method": "get", "collection": "build", "query": "job=mainline&field=arch"},
                  {"method": "GET", "resource": "defconfig", "query": "job=mainline&field=arch"},
                  {"method": "GET", "collection": "count", "resource": "count"},
                  {"method": "GET", "resource": "count", "document": "build", "query": "job=mainline"}]}""");
        assertEquals(entries.getJsonObject(0), entries.getJsonObject(1));
        assertEquals(3, entries.getJsonObject(0).getInt("count"));
        assertEquals(json("""
                {"code":200,"result":[{"count":5,"collection":"job"},{"count":7,"collection":"defconfig"},
                {"count":10,"collection":"boot"}]}"""), entries.getJsonObject(2));
        assertEquals(json("{\"code\":200,\"result\":[{\"count\":3,\"resource\":\"build\"}]}"), entries.getJsonObject(3));
    }

    @Test
    @DisplayName("§4 operation_id is echoed exactly as sent; entries keep request order")
    void operationIds() {
        Reply reply = batch("""
                {"batch": [
                  {"method": "GET", "operation_id": 1.50, "collection": "count", "document_id": "job"},
                  {"method": "GET", "operation_id": ["a", {"b": null}], "collection": "count", "document_id": "job"},
                  {"method": "GET", "operation_id": {"x": "\\u00e9\\"q"}, "collection": "count", "document_id": "job"},
                  {"method": "GET", "operation_id": null, "collection": "count", "document_id": "job"},
                  {"method": "GET", "collection": "count", "document_id": "job"},
                  {"method": "GET", "operation_id": "", "collection": "count", "document_id": "boot"},
                  {"method": "GET", "operation_id": "\\ud800", "collection": "count", "document_id": "boot"}]}""");
        assertEquals(200, reply.status());
        String item = "\"code\":200,\"result\":[{\"count\":5,\"collection\":\"job\"}]}";
        assertEquals("{\"code\":200,\"result\":["
                + "{\"operation_id\":1.50," + item + ","
                + "{\"operation_id\":[\"a\",{\"b\":null}]," + item + ","
                + "{\"operation_id\":{\"x\":\"é\\\"q\"}," + item + ","
                + "{\"operation_id\":null," + item + ","
                + "{" + item + ","
                + "{\"operation_id\":\"\",\"code\":200,\"result\":[{\"count\":10,\"collection\":\"boot\"}]},"
                + "{\"operation_id\":\"\\ud800\",\"code\":200,\"result\":[{\"count\":10,\"collection\":\"boot\"}]}]}",
                reply.body());
    }

    @Test
    @DisplayName("§4 a failing operation fails only its own entry; X-Batch-Errors counts them")
    void perEntryErrors() {
        Reply reply = batch("""
                {"batch": [
                  {"operation_id": "no-method", "collection": "job"},
                  {"method": "POST", "operation_id": "post", "collection": "job"},
                  {"method": "DELETE", "operation_id": "delete", "collection": "job"},
                  {"method": "GET", "operation_id": "unknown", "collection": "foo"},
                  {"method": "GET", "operation_id": "no-collection"},
                  {"method": "GET", "operation_id": "bad-query", "collection": "boot", "query": "limit=abc"},
                  {"method": "GET", "operation_id": "bad-key", "collection": "boot", "query": "gte=foo,1"},
                  {"method": "GET", "operation_id": "bad-id", "collection": "boot", "document_id": "xyz"},
                  {"method": "GET", "operation_id": "lab", "collection": "lab"},
                  {"method": "GET", "operation_id": "count-lab", "collection": "count", "document_id": "lab"},
                  {"method": "GET", "operation_id": "count-foo", "collection": "count", "document_id": "foo"},
                  {"method": "GET", "operation_id": "fine", "collection": "count", "document_id": "job"}]}""");
        assertEquals(200, reply.status());
        assertEquals("11", reply.header("X-Batch-Errors"));
        JsonArray entries = json(reply.body()).getJsonArray("result");
        String[][] expected = {
            {"no-method", "400", "Missing 'method'"},
            {"post", "501", "Method not implemented"},
            {"delete", "501", "Method not implemented"},
            {"unknown", "404", "Collection foo not found"},
            {"no-collection", "400", "Missing 'collection' (or 'resource')"},
            {"bad-query", "400", "Invalid value for 'limit': 'abc' (expected an integer >= 0)"},
            {"bad-key", "400", "Invalid value for 'gte': unknown field 'foo'"},
            {"bad-id", "400", "Wrong ID value provided"},
            {"lab", "403", "Operation not permitted: provided token is not authorized"},
            {"count-lab", "403", "Operation not permitted: provided token is not authorized"},
            {"count-foo", "404", "Collection foo not found"},
        };
        for (int i = 0; i < expected.length; i++) {
            JsonObject entry = entries.getJsonObject(i);
            assertEquals(json("{\"operation_id\":\"" + expected[i][0] + "\",\"code\":" + expected[i][1]
                    + ",\"reason\":\"" + expected[i][2] + "\"}"), entry, expected[i][0]);
        }
        assertEquals(200, entries.getJsonObject(11).getInt("code"));
    }

    @Test
    @DisplayName("§5 an admin token reaches lab through the batch")
    void adminReadsLab() {
        Reply reply = http.post("/batch", "{\"batch\":[{\"method\":\"GET\",\"collection\":\"lab\",\"query\":\"field=name\"}]}",
                "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", JSON);
        assertEquals("{\"code\":200,\"result\":[{\"code\":200,\"count\":1,\"limit\":10000,\"skip\":0,"
                + "\"result\":[{\"_id\":{\"$oid\":\"52c35a80d000000000000017\"},\"name\":\"lab-collabora\"}]}]}", reply.body());
    }

    @Test
    @DisplayName("§4 checks in order: 403, 415, 422, 400")
    void checkingOrder() {
        String valid = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"job\"}]}";
        String forbidden = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";
        assertEquals(forbidden, http.post("/batch", "not json", "Content-Type", "text/plain").body());
        assertEquals(forbidden, http.post("/batch", valid, "Authorization", "wrong", "Content-Type", JSON).body());
        assertEquals(415, http.post("/batch", "not json", "Authorization", FixtureServer.READER_TOKEN).status());
        assertEquals(415, http.post("/batch", valid, "Authorization", FixtureServer.READER_TOKEN,
                "Content-Type", "text/plain").status());
        assertEquals(415, http.post("/batch", valid, "Authorization", FixtureServer.READER_TOKEN,
                "Content-Type", "application/jsonx").status());
        assertEquals(200, http.post("/batch", valid, "Authorization", FixtureServer.READER_TOKEN,
                "Content-Type", "Application/JSON; charset=utf-8").status());
        Reply invalidUtf8 = http.send("POST", "/batch", new byte[] {'{', '"', (byte) 0xC3, '"', '}'},
                "Authorization", FixtureServer.READER_TOKEN, "Content-Type", JSON);
        assertEquals(422, invalidUtf8.status());
        assertEquals("{\"code\":422,\"reason\":\"No JSON data found in the POST request: the body is not valid UTF-8\"}",
                invalidUtf8.body());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @DisplayName("§4 a body that is not JSON is a 422")
    @CsvSource(delimiter = '|', value = {
        "'' | the body is empty",
        "'   ' | the body is empty",
        "{\"batch\": [ | the body is not valid JSON",
        "{\"batch\": []} trailing | the body is not valid JSON",
        "batch | the body is not valid JSON",
        "{\"batch\": [{\"operation_id\": 1e999999999999}]} | the body's JSON exceeds the reader's limits (nesting depth or number size)",
    })
    void notJson(String body, String why) {
        Reply reply = batch(body);
        assertEquals(422, reply.status(), body);
        assertEquals("No JSON data found in the POST request: " + why, json(reply.body()).getString("reason"));
    }

    @Test
    @DisplayName("§4 JSON beyond the reader's limits (deep nesting, long numbers) is a 422, not a 500")
    void jsonBeyondLimits() {
        String deep = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"operation_id\":"
                + "[".repeat(2000) + "]".repeat(2000) + "}]}";
        String longNumber = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"operation_id\":"
                + "9".repeat(5000) + "}]}";
        for (String body : List.of(deep, longNumber)) {
            Reply reply = batch(body);
            assertEquals(422, reply.status(), reply.body());
        }
    }

    @Test
    @DisplayName("§4 a batch whose operations need more bind values than one statement may carry still answers")
    void manyBindValues() {
        String query = java.util.stream.IntStream.range(0, 400).mapToObj(i -> "gte=warnings," + i)
                .collect(java.util.stream.Collectors.joining("&")) + "&limit=1&field=job";
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"operation_id\":").append(i)
                    .append(",\"collection\":\"boot\",\"query\":\"").append(query).append("&skip=").append(i).append("\"}");
        }
        body.append("]}");
        Reply reply = http.post("/batch", body.toString(), "Authorization", FixtureServer.READER_TOKEN,
                "Content-Type", JSON);
        assertEquals(200, reply.status(), reply.body());
        JsonArray entries = json(reply.body()).getJsonArray("result");
        assertEquals(100, entries.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(200, entries.getJsonObject(i).getInt("code"));
            assertEquals(0, entries.getJsonObject(i).getInt("count"));
        }
    }

    @Test
    @DisplayName("§4 an unparseable Content-Type counts as none: 403 without a token, then 415")
    void malformedContentType() {
        String valid = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\"}]}";
        assertEquals(403, http.post("/batch", valid, "Content-Type", "json").status());
        Reply reply = http.post("/batch", valid, "Authorization", FixtureServer.READER_TOKEN, "Content-Type", "json");
        assertEquals(415, reply.status());
        assertEquals("Wrong content type defined: use application/json", json(reply.body()).getString("reason"));
        assertEquals(200, http.post("/batch", valid, "Authorization", FixtureServer.READER_TOKEN, "Content-Type", JSON,
                "Accept", "*/*;q=abc").status());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @DisplayName("§4 a structure problem is a 400 that points at it")
    @CsvSource(delimiter = '|', value = {
        "{} | Provided JSON is not valid: expected an object with a non-empty array 'batch'",
        "{\"batch\": []} | Provided JSON is not valid: expected an object with a non-empty array 'batch'",
        "{\"batch\": 5} | Provided JSON is not valid: expected an object with a non-empty array 'batch'",
        "[1] | [0]: expected an object",
        "[] | Provided JSON is not valid: expected a non-empty array of operations",
        "5 | Provided JSON is not valid: expected an object with a non-empty array 'batch'",
        "{\"batch\": [\"x\"]} | batch[0]: expected an object",
        "{\"batch\": [{\"method\": \"GET\"}, {\"foo\": 1}]} | batch[1]: unknown key 'foo'",
        "{\"batch\": [{\"method\": \"GET\", \"query\": 5}]} | batch[0]: 'query' must be a string",
        "{\"batch\": [{\"method\": [\"GET\"]}]} | batch[0]: 'method' must be a string",
        "{\"batch\": [{\"collection\": \"job\", \"resource\": \"boot\"}]} | batch[0]: 'collection' and 'resource' differ",
        "{\"batch\": [{\"document_id\": \"a\", \"document\": \"b\"}]} | batch[0]: 'document_id' and 'document' differ",
    })
    void badStructure(String body, String reason) {
        Reply reply = batch(body);
        assertEquals(400, reply.status(), body);
        assertEquals(reason, json(reply.body()).getString("reason"));
    }

    @Test
    @DisplayName("§4 limits: too many operations is a 400 naming the limit, too large a body a 413")
    void limits() {
        HttpProbe limited = countingServer.http();
        StringBuilder many = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 31; i++) {
            many.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"collection\":\"count\"}");
        }
        many.append("]}");
        Reply tooMany = limited.post("/batch", many.toString(), "Authorization", FixtureServer.READER_TOKEN,
                "Content-Type", JSON);
        assertEquals(400, tooMany.status());
        assertEquals("Too many operations in the batch: 31 (the limit is 30)", json(tooMany.body()).getString("reason"));

        String large = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"job\",\"query\":\"job=" + "x".repeat(5000) + "\"}]}";
        Reply tooLarge = limited.post("/batch", large, "Authorization", FixtureServer.READER_TOKEN, "Content-Type", JSON);
        assertEquals(413, tooLarge.status());
        assertEquals("{\"code\":413,\"reason\":\"Request body larger than 4000 bytes\"}", tooLarge.body());

        String huge = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"job\",\"query\":\"job=" + "x".repeat(50_000) + "\"}]}";
        assertEquals(413, limited.post("/batch", huge, "Authorization", FixtureServer.READER_TOKEN,
                "Content-Type", JSON).status());
    }

    @Test
    @DisplayName("§4 a batch costs one database round trip whatever its number of operations")
    void roundTrips() {
        HttpProbe probe = countingServer.http();
        List<Integer> trips = new ArrayList<>();
        List<Integer> statements = new ArrayList<>();
        for (int size : new int[] {1, 5, 20}) {
            StringBuilder body = new StringBuilder("{\"batch\":[");
            for (int i = 0; i < size; i++) {
                String query = i % 2 == 0 ? "status=FAIL&date_range=" + i : "field=board&limit=" + (i + 1);
                String collection = i % 2 == 0 ? "\"collection\":\"count\",\"document_id\":\"boot\"" : "\"collection\":\"boot\"";
                body.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",").append(collection)
                        .append(",\"query\":\"").append(query).append("\"}");
            }
            body.append("]}");
            assertEquals(200, probe.get("/count/job", "Authorization", FixtureServer.READER_TOKEN).status());
            counting.clear();
            Reply reply = probe.post("/batch", body.toString(), "Authorization", FixtureServer.READER_TOKEN,
                    "Content-Type", JSON);
            assertEquals(200, reply.status(), reply.body());
            // A token whose cache entry expired in between is looked up again: not the batch's trip.
            trips.add((int) counting.executions().stream().filter(sql -> !sql.contains("WHERE token_hash = ?")).count());
        }
        assertEquals(List.of(1, 1, 1), trips);

        // Identical operations run once: five copies send the statements of one.
        for (int copies : new int[] {1, 5}) {
            String op = "{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"status=PASS&limit=5\"}";
            String body = "{\"batch\":[" + String.join(",", java.util.Collections.nCopies(copies, op)) + "]}";
            assertEquals(200, probe.get("/count/job", "Authorization", FixtureServer.READER_TOKEN).status());
            counting.clear();
            JsonArray entries = json(probe.post("/batch", body, "Authorization", FixtureServer.READER_TOKEN,
                    "Content-Type", JSON).body()).getJsonArray("result");
            assertEquals(copies, entries.size());
            assertEquals(entries.getJsonObject(0), entries.getJsonObject(copies - 1));
            statements.add(counting.executions().get(0).split(";").length);
        }
        assertEquals(statements.get(0), statements.get(1));
    }

    @Test
    @DisplayName("§4 every batch entry equals the plain GET of the same query")
    void entriesEqualPlainGets() {
        Random random = new Random(20141208);
        String[] collections = {"job", "defconfig", "build", "boot"};
        String[][] filters = {
            {"status=PASS", "status=FAIL", "status=null", "job=next", "job=mainline&job=stable", "arch=arm"},
            {"date_range=3", "created_on=2014-12-05", "gte=created_on,2014-12-02", "", "lt=created_on,2014-12-06"},
            {"", "sort=created_on", "sort=created_on&sort_order=1", "sort=job&sort=created_on", "aggregate=job"},
            {"", "limit=2", "limit=2&skip=1", "skip=3", "field=job&field=created_on", "nfield=name"},
        };
        StringBuilder body = new StringBuilder("{\"batch\":[");
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String collection = collections[random.nextInt(collections.length)];
            List<String> parts = new ArrayList<>();
            for (String[] choices : filters) {
                String choice = choices[random.nextInt(choices.length)];
                if (!choice.isEmpty()) {
                    parts.add(choice);
                }
            }
            String query = String.join("&", parts);
            boolean count = i % 3 == 0;
            JsonObjectBuilder op = Json.createObjectBuilder().add("method", "GET").add("operation_id", i).add("query", query);
            if (count) {
                op.add("collection", "count").add("document_id", collection);
                paths.add("/count/" + collection + "?" + query);
            } else {
                op.add("collection", collection);
                paths.add("/" + collection + "?" + query);
            }
            body.append(i == 0 ? "" : ",").append(op.build());
        }
        body.append("]}");
        Reply reply = http.post("/batch", body.toString(), "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", JSON);
        assertEquals(200, reply.status(), reply.body());
        JsonArray entries = json(reply.body()).getJsonArray("result");
        for (int i = 0; i < paths.size(); i++) {
            Reply plain = http.get(paths.get(i), "Authorization", TestServer.ADMIN_TOKEN);
            JsonObject entry = entries.getJsonObject(i);
            assertEquals(i, entry.getInt("operation_id"));
            JsonObject withoutId = Json.createObjectBuilder(entry).remove("operation_id").build();
            assertEquals(json(plain.body()), withoutId, paths.get(i));
        }
        assertTrue(new String(body).getBytes(StandardCharsets.UTF_8).length > 0);
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.Ids;
import org.kernelci.batch.testing.TestServer;

/** CONTRACT.md section 7, the Appery.io dialect of POST /batch, over HTTP on a database of its own. */
class ApperyBatchIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String TIME = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}";
    private static final String NOWHERE = "000000000000000000000000";
    private static final int MAX_OPERATIONS = 120;
    private static final int MAX_BODY_BYTES = 200_000;
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.systemUTC(), Map.of(Setting.MAX_OPERATIONS, Integer.toString(MAX_OPERATIONS),
                Setting.MAX_BODY_BYTES, Integer.toString(MAX_BODY_BYTES)));
        http = server.http();
        server.addToken("reader", "can_get");
        server.addToken("writer", "can_get", "can_post", "can_delete");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Reply batch(String query, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json"));
        all.addAll(List.of(headers));
        return http.send("POST", "/batch" + query, body.getBytes(StandardCharsets.UTF_8), all.toArray(String[]::new));
    }

    static JsonArray results(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        try (JsonReader reader = Json.createReader(new StringReader(reply.body()))) {
            return reader.readArray();
        }
    }

    static String boot() {
        return IngestIT.boot("appery", "beaglebone");
    }

    static String newBoot() {
        return WritesIT.newBoot(http, "appery");
    }

    static long sql(String query) {
        return WritesIT.sql(server.jdbcUrl(), query);
    }

    static Reply plain(String method, String path, String body, String token) {
        return http.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "Authorization", token, "Content-Type", "application/json");
    }

    static JsonObject document(String collection, String id) {
        Reply reply = http.get("/" + collection + "/" + id, "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    static JsonObject error(JsonObject result) {
        return result.getJsonObject("error");
    }

    @Test
    @DisplayName("§7 the seed's example on boots: POST, PUT, DELETE, the GET sees the PUT, a PUT of a missing id is DBSU205")
    void seedExample() {
        String updated = newBoot();
        String deleted = newBoot();
        Reply reply = batch("", """
                [
                  {"method": "post", "collection": "boot", "data": %s},
                  {"method": "put", "collection": "boot", "_id": "%s", "data": {"board": "max updated"}},
                  {"method": "delete", "collection": "boot", "_id": "%s"},
                  {"method": "get", "collection": "boot", "_id": "%s"},
                  {"method": "put", "collection": "boot", "_id": "%s", "data": {"board": "unexisting boot"}}
                ]""".formatted(boot(), updated, deleted, updated, NOWHERE),
                "X-Appery-Database-Id", "58a59358975a4fa00e0ff50f", "X-Appery-Session-Token", ADMIN);
        JsonArray results = results(reply);
        assertEquals("1", reply.header("X-Batch-Errors"));
        assertEquals(5, results.size());
        JsonObject created = results.getJsonObject(0).getJsonObject("success");
        assertTrue(created.getString("_id").matches("[0-9a-f]{24}"), reply.body());
        assertTrue(created.getString("_createdAt").matches(TIME), reply.body());
        assertEquals(List.of("_id", "_createdAt"), List.copyOf(created.keySet()));
        assertEquals(1, sql("SELECT count(*) FROM boot WHERE id = '" + created.getString("_id") + "'"));
        String updatedAt = results.getJsonObject(1).getJsonObject("success").getString("_updatedAt");
        assertTrue(updatedAt.matches(TIME), reply.body());
        assertEquals(json("{}"), results.getJsonObject(2).getJsonObject("success"));
        assertEquals(0, sql("SELECT count(*) FROM boot WHERE id = '" + deleted + "'"));
        JsonObject got = results.getJsonObject(3).getJsonObject("success");
        assertEquals("max updated", got.getString("board"));
        assertEquals(updated, Ids.of(got));
        assertEquals(got, document("boot", updated), "the document as the plain GET renders it");
        long millis = got.getJsonObject("updated_on").getJsonNumber("$date").longValue();
        assertEquals(updatedAt, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(millis)));
        assertEquals(json("{\"error\":{\"code\":\"DBSU205\",\"description\":"
                + "\"Collection 'boot' doesn't contain object with id " + NOWHERE + ".\"}}"), results.getJsonObject(4));
    }

    @Test
    @DisplayName("§7 GET with a query, counts, a missing id, unknown collections and methods: each its own entry")
    void readsAndEntryErrors() {
        String id = newBoot();
        Reply reply = batch("", """
                [{"method":"GET","collection":"boot","query":"board=beaglebone&limit=1&field=board"},
                 {"method":"Get","collection":"count","_id":"boot","query":"job=appery"},
                 {"method":"get","collection":"count"},
                 {"method":"GET","collection":"build","_id":"%s"},
                 {"method":"GET","collection":"nothing","_id":"%s"},
                 {"method":"PATCH","collection":"boot","_id":"%s","data":{}},
                 {"method":"GET","collection":"boot","_id":"xyz"},
                 {"method":"PUT","collection":"boot","data":{"board":"b"}},
                 {"method":"POST","collection":"boot"},
                 {"method":"POST","collection":"lab","data":{"name":"x"}},
                 {"method":"GET","collection":"lab","_id":"%s"}]""".formatted(id, id, id, id), "Authorization", "reader");
        JsonArray results = results(reply);
        JsonObject listing = results.getJsonObject(0).getJsonObject("success");
        assertEquals(1, listing.getJsonArray("result").size());
        assertEquals(1, listing.getInt("limit"));
        assertTrue(listing.getInt("count") >= 1);
        JsonObject count = results.getJsonObject(1).getJsonObject("success");
        assertEquals("boot", count.getJsonArray("result").getJsonObject(0).getString("collection"));
        assertEquals(sql("SELECT count(*) FROM boot WHERE job = 'appery'"),
                count.getJsonArray("result").getJsonObject(0).getJsonNumber("count").longValue());
        assertEquals(3, results.getJsonObject(2).getJsonObject("success").getJsonArray("result").size());
        assertEquals("DBSU205", error(results.getJsonObject(3)).getString("code"));
        assertEquals("Collection 'build' doesn't contain object with id " + id + ".",
                error(results.getJsonObject(3)).getString("description"));
        assertEquals("KCI404", error(results.getJsonObject(4)).getString("code"));
        assertEquals("KCI501", error(results.getJsonObject(5)).getString("code"));
        assertEquals(json("{\"code\":\"KCI400\",\"description\":\"Wrong ID value provided\"}"), error(results.getJsonObject(6)));
        assertEquals("KCI400", error(results.getJsonObject(7)).getString("code"));
        assertEquals("KCI400", error(results.getJsonObject(8)).getString("code"));
        assertEquals("KCI405", error(results.getJsonObject(9)).getString("code"));
        assertEquals("KCI403", error(results.getJsonObject(10)).getString("code"), "a reader may not read labs");
        assertEquals("8", reply.header("X-Batch-Errors"));
    }

    @Test
    @DisplayName("§7 a read-only token is refused on every write kind, plain and in a batch; its reads still answer")
    void readOnlyTokenRefused() {
        String id = newBoot();
        Reply reply = batch("", """
                [{"method":"POST","collection":"boot","data":%s},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"board":"b"}},
                 {"method":"DELETE","collection":"boot","_id":"%s"},
                 {"method":"GET","collection":"boot","_id":"%s"}]""".formatted(boot(), id, id, id),
                "Authorization", "reader");
        JsonArray results = results(reply);
        for (int i = 0; i < 3; i++) {
            assertEquals("KCI403", error(results.getJsonObject(i)).getString("code"), reply.body());
        }
        assertEquals("beaglebone", results.getJsonObject(3).getJsonObject("success").getString("board"));
        assertEquals("3", reply.header("X-Batch-Errors"));
        assertEquals(1, sql("SELECT count(*) FROM boot WHERE id = '" + id + "' AND board = 'beaglebone' AND updated_on IS NULL"));
        assertEquals(403, plain("POST", "/boot", boot(), "reader").status());
        assertEquals(403, plain("PUT", "/boot/" + id, "{\"board\":\"b\"}", "reader").status());
        assertEquals(403, plain("DELETE", "/boot/" + id, null, "reader").status());
    }

    @Test
    @DisplayName("§7 atomic=true: one failure and nothing is kept (checked in the database); the others are KCI424")
    void atomicRollsBack() {
        String id = newBoot();
        long boots = sql("SELECT count(*) FROM boot");
        String body = """
                [{"method":"POST","collection":"boot","data":%s},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"board":"atomic"}},
                 {"method":"DELETE","collection":"boot","_id":"%s"},
                 {"method":"GET","collection":"boot","_id":"%s"}]""";
        Reply reply = batch("?atomic=true", body.formatted(boot(), id, NOWHERE, id), "Authorization", ADMIN);
        JsonArray results = results(reply);
        assertEquals("DBSU205", error(results.getJsonObject(2)).getString("code"));
        for (int i : new int[] {0, 1, 3}) {
            assertEquals(json("{\"code\":\"KCI424\",\"description\":\"Not applied: operation 2 failed and the batch is atomic\"}"),
                    error(results.getJsonObject(i)), reply.body());
        }
        assertEquals("4", reply.header("X-Batch-Errors"));
        assertEquals(boots, sql("SELECT count(*) FROM boot"));
        assertEquals(0, sql("SELECT count(*) FROM boot WHERE board = 'atomic' OR updated_on IS NOT NULL AND id = '" + id + "'"));

        // A refused operation (planned or authorised) stops an atomic batch before anything runs.
        Reply refused = batch("?atomic=true", """
                [{"method":"PUT","collection":"boot","_id":"%s","data":{"board":"atomic"}},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"warnings":"many"}}]""".formatted(id, id),
                "Authorization", ADMIN);
        JsonArray both = results(refused);
        assertEquals("KCI424", error(both.getJsonObject(0)).getString("code"));
        assertEquals("KCI400", error(both.getJsonObject(1)).getString("code"));
        assertEquals(0, sql("SELECT count(*) FROM boot WHERE board = 'atomic'"));

        // Without atomic, what succeeded is kept.
        JsonArray kept = results(batch("?atomic=false", body.formatted(boot(), id, NOWHERE, id), "Authorization", ADMIN));
        assertTrue(kept.getJsonObject(0).containsKey("success"));
        assertEquals("atomic", kept.getJsonObject(3).getJsonObject("success").getString("board"));
        assertEquals(boots + 1, sql("SELECT count(*) FROM boot"));

        assertEquals(json("{\"code\":400,\"reason\":\"Invalid value for 'atomic': 'yes' (expected true or false)\"}"),
                json(batch("?atomic=yes", body.formatted(boot(), id, NOWHERE, id), "Authorization", ADMIN).body()));
        assertEquals(400, batch("?atomic=", body.formatted(boot(), id, NOWHERE, id), "Authorization", ADMIN).status());
        assertEquals(400, batch("?atomic=TRUE", body.formatted(boot(), id, NOWHERE, id), "Authorization", ADMIN).status());
    }

    @Test
    @DisplayName("§7 a value the database refuses fails its entry only; the others are kept")
    void databaseErrorFailsItsEntry() {
        String id = newBoot();
        StringBuilder board = new StringBuilder();
        Random random = new Random(7);
        // Hard to compress, over an index row's 2,704 bytes.
        for (int i = 0; i < 3600; i++) {
            board.append((char) ('!' + random.nextInt(90)));
        }
        String value = board.toString().replace("\\", "x").replace("\"", "y");
        Reply reply = batch("", """
                [{"method":"PUT","collection":"boot","_id":"%s","data":{"board":"%s"}},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"status":"OFFLINE"}},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"created_on":{"$date":0}}}]"""
                .formatted(id, value, id, id), "Authorization", ADMIN);
        JsonArray results = results(reply);
        assertEquals("KCI400", error(results.getJsonObject(0)).getString("code"));
        assertTrue(error(results.getJsonObject(0)).getString("description").startsWith("A value cannot be stored"), reply.body());
        assertTrue(results.getJsonObject(1).containsKey("success"));
        assertEquals("KCI400", error(results.getJsonObject(2)).getString("code"));
        assertEquals(1, sql("SELECT count(*) FROM boot WHERE id = '" + id + "' AND status = 'OFFLINE' AND board = 'beaglebone'"));
    }

    @Test
    @DisplayName("§7 PUTs in a row (one statement): a missing one, a refused value, atomic or not")
    void putsInARow() {
        List<String> ids = List.of(newBoot(), newBoot(), newBoot());
        String huge = "x".repeat(9000) + new Random(3).ints(3000, 33, 123).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString().replace("\\", "y").replace("\"", "z");
        String put = "{\"method\":\"PUT\",\"collection\":\"boot\",\"_id\":\"%s\",\"data\":{\"board\":\"%s\"}}";
        JsonArray results = results(batch("", "[" + String.join(",", put.formatted(ids.get(0), "row-1"),
                put.formatted(NOWHERE, "row-2"), put.formatted(ids.get(1), "row-3"), put.formatted(ids.get(2), "row-4")) + "]",
                "Authorization", ADMIN));
        assertTrue(results.getJsonObject(0).containsKey("success"));
        assertEquals("DBSU205", error(results.getJsonObject(1)).getString("code"));
        assertEquals(2, sql("SELECT count(*) FROM boot WHERE board IN ('row-1', 'row-3') AND updated_on IS NOT NULL"));
        assertEquals("row-4", document("boot", ids.get(2)).getString("board"));

        String refused = "[" + String.join(",", put.formatted(ids.get(0), "row-5"), put.formatted(ids.get(1), huge),
                put.formatted(ids.get(2), "row-6")) + "]";
        JsonArray atomic = results(batch("?atomic=true", refused, "Authorization", ADMIN));
        assertEquals("KCI400", error(atomic.getJsonObject(1)).getString("code"), atomic.toString());
        assertEquals("KCI424", error(atomic.getJsonObject(0)).getString("code"));
        assertEquals("KCI424", error(atomic.getJsonObject(2)).getString("code"));
        assertEquals(0, sql("SELECT count(*) FROM boot WHERE board IN ('row-5', 'row-6')"));
        JsonArray kept = results(batch("", refused, "Authorization", ADMIN));
        assertEquals("KCI400", error(kept.getJsonObject(1)).getString("code"));
        assertEquals(2, sql("SELECT count(*) FROM boot WHERE board IN ('row-5', 'row-6')"));
    }

    @Test
    @DisplayName("§7 PUTs of different members in a row (one statement): each sets only its members, a null clears, "
            + "a document updated again sees its first update")
    void putsOfDifferentMembersInARow() {
        String a = newBoot();
        String b = newBoot();
        String c = newBoot();
        JsonArray results = results(batch("", """
                [{"method":"PUT","collection":"boot","_id":"%s","data":{"board":"mixed-a","status":"FAIL"}},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"warnings":3}},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"arch":null,"board":"mixed-c"}},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"board":"mixed-a2"}},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"warnings":4}},
                 {"method":"GET","collection":"boot","_id":"%s"}]""".formatted(a, b, c, a, NOWHERE, a),
                "Authorization", ADMIN));
        for (int i : new int[] {0, 1, 2, 3}) {
            assertTrue(results.getJsonObject(i).getJsonObject("success").getString("_updatedAt").matches(TIME), results.toString());
        }
        assertEquals("DBSU205", error(results.getJsonObject(4)).getString("code"));
        JsonObject got = results.getJsonObject(5).getJsonObject("success");
        assertEquals("mixed-a2", got.getString("board"));
        assertEquals("FAIL", got.getString("status"), "the second PUT of a keeps the first's status");
        assertEquals(1, sql("SELECT count(*) FROM boot WHERE id = '" + a + "' AND board = 'mixed-a2' AND status = 'FAIL' AND warnings = 1"));
        assertEquals(1, sql("SELECT count(*) FROM boot WHERE id = '" + b + "' AND board = 'beaglebone' AND status = 'PASS' AND warnings = 3"));
        assertEquals(1, sql("SELECT count(*) FROM boot WHERE id = '" + c + "' AND board = 'mixed-c' AND arch IS NULL AND warnings = 1"));
        assertEquals(3, sql("SELECT count(*) FROM boot WHERE id IN ('" + a + "', '" + b + "', '" + c + "') AND updated_on IS NOT NULL"));
    }

    @Test
    @DisplayName("§7 reports in a row (multi-row inserts): ids in order, one job made once, a boot references the build "
            + "posted before it in the batch and not one posted after")
    void reportsInARow() {
        String build = "{\"job\":\"grouped\",\"kernel\":\"v4.0\",\"defconfig\":\"multi_v7_defconfig\",\"arch\":\"arm\"}";
        String boot = IngestIT.boot("grouped", "%s");
        String post = "{\"method\":\"POST\",\"collection\":\"%s\",\"data\":%s}";
        JsonArray results = results(batch("", "[" + String.join(",", post.formatted("boot", boot.formatted("before")),
                post.formatted("defconfig", build), post.formatted("boot", boot.formatted("after-1")),
                post.formatted("boot", boot.formatted("after-2"))) + "]", "Authorization", ADMIN));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(results.getJsonObject(i).getJsonObject("success").getString("_id"));
        }
        assertEquals(4, Set.copyOf(ids).size(), results.toString());
        assertEquals("before", document("boot", ids.get(0)).getString("board"));
        assertEquals(jakarta.json.JsonValue.NULL, document("boot", ids.get(0)).get("defconfig_id"));
        for (int i : new int[] {2, 3}) {
            JsonObject after = document("boot", ids.get(i));
            assertEquals("after-" + (i - 1), after.getString("board"));
            assertEquals(ids.get(1), after.getJsonObject("defconfig_id").getString("$oid"));
        }
        assertEquals(1, sql("SELECT count(*) FROM job WHERE job = 'grouped' AND kernel = 'v4.0'"));
        assertEquals(3, sql("SELECT count(*) FROM boot WHERE job = 'grouped' AND job_id = (SELECT id FROM job WHERE job = 'grouped')"));
    }

    @Test
    @DisplayName("§7 concurrent batches writing the same documents in different orders all answer 200, no entry a 500")
    void concurrentBatches() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(newBoot());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                long seed = client;
                replies.add(pool.submit(() -> {
                    List<String> order = new ArrayList<>(ids);
                    Collections.shuffle(order, new Random(seed));
                    StringBuilder body = new StringBuilder("[");
                    for (String id : order) {
                        body.append("{\"method\":\"PUT\",\"collection\":\"boot\",\"_id\":\"").append(id)
                                .append("\",\"data\":{\"warnings\":").append(seed).append("}},");
                        body.append("{\"method\":\"POST\",\"collection\":\"boot\",\"data\":")
                                .append(IngestIT.boot("concurrent-" + (seed + order.indexOf(id)) % 3, "b")).append("},");
                    }
                    body.append("{\"method\":\"DELETE\",\"collection\":\"boot\",\"_id\":\"").append(order.get(0)).append("\"}]");
                    Reply last = null;
                    for (int round = 0; round < 5; round++) {
                        last = batch(round % 2 == 0 ? "" : "?atomic=true", body.toString(), "Authorization", ADMIN);
                        assertEquals(200, last.status(), last.body());
                        assertTrue(!last.body().contains("KCI500") && !last.body().contains("KCI409"), last.body());
                    }
                    return last;
                }));
            }
            for (Future<Reply> reply : replies) {
                results(reply.get());
            }
        } finally {
            pool.shutdownNow();
        }
        // Each boot is either deleted or carries one client's value.
        assertTrue(sql("SELECT count(*) FROM boot WHERE id IN ('" + String.join("','", ids) + "') AND warnings NOT BETWEEN 0 AND 7") == 0);
    }

    @ParameterizedTest
    @DisplayName("§7 the shape is checked first: a 400 for the whole batch, naming the element")
    @CsvSource(delimiter = '|', value = {
        "[{\"method\":\"GET\",\"collection\":\"boot\"},{\"method\":\"PUT\",\"collection\":\"boot\",\"_id\":\"x\"},"
                + "{\"method\":\"PUT\",\"collection\":\"boot\",\"_id\":\"x\",\"data\":[1]}] | [2]: 'data' must be an object",
        "[5] | [0]: expected an object",
        "[{\"method\":\"GET\",\"collection\":\"boot\",\"foo\":1}] | [0]: unknown member 'foo'",
        "[{\"method\":\"GET\",\"collection\":\"boot\",\"operation_id\":1}] | [0]: unknown member 'operation_id'",
        "[{\"method\":1,\"collection\":\"boot\"}] | [0]: 'method' must be a string",
        "[{\"method\":\"GET\",\"collection\":[\"boot\"]}] | [0]: 'collection' must be a string",
        "[{\"method\":\"GET\",\"collection\":\"boot\",\"_id\":{\"$oid\":\"x\"}}] | [0]: '_id' must be a string",
        "[{\"method\":\"GET\",\"collection\":\"boot\",\"query\":[]}] | [0]: 'query' must be a string",
        "[{\"collection\":\"boot\"}] | [0]: 'method' is required",
        "[{\"method\":\"GET\",\"collection\":null}] | [0]: 'collection' is required",
        "[] | Provided JSON is not valid: expected a non-empty array of operations",
    })
    void shapeFirst(String body, String reason) {
        Reply reply = batch("", body, "Authorization", ADMIN);
        assertEquals(400, reply.status(), reply.body());
        assertEquals(reason, json(reply.body()).getString("reason"));
    }

    @Test
    @DisplayName("§7 tokens and limits: no token 403, a token header of Appery's, too many operations 400, a body too large 413")
    void tokensAndLimits() {
        String one = "{\"method\":\"GET\",\"collection\":\"count\"}";
        assertEquals(403, batch("", "[" + one + "]").status());
        assertEquals(403, batch("", "[" + one + "]", "X-Appery-Session-Token", "nobody").status());
        assertEquals(200, batch("", "[" + one + "]", "X-Appery-Session-Token", "reader").status());
        assertEquals(403, batch("", "[" + one + "]", "Authorization", "nobody", "X-Appery-Session-Token", ADMIN).status(),
                "Authorization wins when present");
        String many = "[" + String.join(",", Collections.nCopies(MAX_OPERATIONS + 1, one)) + "]";
        Reply tooMany = batch("", many, "Authorization", ADMIN);
        assertEquals(400, tooMany.status());
        assertTrue(tooMany.body().contains("the limit is " + MAX_OPERATIONS), tooMany.body());
        String big = "[{\"method\":\"POST\",\"collection\":\"boot\",\"data\":{\"board\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}}]";
        assertEquals(413, batch("", big, "Authorization", ADMIN).status());
        assertEquals(415, http.send("POST", "/batch", ("[" + one + "]").getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "text/plain").status());
        assertNull(batch("", "[" + one + "]", "Authorization", ADMIN).header("X-Batch-Errors"));
    }

    @Test
    @DisplayName("§7 generated hostile bare arrays (wrong member types, huge data, 10,000 elements, nested arrays): never a 500")
    void hostileArrays() {
        Random random = new Random(20261201);
        String[] methods = {"GET", "post", "Put", "DELETE", "PATCH", "", "get\u0000", "GET "};
        String[] collections = {"boot", "job", "build", "defconfig", "lab", "count", "nothing", "", "BOOT"};
        String[] values = {"1", "-1", "1e400", "null", "true", "[]", "[[[]]]", "{}", "\"\"", "\"x\"", "\"\\u0000\"",
                "\"\\ud800\"", "{\"$oid\":\"54819030b000000000000009\"}", "{\"$date\":-99999999999999}",
                "\"54819030b000000000000009\"", "\"" + NOWHERE + "\"", "\"zzz\"", "1.5", "99999999999"};
        String[] members = {"method", "collection", "_id", "data", "query", "operation_id", "x"};
        String[] fields = {"board", "status", "warnings", "time", "created_on", "_id", "metadata", "job", "kernel",
                "version", "lab_name", "arch", "defconfig", "boot_result", "boot_time", "fastboot", "job_id", "??"};
        for (int round = 0; round < 120; round++) {
            StringBuilder body = new StringBuilder();
            int size = switch (round % 10) {
                case 0 -> 10_000;
                case 1 -> 0;
                default -> 1 + random.nextInt(8);
            };
            body.append('[');
            for (int i = 0; i < size; i++) {
                body.append(i == 0 ? "" : ",");
                if (random.nextInt(12) == 0) {
                    body.append(values[random.nextInt(values.length)]);
                    continue;
                }
                body.append("{\"method\":\"").append(methods[random.nextInt(methods.length)])
                        .append("\",\"collection\":\"").append(collections[random.nextInt(collections.length)]).append('"');
                for (int m = random.nextInt(4); m > 0; m--) {
                    String member = members[random.nextInt(members.length)];
                    if (member.equals("method") || member.equals("collection")) {
                        continue;
                    }
                    body.append(",\"").append(member).append("\":");
                    if (member.equals("data") && random.nextBoolean()) {
                        body.append('{');
                        // Huge data only in short batches: a body far over the limit is cut off unread (413).
                        int count = round % 7 == 0 && size < 10 ? 2_000 : random.nextInt(6);
                        for (int f = 0; f < count; f++) {
                            body.append(f == 0 ? "" : ",").append('"').append(fields[random.nextInt(fields.length)])
                                    .append(f).append(random.nextBoolean() ? "" : "x").append("\":")
                                    .append(values[random.nextInt(values.length)]);
                        }
                        body.append('}');
                    } else {
                        body.append(values[random.nextInt(values.length)]);
                    }
                }
                body.append('}');
            }
            body.append(']');
            if (round % 9 == 0) {
                body.insert(0, "[").append(']');
            }
            Reply reply = batch(random.nextInt(5) == 0 ? "?atomic=true" : "", body.toString(), "Authorization", ADMIN);
            assertTrue(List.of(200, 400, 413, 422).contains(reply.status()), round + ": " + reply.status() + " " + reply.body());
            assertTrue(!reply.body().contains("KCI500"), round + ": " + reply.body());
        }
    }

    @Test
    @DisplayName("§7 data members are checked exactly as the plain report and PUT check them")
    void sameChecksAsPlainRequests() {
        String id = newBoot();
        String badReport = "{\"version\":\"1.0\",\"job\":\"j\",\"kernel\":\"k\",\"defconfig\":\"d\",\"board\":1}";
        Reply plainPost = plain("POST", "/boot", badReport, ADMIN);
        Reply plainPut = plain("PUT", "/boot/" + id, "{\"warnings\":\"x\",\"nope\":1}", ADMIN);
        JsonArray results = results(batch("", """
                [{"method":"POST","collection":"boot","data":%s},
                 {"method":"PUT","collection":"boot","_id":"%s","data":{"warnings":"x","nope":1}}]"""
                .formatted(badReport, id), "Authorization", ADMIN));
        assertEquals(json(plainPost.body()).getString("reason"), error(results.getJsonObject(0)).getString("description"));
        assertEquals(json(plainPut.body()).getString("reason"), error(results.getJsonObject(1)).getString("description"));
        assertEquals("KCI" + plainPost.status(), error(results.getJsonObject(0)).getString("code"));
    }
}

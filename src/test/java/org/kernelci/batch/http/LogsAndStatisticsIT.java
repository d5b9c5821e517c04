package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.ObjectId;
import org.kernelci.batch.sql.Sources;
import org.kernelci.batch.testing.BackgroundWriter;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md sections 12.1 and 12.2: build error logs, a job's log summary and the statistics,
 * computed when read. The views equal a plain recomputation from the documents read in the same
 * snapshot while writers change them through every write path; and the routes answer as the
 * frontend reads them.
 */
class LogsAndStatisticsIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String READER = "logs-reader";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final List<String> LINES = List.of("drivers/gpu/foo.c:12: error: bad", "mm/slab.c:3: warning: unused",
            "arch/arm/x.S:9: error: undefined", "include/linux/y.h:1: warning: shadow", "section mismatch in z.o",
            "kernel/sched.c:44: warning: é unicode");
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        server.addToken(READER, "can_get");
        try (Connection connection = connect()) {
            DataGenerator.load(connection, 2, 3_000, TODAY, null);
            // The logs are this test's own, imported below: the generator's are left out.
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE error_logs");
            }
        }
        Random random = new Random(3);
        StringBuilder lines = new StringBuilder();
        try (Connection connection = connect()) {
            for (String[] build : builds(connection, 120)) {
                lines.append(errorLog(random, build, ObjectId.generate(java.time.Instant.now()))).append('\n');
            }
        }
        Reply imported = http.send("POST", "/import/error_logs", lines.toString().getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
        assertEquals(200, imported.status(), imported.body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
    }

    /** {id, job_id, job, kernel, git_branch} of some builds. */
    private static List<String[]> builds(Connection connection, int limit) throws SQLException {
        List<String[]> builds = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, job_id, job, kernel, git_branch FROM build ORDER BY random() LIMIT "
                     + limit)) {
            while (rows.next()) {
                builds.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5)});
            }
        }
        return builds;
    }

    /** An import line of an error log of the build, with a few lines of each kind, some repeated. */
    private static String errorLog(Random random, String[] build, String id) {
        JsonObject line = Json.createObjectBuilder()
                .add("_id", Json.createObjectBuilder().add("$oid", id))
                .add("build_id", Json.createObjectBuilder().add("$oid", build[0]))
                .add("job_id", build[1] == null ? JsonValue.NULL : Json.createObjectBuilder().add("$oid", build[1]).build())
                .add("job", text(build[2])).add("kernel", text(build[3])).add("git_branch", text(build[4]))
                .add("errors", lines(random)).add("warnings", lines(random)).add("mismatches", lines(random))
                // Computed when read: an import line's is ignored.
                .add("errors_count", 99)
                .add("version", "1.1")
                .build();
        return line.toString();
    }

    /** A member's value: null where an import replaced the build without it. */
    private static JsonValue text(String value) {
        return value == null ? JsonValue.NULL : Json.createValue(value);
    }

    private static JsonArrayBuilder lines(Random random) {
        JsonArrayBuilder lines = Json.createArrayBuilder();
        for (int i = random.nextInt(5); i > 0; i--) {
            lines.add(LINES.get(random.nextInt(LINES.size())));
        }
        return lines;
    }

    @Test
    @DisplayName("§12.1, §12.2: log summaries and statistics equal a recomputation in the same snapshot, under writes")
    void viewsAgreeUnderWrites() throws Exception {
        BackgroundWriter writer = BackgroundWriter.start(server, 17, 200, LogsAndStatisticsIT::write,
                reply -> reply.status() >= 500);
        int compared = 0;
        List<String> differences = new ArrayList<>();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            while (writer.writing() || compared < 20) {
                Map<String, String> summaries = new TreeMap<>();
                rows(connection, "SELECT id, concat_ws('|', job_id, job, kernel, git_branch, errors, warnings, mismatches) FROM "
                        + Sources.from(Collections.ERRORS_SUMMARY)).forEach((id, text) -> summaries.put(id, normalise(text)));
                Map<String, String> expected = summaries(connection);
                if (!expected.equals(summaries)) {
                    differences.add("log summaries: expected " + expected + "\nbut the view has " + summaries);
                }
                Map<String, String> statistics = statistics(connection);
                Map<String, String> recomputed = recomputedStatistics(connection);
                if (!recomputed.equals(statistics)) {
                    differences.add("statistics: expected " + recomputed + "\nbut the view has " + statistics);
                }
                connection.commit();
                compared++;
            }
        } finally {
            writer.close();
        }
        assertEquals(List.of(), writer.failures());
        assertEquals(List.of(), differences);
        assertTrue(writer.writes() > 100, "writes " + writer.writes());
    }

    /** A write through one of the paths that change jobs, builds, boots or error logs. */
    private static Reply write(Random random, Connection connection) throws SQLException {
        String[] build = builds(connection, 1).get(0);
        String board = "board-" + random.nextInt(8);
        String mach = "mach-" + random.nextInt(12);
        long past = TODAY.minusDays(random.nextInt(20)).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli()
                + random.nextInt(86_400_000);
        return switch (random.nextInt(10)) {
            case 0 -> http.send("POST", "/import/error_logs", (errorLog(random, build, ObjectId.generate(java.time.Instant.now()))
                    + "\n").getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            case 1 -> http.send("PUT", "/build/logs/" + anId(connection, "error_logs", random),
                    ("{\"errors\":" + lines(random).build() + ",\"job_id\":\"" + build[1] + "\"}").getBytes(StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 2 -> http.send("DELETE", "/build/logs/" + anId(connection, "error_logs", random), null, "Authorization", ADMIN);
            case 3 -> http.post("/batch", """
                    [{"method":"PUT","collection":"error_logs","_id":"%s","data":{"warnings":%s}},
                     {"method":"PUT","collection":"job","_id":"%s","data":{"kernel":"v%d","git_branch":"b%d"}},
                     {"method":"DELETE","collection":"error_logs","_id":"%s"}]""".formatted(anId(connection, "error_logs", random),
                    lines(random).build(), build[1], random.nextInt(9), random.nextInt(3), anId(connection, "error_logs", random)),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 4 -> http.post("/boot", """
                    {"version":"1.0","lab_name":"lab-x","job":"%s","kernel":"k%d","defconfig":"defconfig","board":"%s",
                     "arch":"arm64","boot_result":"PASS","mach":"%s"}""".formatted(build[2], random.nextInt(5), board, mach),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 5 -> http.send("PUT", "/boot/" + anId(connection, "boot", random),
                    ("{\"board\":\"" + board + "\",\"mach\":\"" + mach + "\",\"arch\":\"x" + random.nextInt(3) + "\"}")
                            .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/json");
            case 6 -> http.send("DELETE", "/boot/" + anId(connection, "boot", random), null, "Authorization", ADMIN);
            case 7 -> http.send("POST", "/import/job", ("{\"_id\":\"" + ObjectId.generate(java.time.Instant.now())
                    + "\",\"job\":\"tree-" + random.nextInt(30) + "\",\"kernel\":\"v" + random.nextInt(50)
                    + "\",\"created_on\":{\"$date\":" + past + "}}\n").getBytes(StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            case 8 -> http.send("POST", "/import/build", ("{\"_id\":\"" + anId(connection, "build", random)
                    + "\",\"defconfig\":\"d" + random.nextInt(400) + "\",\"created_on\":{\"$date\":" + past + "}}\n")
                    .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            default -> http.send("DELETE", "/job/" + anId(connection, "job", random), null, "Authorization", ADMIN);
        };
    }

    private static String anId(Connection connection, String table, Random random) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM " + table + " ORDER BY id OFFSET "
                     + random.nextInt(20) + " LIMIT 1")) {
            return rows.next() ? rows.getString(1) : "ffffffffffffffffffffffff";
        }
    }

    private static Map<String, String> rows(Connection connection, String sql) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2));
            }
        }
        return rows;
    }

    /**
     * The log summaries as section 12.1 defines them, recomputed in Java: per job that error logs
     * name, each distinct line with its count over them, by count descending then line.
     */
    private static Map<String, String> summaries(Connection connection) throws SQLException {
        Map<String, List<String[]>> lines = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT job_id, errors, warnings, mismatches FROM error_logs "
                     + "WHERE job_id IS NOT NULL")) {
            while (rows.next()) {
                String jobId = rows.getString(1);
                lines.computeIfAbsent(jobId, id -> new ArrayList<>())
                        .add(new String[] {rows.getString(2), rows.getString(3), rows.getString(4)});
            }
        }
        Map<String, String> summaries = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, job, kernel, git_branch FROM job")) {
            while (rows.next()) {
                String id = rows.getString(1);
                if (!lines.containsKey(id)) {
                    continue;
                }
                List<String> parts = new ArrayList<>(List.of(id));
                for (int i = 2; i <= 4; i++) {
                    if (rows.getString(i) != null) {
                        parts.add(rows.getString(i));
                    }
                }
                for (int kind = 0; kind < 3; kind++) {
                    Map<String, Integer> counts = new HashMap<>();
                    for (String[] log : lines.get(id)) {
                        if (log[kind] != null && Json.createReader(new StringReader(log[kind])).readValue() instanceof JsonArray array) {
                            for (JsonValue line : array) {
                                counts.merge(((jakarta.json.JsonString) line).getString(), 1, Integer::sum);
                            }
                        }
                    }
                    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
                    sorted.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                            .thenComparing(entry -> entry.getKey().getBytes(StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned));
                    JsonArrayBuilder summary = Json.createArrayBuilder();
                    sorted.forEach(entry -> summary.add(Json.createArrayBuilder().add(entry.getValue()).add(entry.getKey())));
                    parts.add(summary.build().toString());
                }
                summaries.put(id, String.join("|", parts));
            }
        }
        // jsonb's text of the view's lists: re-read both sides as JSON so that spacing does not differ.
        Map<String, String> normalised = new TreeMap<>();
        summaries.forEach((id, text) -> normalised.put(id, normalise(text)));
        return normalised;
    }

    private static String normalise(String text) {
        return text.replace(", ", ",").replace(": ", ":");
    }

    /** Every member of the statistics view but its time and id, as text. */
    private static Map<String, String> statistics(Connection connection) throws SQLException {
        Map<String, String> members = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM " + Sources.from(Collections.DAILY_STATS))) {
            assertTrue(rows.next());
            for (Field field : Collections.DAILY_STATS.fields()) {
                if (!field.name().equals("_id") && !field.name().equals("created_on")) {
                    members.put(field.name(), rows.getString(field.column()));
                }
            }
        }
        return members;
    }

    /** The statistics as section 12.2 defines them, counted plainly from the documents. */
    private static Map<String, String> recomputedStatistics(Connection connection) throws SQLException {
        Map<String, String> members = new TreeMap<>();
        members.put("version", "1.0");
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT min(created_on)::text FROM job")) {
                rows.next();
                members.put("start_date", rows.getString(1));
            }
            count(statement, members, "job", "jobs", List.of("job", "kernel"), List.of("trees", "kernels"));
            count(statement, members, "build", "builds", List.of("defconfig"), List.of("defconfigs"));
            count(statement, members, "boot", "boots", List.of("arch", "board", "mach"), List.of("archs", "boards", "machs"));
        }
        return members;
    }

    private static void count(Statement statement, Map<String, String> members, String table, String what,
                              List<String> columns, List<String> names) throws SQLException {
        List<String> prefixes = List.of("daily", "weekly", "biweekly");
        List<Integer> days = List.of(1, 7, 14);
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (int day : days) {
            sql.append(", count(*) FILTER (WHERE created_on < now() - interval '").append(day).append(" days')");
        }
        for (String column : columns) {
            sql.append(", count(DISTINCT ").append(column).append(')');
            for (int day : days) {
                sql.append(", count(DISTINCT ").append(column).append(") FILTER (WHERE created_on < now() - interval '")
                        .append(day).append(" days')");
            }
        }
        try (ResultSet rows = statement.executeQuery(sql.append(" FROM ").append(table).toString())) {
            rows.next();
            int next = 1;
            members.put("total_" + what, rows.getString(next++));
            for (String prefix : prefixes) {
                members.put(prefix + "_total_" + what, rows.getString(next++));
            }
            for (String name : names) {
                members.put("total_unique_" + name, rows.getString(next++));
                for (String prefix : prefixes) {
                    members.put(prefix + "_unique_" + name, rows.getString(next++));
                }
            }
        }
    }

    @Test
    @DisplayName("§12.1: /build/<id>/logs is the build's newest error log, counts computed; a build without one is a 404")
    void buildLogs() throws SQLException {
        String buildId;
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT build_id FROM error_logs WHERE build_id IS NOT NULL LIMIT 1")) {
            rows.next();
            buildId = rows.getString(1);
        }
        // The frontend's proxy adds a trailing slash.
        Reply reply = http.get("/build/" + buildId + "/logs/", "Authorization", READER);
        assertEquals(200, reply.status(), reply.body());
        JsonObject log = json(reply.body()).getJsonArray("result").getJsonObject(0);
        assertEquals(buildId, log.getJsonObject("build_id").getString("$oid"));
        for (String kind : List.of("errors", "warnings", "mismatches")) {
            assertEquals(log.getJsonArray(kind).size(), log.getInt(kind + "_count"), kind);
        }
        for (String member : List.of("file_server_url", "file_server_resource", "arch", "defconfig_full", "compiler_version_ext")) {
            assertTrue(log.containsKey(member), member);
        }
        String newer = ObjectId.generate(java.time.Instant.now().plusSeconds(5));
        Reply imported = http.send("POST", "/import/error_logs", ("{\"_id\":\"" + newer + "\",\"build_id\":\"" + buildId
                + "\",\"errors\":[\"only this one\"],\"created_on\":{\"$date\":" + (System.currentTimeMillis() + 60_000) + "}}\n")
                .getBytes(StandardCharsets.UTF_8), "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
        assertEquals(200, imported.status(), imported.body());
        JsonObject newest = json(http.get("/build/" + buildId + "/logs?field=errors_count&field=errors", "Authorization", READER)
                .body()).getJsonArray("result").getJsonObject(0);
        assertEquals(newer, newest.getJsonObject("_id").getString("$oid"));
        assertEquals(1, newest.getInt("errors_count"));
        assertEquals(List.of("_id", "errors", "errors_count"), List.copyOf(newest.keySet()));

        Reply none = http.get("/build/ffffffffffffffffffffffff/logs", "Authorization", READER);
        assertEquals(404, none.status());
        assertEquals("Resource 'ffffffffffffffffffffffff' not found", json(none.body()).getString("reason"));
        assertEquals(400, http.get("/build/nope/logs", "Authorization", READER).status());
        assertEquals(403, http.get("/build/" + buildId + "/logs").status());
        assertEquals(404, http.get("/boot/" + buildId + "/logs", "Authorization", READER).status());
    }

    @Test
    @DisplayName("§12.1: /job/logs as the builds page asks (job, kernel, git_branch), /job/<id>/logs, lines as [count, line]")
    void jobLogs() throws SQLException {
        String[] job;
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT j.id, j.job, j.kernel, j.git_branch FROM job j "
                     + "WHERE EXISTS (SELECT 1 FROM error_logs e WHERE e.job_id = j.id) LIMIT 1")) {
            rows.next();
            job = new String[] {rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)};
        }
        Reply reply = http.get("/job/logs/?job=" + job[1] + "&kernel=" + job[2] + "&git_branch=" + job[3], "Authorization", READER);
        assertEquals(200, reply.status(), reply.body());
        JsonObject summary = json(reply.body()).getJsonArray("result").getJsonObject(0);
        assertEquals(job[0], summary.getJsonObject("job_id").getString("$oid"));
        assertEquals(job[0], summary.getJsonObject("_id").getString("$oid"));
        assertEquals("1.1", summary.getString("version"));
        for (String kind : List.of("errors", "warnings", "mismatches")) {
            for (JsonValue pair : summary.getJsonArray(kind)) {
                assertEquals(2, pair.asJsonArray().size());
                assertTrue(pair.asJsonArray().getInt(0) >= 1);
                assertTrue(LINES.contains(pair.asJsonArray().getString(1)));
            }
        }
        JsonObject byId = json(http.get("/job/" + job[0] + "/logs/", "Authorization", READER).body())
                .getJsonArray("result").getJsonObject(0);
        assertEquals(summary, byId);
        assertEquals(404, http.get("/job/ffffffffffffffffffffffff/logs", "Authorization", READER).status());
    }

    @Test
    @DisplayName("§12.2: /statistics as the stats page asks: one document, every member, now; query keys filter it")
    void statisticsAsTheStatsPageAsks() {
        Reply reply = http.get("/statistics?sort=created_on&sort_order=-1&limit=1", "Authorization", READER);
        assertEquals(200, reply.status(), reply.body());
        JsonObject stats = json(reply.body()).getJsonArray("result").getJsonObject(0);
        long now = System.currentTimeMillis();
        assertTrue(Math.abs(now - stats.getJsonObject("created_on").getJsonNumber("$date").longValue()) < 600_000);
        assertTrue(stats.getJsonObject("start_date").getJsonNumber("$date").longValue() < now);
        assertEquals(Long.toHexString(stats.getJsonObject("created_on").getJsonNumber("$date").longValue() / 1000),
                stats.getJsonObject("_id").getString("$oid").substring(0, 8));
        for (String prefix : List.of("total_", "daily_total_", "weekly_total_", "biweekly_total_")) {
            for (String what : List.of("jobs", "builds", "boots")) {
                assertTrue(stats.getJsonNumber(prefix + what).longValue() > 0, prefix + what);
            }
        }
        assertTrue(stats.getInt("total_boots") >= stats.getInt("daily_total_boots"));
        assertTrue(stats.getInt("daily_total_boots") >= stats.getInt("weekly_total_boots"));
        assertEquals(Collections.DAILY_STATS.fields().size(), stats.size());
        assertEquals(0, json(http.get("/statistics?total_jobs=0", "Authorization", READER).body()).getInt("count"));
        assertEquals(1, json(http.get("/count/daily_stats", "Authorization", READER).body()).getJsonArray("result")
                .getJsonObject(0).getInt("count"));
    }

    @Test
    @DisplayName("§12: computed members are ignored on import and refused by PUT; views are neither written (405) nor imported (404)")
    void computedAndViewsAreNotWritten() throws SQLException {
        String id;
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM error_logs LIMIT 1")) {
            rows.next();
            id = rows.getString(1);
        }
        Reply put = http.send("PUT", "/build/logs/" + id, "{\"errors_count\":3}".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/json");
        assertEquals(400, put.status());
        assertEquals("Invalid document: 'errors_count' is computed from other documents: it cannot be set",
                json(put.body()).getString("reason"));
        JsonObject stored = json(http.get("/build/logs/" + id, "Authorization", READER).body()).getJsonArray("result")
                .getJsonObject(0);
        assertEquals(stored.getJsonArray("errors").size(), stored.getInt("errors_count"));
        assertEquals(405, http.send("PUT", "/statistics/" + id, "{}".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/json").status());
        assertEquals(405, http.send("DELETE", "/job/logs/" + id, null, "Authorization", ADMIN).status());
        assertEquals(405, http.post("/statistics", "{}", "Authorization", ADMIN, "Content-Type", "application/json").status());
        assertEquals(404, http.send("POST", "/import/daily_stats", "{}\n".getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson").status());
    }

    @Test
    @DisplayName("§12, §4, §7, §8: error logs and the views in every batch dialect; /<r>/<id>/logs only as an ArangoDB part")
    void inEveryDialect() throws SQLException {
        String[] log;
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, build_id, job_id FROM error_logs WHERE build_id IS NOT NULL "
                     + "AND job_id IN (SELECT id FROM job) ORDER BY id LIMIT 1")) {
            rows.next();
            log = new String[] {rows.getString(1), rows.getString(2), rows.getString(3)};
        }
        Reply kernelci = http.post("/batch", """
                {"batch":[{"method":"GET","operation_id":"log","collection":"error_logs","document_id":"%s","query":"field=errors_count"},
                 {"method":"GET","operation_id":"stats","resource":"daily_stats","query":"field=total_boots"},
                 {"method":"GET","operation_id":"summaries","resource":"count","document":"errors_summary","query":"_id=%s"},
                 {"method":"GET","operation_id":"route","collection":"build","document_id":"%s/logs"}]}"""
                .formatted(log[0], log[2], log[1]), "Authorization", READER, "Content-Type", "application/json");
        assertEquals(200, kernelci.status(), kernelci.body());
        JsonArray entries = json(kernelci.body()).getJsonArray("result");
        assertEquals(200, entries.getJsonObject(0).getInt("code"), entries.toString());
        assertTrue(entries.getJsonObject(0).getJsonArray("result").getJsonObject(0).containsKey("errors_count"));
        assertTrue(entries.getJsonObject(1).getJsonArray("result").getJsonObject(0).getInt("total_boots") > 0);
        assertEquals(1, entries.getJsonObject(2).getJsonArray("result").getJsonObject(0).getInt("count"));
        // A route that is no collection is reached by ArangoDB parts only (section 12): a 404 entry here.
        assertEquals(404, entries.getJsonObject(3).getInt("code"), entries.toString());

        Reply appery = http.post("/batch", """
                [{"method":"GET","collection":"error_logs","_id":"%s"},
                 {"method":"GET","collection":"daily_stats","query":"field=total_jobs"},
                 {"method":"PUT","collection":"daily_stats","_id":"%s","data":{}}]""".formatted(log[0], log[0]),
                "Authorization", ADMIN, "Content-Type", "application/json");
        JsonArray results = Json.createReader(new StringReader(appery.body())).readArray();
        assertEquals(log[0], results.getJsonObject(0).getJsonObject("success").getJsonObject("_id").getString("$oid"));
        assertEquals(1, results.getJsonObject(1).getJsonObject("success").getInt("count"));
        assertEquals("KCI405", results.getJsonObject(2).getJsonObject("error").getString("code"));

        String boundary = "logs";
        String parts = "--" + boundary + "\r\nContent-Type: application/x-arango-batchpart\r\n\r\nGET /build/" + log[1]
                + "/logs HTTP/1.1\r\n\r\n\r\n--" + boundary + "\r\nContent-Type: application/x-arango-batchpart\r\n\r\n"
                + "GET /statistics?field=total_builds HTTP/1.1\r\n\r\n\r\n--" + boundary + "--\r\n";
        Reply arango = http.send("POST", "/batch", parts.getBytes(StandardCharsets.UTF_8), "Authorization", READER,
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertEquals(200, arango.status(), arango.body());
        assertEquals(2, arango.body().split("HTTP/1.1 200 OK", -1).length - 1, arango.body());
        assertTrue(arango.body().contains("\"build_id\":{\"$oid\":\"" + log[1] + "\"}"), arango.body());
        assertTrue(arango.body().contains("\"total_builds\":"), arango.body());
    }

    @Test
    @DisplayName("§9: a view's ETag changes with a write to a table it is computed from")
    void viewTagsFollowTheirTables() throws SQLException {
        String tag = http.get("/job/logs", "Authorization", READER).header("ETag");
        assertEquals(304, http.get("/job/logs", "Authorization", READER, "If-None-Match", tag).status());
        String[] build;
        try (Connection connection = connect()) {
            build = builds(connection, 1).get(0);
        }
        Reply imported = http.send("POST", "/import/error_logs", (errorLog(new Random(1), build,
                ObjectId.generate(java.time.Instant.now())) + "\n").getBytes(StandardCharsets.UTF_8),
                "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
        assertEquals(200, imported.status());
        Reply after = http.get("/job/logs", "Authorization", READER, "If-None-Match", tag);
        assertEquals(200, after.status());
        assertNotEquals(tag, after.header("ETag"));
        String statsTag = http.get("/statistics", "Authorization", READER).header("ETag");
        http.send("DELETE", "/boot/" + anyBoot(), null, "Authorization", ADMIN);
        assertEquals(200, http.get("/statistics", "Authorization", READER, "If-None-Match", statsTag).status());
    }

    private static String anyBoot() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM boot LIMIT 1")) {
            rows.next();
            return rows.getString(1);
        }
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.plan.RollupCount;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.Rollup;
import org.kernelci.batch.sql.SqlArray;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;
import org.kernelci.batch.testing.BackgroundWriter;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * Issue 17: every count the rollups answer equals {@code count(*)} of the documents, read in the
 * same snapshot, while writers change documents through every write path (reports, PUT,
 * DELETE, imports, Appery batches, COPY of the generator) and the folder folds the deltas. The
 * queries are equalities and ranges on the groupings' fields ({@code gte=errors,1}) over whole days.
 */
class RollupsIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final List<String> STATUSES = List.of("PASS", "FAIL", "OFFLINE", "UNTRIED", "UNKNOWN");
    private static final List<String> BOARDS = List.of("panda", "juno", "beaglebone-black", "qemu", "rk3399-gru-kevin");
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        assertEquals(200, http.get("/health").status());
        try (Connection connection = connect()) {
            DataGenerator.load(connection, 3, 4_000, TODAY, null);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
    }

    @Test
    @DisplayName("rollup-answered counts equal count(*) in the same snapshot, under writes through every path")
    void countsAgreeUnderWrites() throws Exception {
        BackgroundWriter writer = BackgroundWriter.start(server, 11, 300, RollupsIT::write,
                reply -> reply.status() >= 500);
        QueryPlanner planner = new QueryPlanner(Clock.systemUTC(), 1000);
        Random random = new Random(5);
        int compared = 0;
        int rangesCompared = 0;
        List<String> differences = new ArrayList<>();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            while (compared < 3_000 && (writer.writing() || compared < 1_000)) {
                for (int i = 0; i < 25; i++) {
                    String query = randomQuery(random);
                    String collection = List.of("job", "build", "boot").get(random.nextInt(3));
                    CountPlan plan = planner.planCount(Optional.of(collection), QueryStringParser.parse(query));
                    for (CountPlan.Target target : plan.targets()) {
                        if (RollupCount.of(target.collection(), target.conditions()).isEmpty()) {
                            continue;
                        }
                        long fromRollups = count(connection, SqlCompiler.count(target.collection(), target.conditions()));
                        long fromRows = count(connection, SqlCompiler.countRows(target.collection(), target.conditions()));
                        compared++;
                        rangesCompared += query.contains("errors") ? 1 : 0;
                        if (fromRollups != fromRows) {
                            differences.add(collection + "?" + query + ": rollups " + fromRollups + ", rows " + fromRows);
                        }
                    }
                }
                connection.commit();
            }
        } finally {
            writer.close();
        }
        assertEquals(List.of(), writer.failures());
        assertEquals(List.of(), differences);
        assertTrue(compared >= 1_000, "compared " + compared);
        assertTrue(rangesCompared >= 50, "compared with errors " + rangesCompared);
        assertTrue(writer.writes() > 0);
        System.out.printf("RollupsIT: %d comparisons (%d on errors), %d writes%n", compared, rangesCompared, writer.writes());
    }

    @Test
    @DisplayName("the migrations' triggers keep exactly the groupings the declarations name, with their masks and indexes")
    void migrationsKeepTheDeclaredGroupings() throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            for (Collection collection : Collections.ALL) {
                if (collection.rollups().isEmpty()) {
                    continue;
                }
                List<Field> dimensions = collection.rollupDimensions();
                StringJoiner columns = new StringJoiner(", ");
                StringJoiner values = new StringJoiner(", ");
                for (Field field : dimensions) {
                    columns.add(field.column());
                    values.add("'1'::" + field.type().sqlType());
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO " + collection.table() + " (id, created_on, " + columns + ") VALUES "
                            + "('ffffffffffffffffffffffff', '1999-01-01T12:00:00Z', " + values + ")");
                }
                Set<String> expected = new TreeSet<>();
                for (Rollup rollup : collection.rollups()) {
                    expected.add(rollup.grouping() + " " + dimensions.stream()
                            .map(field -> rollup.fields().contains(field) ? "1" : "null").toList());
                }
                Set<String> kept = new TreeSet<>();
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT grouping, " + columns + " FROM " + collection.rollupTable()
                             + " WHERE day = '1999-01-01' AND n = 1")) {
                    while (rows.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 0; i < dimensions.size(); i++) {
                            row.add(String.valueOf(rows.getString(i + 2)));
                        }
                        kept.add(rows.getInt(1) + " " + row);
                    }
                }
                assertEquals(expected, kept, collection.name());
                // Each grouping with fields has its index, partial on the mask written by hand in the migration,
                // holding the counts (V10: sums are index-only scans).
                Set<String> indexed = new TreeSet<>();
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = '"
                             + collection.rollupTable() + "' AND indexdef LIKE '%WHERE (\"grouping\" = %'")) {
                    while (rows.next()) {
                        // "(job, day, errors) INCLUDE (n) WHERE ("grouping" = 30)": its columns as a set, the rest as is.
                        String definition = rows.getString(1).replaceFirst(".* USING btree ", "");
                        int end = definition.indexOf(')');
                        indexed.add(new TreeSet<>(List.of(definition.substring(1, end).split(", "))) + definition.substring(end + 1));
                    }
                }
                Set<String> declared = new TreeSet<>();
                for (Rollup rollup : collection.rollups()) {
                    if (!rollup.fields().isEmpty()) {
                        Set<String> indexColumns = new TreeSet<>(List.of("day"));
                        rollup.fields().forEach(field -> indexColumns.add(field.column()));
                        declared.add(indexColumns + " INCLUDE (n) WHERE (\"grouping\" = " + rollup.grouping() + ")");
                    }
                }
                assertEquals(declared, indexed, collection.name() + "'s partial indexes");
            }
            connection.rollback();
        }
    }

    @Test
    @DisplayName("a count the rollups cannot answer (another field, a partial day) is counted from the documents")
    void fallsBack() {
        QueryPlanner planner = new QueryPlanner(Clock.systemUTC(), 1000);
        for (String query : List.of("warnings=1", "gte=created_on,2026-01-01T10:00:00Z", "time_range=60", "gt=created_on,2026-01-01",
                "board=panda&job=next", "gte=errors,1")) {
            CountPlan plan = planner.planCount(Optional.of("boot"), QueryStringParser.parse(query.replace("errors", "retries")));
            SqlQuery sql = SqlCompiler.count(plan.targets().get(0).collection(), plan.targets().get(0).conditions());
            assertTrue(sql.text().startsWith("SELECT count(*) FROM \"boot\""), query + ": " + sql.text());
        }
        CountPlan plan = planner.planCount(Optional.of("boot"), QueryStringParser.parse("job=next&status=FAIL&date_range=5"));
        assertTrue(SqlCompiler.count(plan.targets().get(0).collection(), plan.targets().get(0).conditions()).text()
                .contains("FROM \"boot_rollup\""));
    }

    private static Reply write(Random random, Connection connection) throws SQLException {
        String board = BOARDS.get(random.nextInt(BOARDS.size()));
        String status = STATUSES.get(random.nextInt(4));
        String job = DataGenerator.JOBS.get(random.nextInt(DataGenerator.JOBS.size()));
        String lab = DataGenerator.LAB_NAMES.get(random.nextInt(DataGenerator.LAB_NAMES.size()));
        return switch (random.nextInt(9)) {
            case 0 -> http.post("/boot", """
                    {"version":"1.0","lab_name":"%s","job":"%s","kernel":"k%d","defconfig":"defconfig","board":"%s",
                     "arch":"arm64","boot_result":"%s"}""".formatted(lab, job, random.nextInt(5), board, status),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 1 -> http.send("PUT", "/boot/" + anId(connection, "boot", random),
                    ("{\"status\":\"" + status + "\",\"board\":\"" + board + "\",\"lab_name\":\"" + lab + "\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 2 -> http.send("DELETE", "/boot/" + anId(connection, "boot", random), null, "Authorization", ADMIN);
            case 3 -> http.send("POST", "/import/boot", ("{\"_id\":\"" + anId(connection, "boot", random) + "\",\"job\":\"" + job
                            + "\",\"status\":\"" + status + "\",\"board\":\"" + board + "\",\"created_on\":{\"$date\":"
                            + (TODAY.minusDays(random.nextInt(20)).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli()
                            + random.nextInt(86_400_000)) + "}}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            case 4 -> http.post("/batch", """
                    [{"method":"PUT","collection":"boot","_id":"%s","data":{"status":"%s"}},
                     {"method":"PUT","collection":"boot","_id":"%s","data":{"lab_name":"%s","board":"%s"}},
                     {"method":"PUT","collection":"boot","_id":"%s","data":{"status":"%s","arch":null}},
                     {"method":"DELETE","collection":"boot","_id":"%s"},
                     {"method":"PUT","collection":"build","_id":"%s","data":{"status":"%s","arch":"x86","errors":%s}}]"""
                    .formatted(anId(connection, "boot", random), status, anId(connection, "boot", random), lab, board,
                            anId(connection, "boot", random), status.equals("PASS") ? "FAIL" : "PASS",
                            anId(connection, "boot", random),
                            anId(connection, "build", random), status.equals("PASS") ? "FAIL" : "PASS", errors(random)),
                    "Authorization", ADMIN, "Content-Type", "application/json");
            case 5 -> http.send("POST", "/import/build", ("{\"_id\":\"" + anId(connection, "build", random) + "\",\"job\":\""
                            + job + "\",\"errors\":" + errors(random) + ",\"created_on\":{\"$date\":"
                            + (TODAY.minusDays(random.nextInt(20)).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli()
                            + random.nextInt(86_400_000)) + "}}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            case 6 -> http.send("DELETE", "/build/" + anId(connection, "build", random), null, "Authorization", ADMIN);
            case 7 -> http.post("/job", "{\"job\":\"" + job + "\",\"kernel\":\"r" + random.nextInt(1_000_000) + "\"}",
                    "Authorization", ADMIN, "Content-Type", "application/json");
            default -> http.send("PUT", "/job/" + anId(connection, "job", random),
                    ("{\"status\":\"" + (random.nextBoolean() ? "PASS" : "FAIL") + "\",\"job\":\"" + job + "\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/json");
        };
    }

    /** A build's errors: none, a few, or unknown. */
    private static String errors(Random random) {
        return random.nextInt(5) == 0 ? "null" : String.valueOf(random.nextInt(4));
    }

    private static String anId(Connection connection, String table, Random random) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM " + table + " ORDER BY id OFFSET "
                     + random.nextInt(500) + " LIMIT 1")) {
            return rows.next() ? rows.getString(1) : "0123456789abcdef01234567";
        }
    }

    /** Equalities on the rollups' dimensions and whole-day ranges, in the query language. */
    private static String randomQuery(Random random) {
        List<String> pairs = new ArrayList<>();
        if (random.nextBoolean()) {
            pairs.add("job=" + DataGenerator.JOBS.get(random.nextInt(DataGenerator.JOBS.size())));
        }
        if (random.nextInt(3) > 0) {
            pairs.add("status=" + (random.nextInt(8) == 0 ? "null" : STATUSES.get(random.nextInt(STATUSES.size()))));
            if (random.nextInt(4) == 0) {
                pairs.add("status=" + STATUSES.get(random.nextInt(STATUSES.size())));
            }
        }
        switch (random.nextInt(5)) {
            case 0 -> pairs.add("lab_name=" + DataGenerator.LAB_NAMES.get(random.nextInt(DataGenerator.LAB_NAMES.size())));
            case 1 -> pairs.add("board=" + BOARDS.get(random.nextInt(BOARDS.size())));
            case 2 -> pairs.add("arch=" + DataGenerator.ARCH_NAMES.get(random.nextInt(DataGenerator.ARCH_NAMES.size())));
            default -> {
            }
        }
        switch (random.nextInt(6)) {
            case 0 -> pairs.add("gte=errors," + random.nextInt(4));
            case 1 -> pairs.add("lt=errors," + random.nextInt(4));
            case 2 -> pairs.add("errors=" + (random.nextInt(5) == 0 ? "null" : String.valueOf(random.nextInt(4))));
            default -> {
            }
        }
        switch (random.nextInt(4)) {
            case 0 -> pairs.add("date_range=" + random.nextInt(30));
            case 1 -> pairs.add("created_on=" + TODAY.minusDays(random.nextInt(15)));
            case 2 -> {
                pairs.add("gte=created_on," + TODAY.minusDays(random.nextInt(40)));
                pairs.add("lt=created_on," + TODAY.minusDays(random.nextInt(10) - 1));
            }
            default -> {
            }
        }
        return String.join("&", pairs);
    }

    private static long count(Connection connection, SqlQuery sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.binds().size(); i++) {
                Object value = sql.binds().get(i);
                if (value instanceof SqlArray array) {
                    statement.setArray(i + 1, connection.createArrayOf("text",
                            array.values().stream().map(String::valueOf).toArray(String[]::new)));
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

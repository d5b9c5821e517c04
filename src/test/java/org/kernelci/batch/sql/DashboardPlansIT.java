package org.kernelci.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.parse.BatchRequestParser;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.WritePlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.ListIndex;
import org.kernelci.batch.testing.TestServer;

/**
 * The dashboard-shaped batches of shared/bench plan to index scans on the large tables (boot and
 * build), on generated data large enough for the planner to care (300,000 boots). The job table
 * stays small (600 rows), where a sequential scan is the right plan.
 */
class DashboardPlansIT {
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);
    private static Connection connection;

    @BeforeAll
    static void load() throws SQLException {
        String url = TestServer.freshDatabase();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        try (Connection loader = DriverManager.getConnection(url, "postgres", "")) {
            DataGenerator.load(loader, 7, 300_000, TODAY, null);
        }
        connection = DriverManager.getConnection(url, "postgres", "");
        try (Statement statement = connection.createStatement()) {
            // The steady state autovacuum keeps: statistics and a visibility map. The embedded
            // server commits asynchronously, so flush the WAL and freeze, or VACUUM leaves the
            // freshly loaded pages not all-visible and index-only scans look costly.
            statement.execute("CHECKPOINT");
            statement.execute("VACUUM (FREEZE, ANALYZE)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("§2 dashboard queries on boot and build use indexes")
    @ValueSource(strings = {"dashboard-batch.json", "job-table-batch.json"})
    void boardQueriesUseIndexes(String batch) throws Exception {
        String boot;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM boot LIMIT 1")) {
            rows.next();
            boot = rows.getString(1);
        }
        QueryPlanner planner = new QueryPlanner(Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC), 10_000);
        List<BatchStep> steps = new BatchPlanner(planner, new WritePlanner(java.time.Clock.systemUTC())).plan(BatchRequestParser.parse(text(resource(batch)).replace("BOOT_ID", boot).getBytes(StandardCharsets.UTF_8)));
        int checked = 0;
        for (BatchStep step : steps) {
            Read read = ((BatchStep.Planned) step).read();
            for (SqlQuery sql : BatchRunner.statements(read)) {
                // The job table and the per-day counts are small: a sequential scan may be right there.
                String table = sql.text().contains("FROM \"job\"") || sql.text().contains("_rollup\"") ? "small" : "large";
                String plan = explain(sql);
                if (!table.equals("small")) {
                    assertFalse(plan.contains("Seq Scan"), step.operation().operationId() + ": " + sql.text() + "\n" + plan
                            + explainText("SELECT relname, relpages, relallvisible FROM pg_class WHERE relname IN ('build', 'boot')"));
                    checked++;
                }
            }
        }
        // The job table's 40 counts all read the per-day rollups (checked by countsReadRollups).
        assertFalse(batch.startsWith("dashboard") && checked < 4, "too few statements checked: " + checked);
    }

    @Test
    @DisplayName("issue 17: the dashboard's counts and totals read the per-day counts, not the boot or build table")
    void countsReadRollups() throws Exception {
        List<BatchStep> steps = dashboard();
        int counts = 0;
        for (BatchStep step : steps) {
            Read read = ((BatchStep.Planned) step).read();
            if (read instanceof Read.ById) {
                continue;
            }
            SqlQuery count = BatchRunner.statements(read).get(0);
            String operation = step.operation().operationId();
            String plan = explain(count);
            assertTrue(count.text().contains("_rollup\""), operation + ": " + count.text());
            assertFalse(plan.matches("(?s).*\\son (boot|build|job)\\s.*"), operation + ": " + plan);
            counts++;
        }
        assertEquals(9, counts);
    }

    @Test
    @DisplayName("issue 17: the dashboard's statements planned once (rollup sums, by id) use an index in their generic plans")
    void genericPlansUseIndexes() throws Exception {
        List<BatchStep> steps = dashboard();
        int generic = 0;
        int lists = 0;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            for (BatchStep step : steps) {
                for (SqlQuery sql : BatchRunner.statements(((BatchStep.Planned) step).read())) {
                    if (sql.genericPlan()) {
                        String plan = explain(sql);
                        assertTrue(plan.contains("Index") && !plan.contains("Seq Scan"),
                                step.operation().operationId() + ": " + sql.text() + "\n" + plan);
                        // A sum on a grouping's fields reads the grouping's partial index, which only
                        // a plan that knows the grouping's number (written in) can use.
                        boolean grouped = sql.text().contains("_rollup\"") && !sql.text().matches(".*\"grouping\" = \\d+( AND \"day\".*)?");
                        assertFalse(grouped && plan.contains("_rollup_day"), step.operation().operationId() + ": " + plan);
                        // Its index holds the counts (V10): the sum reads no row of the table.
                        assertTrue(!sql.text().contains("_rollup\"") || plan.contains("Index Only Scan"),
                                step.operation().operationId() + ": " + plan);
                        // A list walks one of its collection's declared list indexes in order: no sort.
                        Read read = ((BatchStep.Planned) step).read();
                        if (read instanceof Read.Listing listing && sql.equals(SqlCompiler.select(listing.plan()))) {
                            java.util.regex.Matcher scan = java.util.regex.Pattern
                                    .compile("Index Scan (?:Backward )?using (\\w+) on").matcher(plan);
                            assertTrue(scan.find() && listIndexNames(listing.plan().collection()).contains(scan.group(1))
                                    && !plan.contains("Sort"), step.operation().operationId() + ": " + sql.text() + "\n" + plan);
                            lists++;
                        }
                        generic++;
                    }
                }
            }
        } finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET plan_cache_mode");
            }
        }
        assertEquals(14, generic, "the nine counts and totals, the four lists and the boot by id");
        assertEquals(4, lists);
    }

    @Test
    @DisplayName("issue 17: every declared list index is an index of its table, on its fields, then _id")
    void listIndexesExist() throws Exception {
        int declared = 0;
        for (Collection collection : Collections.ALL) {
            for (ListIndex index : collection.listIndexes()) {
                assertEquals(1, indexesOn(collection.table(), columns(collection, index)).size(),
                        collection + ": " + columns(collection, index));
                declared++;
            }
        }
        assertEquals(11, declared);
    }

    /** The names of the indexes the collection's declared list indexes are. */
    private static List<String> listIndexNames(Collection collection) throws SQLException {
        List<String> names = new java.util.ArrayList<>();
        for (ListIndex index : collection.listIndexes()) {
            names.addAll(indexesOn(collection.table(), columns(collection, index)));
        }
        return names;
    }

    private static List<String> columns(Collection collection, ListIndex index) {
        List<String> columns = new java.util.ArrayList<>();
        index.equal().forEach(field -> columns.add(field.column()));
        columns.add(index.order().column());
        columns.add(collection.idField().column());
        return columns;
    }

    /** The btree indexes of the table whose key columns are exactly these, in this order (no expression among them). */
    private static List<String> indexesOn(String table, List<String> columns) throws SQLException {
        List<String> names = new java.util.ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT i.relname, array_agg(a.attname ORDER BY k.n)::text[]"
                + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                + " JOIN pg_am am ON am.oid = i.relam"
                + " CROSS JOIN LATERAL unnest(x.indkey[0:x.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, n)"
                + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
                + " WHERE t.relname = ? AND am.amname = 'btree' AND x.indpred IS NULL AND x.indexprs IS NULL GROUP BY i.relname")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (List.of((String[]) rows.getArray(2).getArray()).equals(columns)) {
                        names.add(rows.getString(1));
                    }
                }
            }
        }
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("a rare value of a common filter, in the default _id order, does not walk the primary key")
    // The fields whose rarest generated value is rare indeed (lab_name and build's arch have a few
    // even values, where walking the primary key finds two rows at once and is the right plan).
    @ValueSource(strings = {"boot board", "boot kernel", "boot defconfig", "boot arch", "boot job",
        "build job", "build kernel", "build defconfig"})
    void rareFilterValueInIdOrder(String collectionAndField) throws Exception {
        String table = collectionAndField.split(" ")[0];
        String field = collectionAndField.split(" ")[1];
        String rare;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + field + ", count(*), (SELECT count(*) FROM " + table
                     + ") FROM " + table + " WHERE " + field + " IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1")) {
            rows.next();
            rare = rows.getString(1);
            // Where even the rarest value is common, walking the primary key finds two rows at once.
            org.junit.jupiter.api.Assumptions.assumeTrue(rows.getLong(2) * 200 < rows.getLong(3),
                    () -> collectionAndField + ": no value under 0.5 % of the rows in the generated data");
        }
        QueryPlanner planner = new QueryPlanner(Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC), 10_000);
        String collection = table.equals("build") ? "defconfig" : table;
        org.kernelci.batch.plan.QueryPlan plan = planner.plan(org.kernelci.batch.schema.Collections.byName(collection).orElseThrow(),
                org.kernelci.batch.parse.QueryStringParser.parse(field + "=" + java.net.URLEncoder.encode(rare,
                        StandardCharsets.UTF_8) + "&limit=2"));
        for (SqlQuery sql : BatchRunner.statements(new Read.Listing(plan))) {
            String explained = explain(sql);
            assertFalse(explained.contains(table + "_pkey") || explained.contains("Seq Scan"),
                    collectionAndField + "=" + rare + ": " + sql.text() + "\n" + explained);
        }
    }

    /** The steps of shared/bench's dashboard, planned at noon of TODAY, with an id for its boot. */
    private static List<BatchStep> dashboard() throws IOException {
        QueryPlanner planner = new QueryPlanner(Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC), 10_000);
        return new BatchPlanner(planner, new WritePlanner(Clock.systemUTC()))
                .plan(BatchRequestParser.parse(text(resource("dashboard-batch.json")).replace("BOOT_ID", "0123456789abcdef01234567")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private static String explain(SqlQuery sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN " + sql.text())) {
            for (int i = 0; i < sql.binds().size(); i++) {
                Object value = sql.binds().get(i);
                if (value instanceof SqlArray array) {
                    statement.setArray(i + 1, connection.createArrayOf("text",
                            array.values().stream().map(String::valueOf).toArray(String[]::new)));
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    private static String explainText(String sql) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                text.append(rows.getString(1)).append(' ').append(rows.getString(2)).append(' ').append(rows.getString(3)).append('\n');
            }
        }
        return text.toString();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DashboardPlansIT.class.getResourceAsStream("/bench/" + name)) {
            assertEquals(true, in != null, name);
            return in.readAllBytes();
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

package org.kernelci.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.jdbc.ColumnCodec;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.BisectPlanner;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.schema.Collections;

/**
 * CONTRACT.md sections 12.3 and 12.4 on generated data large enough for the planner to care
 * (200,000 boots, 40,000 builds): boot regressions and bisections walk migration V12's indexes,
 * and read rows in proportion to a kernel's boots and a chain's length, never a job's history
 * (EXPLAIN ANALYZE, rows visited per table).
 */
class RegressionPlansIT {
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);
    private static final QueryPlanner PLANNER = new QueryPlanner(Clock.systemUTC(), 10_000);
    private static Connection connection;

    @BeforeAll
    static void load() throws SQLException {
        String url = org.kernelci.batch.testing.TestServer.freshDatabase();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        try (Connection loader = DriverManager.getConnection(url, "postgres", "")) {
            DataGenerator.load(loader, 5, 200_000, TODAY, null);
        }
        connection = DriverManager.getConnection(url, "postgres", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
            statement.execute("VACUUM (FREEZE, ANALYZE)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    /** The plan, run, as JSON; and per table, the rows its scans visited (returned or filtered out). */
    private record Explained(String plan, Map<String, Long> visited) {
    }

    private static Explained explain(SqlQuery sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.text())) {
            for (int i = 0; i < sql.binds().size(); i++) {
                ColumnCodec.bind(statement, i + 1, sql.binds().get(i), null);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                String plan = rows.getString(1);
                Map<String, Long> visited = new TreeMap<>();
                JsonObject root = Json.createReader(new StringReader(plan)).readArray().getJsonObject(0).getJsonObject("Plan");
                count(root, visited);
                return new Explained(plan, visited);
            }
        }
    }

    private static void count(JsonObject node, Map<String, Long> visited) {
        if (node.containsKey("Relation Name")) {
            long loops = node.getJsonNumber("Actual Loops").longValue();
            long rows = node.getJsonNumber("Actual Rows").longValue();
            for (String removed : List.of("Rows Removed by Filter", "Rows Removed by Index Recheck")) {
                rows += node.containsKey(removed) ? node.getJsonNumber(removed).longValue() : 0;
            }
            visited.merge(node.getString("Relation Name"), rows * loops, Long::sum);
        }
        if (node.containsKey("Plans")) {
            for (JsonValue child : node.getJsonArray("Plans")) {
                count(child.asJsonObject(), visited);
            }
        }
    }

    private static List<String[]> query(String sql) throws SQLException {
        List<String[]> result = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            int width = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                String[] row = new String[width];
                for (int i = 0; i < width; i++) {
                    row[i] = rows.getString(i + 1);
                }
                result.add(row);
            }
        }
        return result;
    }

    private static void assertIndexed(Explained explained, String index, String what) {
        assertTrue(explained.plan().contains("\"Index Name\": \"" + index + "\""), what + " uses " + index + ": "
                + explained.plan());
        assertFalse(explained.plan().matches("(?s).*\"Node Type\": \"Seq Scan\",[^}]*\"Relation Name\": \"(boot|build)\".*"),
                what + " scans no large table: " + explained.plan());
    }

    @Test
    @DisplayName("§12.3: /boot/regressions?job&kernel reads the kernel's boots and its regressions, through boot_kernel and boot_series")
    void viewOfAKernel() throws SQLException {
        // The kernel with the most FAIL boots, of the job with the most boots.
        String[] kernel = query("SELECT job, kernel, count(*), (SELECT count(*) FROM boot AS o WHERE o.job = b.job) FROM boot AS b "
                + "WHERE status = 'FAIL' GROUP BY job, kernel ORDER BY count(*) DESC LIMIT 1").get(0);
        long kernelBoots = Long.parseLong(query("SELECT count(*) FROM boot WHERE job = '" + kernel[0] + "' AND kernel = '"
                + kernel[1] + "'").get(0)[0]);
        long jobBoots = Long.parseLong(kernel[3]);
        int jobs = Integer.parseInt(query("SELECT count(*) FROM job WHERE job = '" + kernel[0] + "' AND kernel = '" + kernel[1]
                + "'").get(0)[0]);
        var plan = PLANNER.plan(Collections.BOOT_REGRESSIONS, QueryStringParser.parse("job=" + kernel[0] + "&kernel="
                + kernel[1]));
        Explained select = explain(SqlCompiler.select(plan));
        assertIndexed(select, "boot_series", "the view");
        Explained count = explain(SqlCompiler.count(plan));
        assertIndexed(count, "boot_series", "its count");
        // The kernel's boots once per job document that names it, then a few rows per regression.
        for (Explained explained : List.of(select, count)) {
            long boots = explained.visited().get("boot");
            assertTrue(boots <= 3L * jobs * kernelBoots && boots < jobBoots / 4, "boots visited: " + boots + " for "
                    + kernelBoots + " boots of the kernel (" + jobs + " job documents), " + jobBoots + " of the job");
        }
    }

    @Test
    @DisplayName("§12.3: /boot/<id>/regressions reads its kernel's boots and its regression, through boot_series")
    void aBootsRegression() throws SQLException {
        for (String[] boot : query("SELECT id, (SELECT count(*) FROM boot AS o WHERE o.kernel = b.kernel) FROM boot AS b "
                + "WHERE status = 'FAIL' ORDER BY id LIMIT 20")) {
            Explained explained = explain(BootRegressions.ofBoot(PLANNER.planById(Collections.BOOT, boot[0],
                    QueryStringParser.parse(""))));
            long kernelBoots = Long.parseLong(boot[1]);
            long visited = explained.visited().get("boot");
            assertTrue(visited <= kernelBoots + 50, "boots visited " + visited + ", of the kernel " + kernelBoots);
            if (explained.plan().contains("boot_series")) {
                return;
            }
        }
        throw new AssertionError("no FAIL boot of the first 20 was looked up in boot_series");
    }

    @Test
    @DisplayName("§12.4: bisections walk build_bisect and boot_bisect, reading rows in proportion to their chains")
    void bisections() throws SQLException {
        BisectPlanner planner = new BisectPlanner(PLANNER);
        int walked = 0;
        for (String[] start : query("(SELECT 'build', id FROM build WHERE status = 'FAIL' ORDER BY created_on DESC LIMIT 10) "
                + "UNION ALL (SELECT 'boot', id FROM boot WHERE status = 'FAIL' ORDER BY created_on DESC LIMIT 10)")) {
            String table = start[0];
            String plain = "collection=" + table + "&" + table + "_id=" + start[1];
            long chain = Json.createReader(new StringReader(run(Bisection.of(planner.plan(QueryStringParser.parse(plain),
                    new ArrayList<>())))[1])).readObject().getJsonArray("bisect_data").size();
            for (String query : List.of(plain, plain + "&compare_to=mainline")) {
                Explained explained = explain(Bisection.of(planner.plan(QueryStringParser.parse(query), new ArrayList<>())));
                assertIndexed(explained, table + "_bisect", query);
                // Each step of the walk one probe (and the other branches' documents between), the
                // compared items one range, the boots' builds one each.
                long visited = explained.visited().get(table);
                assertTrue(visited <= 5 * chain + 20, query + ": chain " + chain + ", rows visited " + explained.visited());
                walked++;
            }
        }
        assertEquals(40, walked);
    }

    /** The first row of a statement, its columns as text. */
    private static String[] run(SqlQuery sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.binds().size(); i++) {
                ColumnCodec.bind(statement, i + 1, sql.binds().get(i), null);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new String[] {rows.getString(1), rows.getString(2)};
            }
        }
    }
}

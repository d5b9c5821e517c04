package org.kernelci.batch.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The generated data: deterministic per seed, consistent, within the vocabulary and the days. */
class DataGeneratorIT {
    private static final LocalDate TODAY = LocalDate.of(2025, 3, 14);
    private static final int BOOTS = 20_000;
    private static final List<String> TABLES = List.of("job", "build", "boot", "lab");

    private static EmbeddedPostgres postgres;
    private static DataSource first;
    private static DataSource again;
    private static DataSource other;
    private static DataGenerator.Summary summary;
    private static final List<Long> progress = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException, SQLException {
        postgres = EmbeddedPostgres.start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE again");
            statement.execute("CREATE DATABASE other");
        }
        first = migrated(postgres.getPostgresDatabase());
        again = migrated(postgres.getDatabase("postgres", "again"));
        other = migrated(postgres.getDatabase("postgres", "other"));
        summary = load(first, 42, progress::add);
        load(again, 42, rows -> { });
        load(other, 43, rows -> { });
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static DataSource migrated(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }

    private static DataGenerator.Summary load(DataSource dataSource, long seed, java.util.function.LongConsumer sink)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return DataGenerator.load(connection, seed, BOOTS, TODAY, sink);
        }
    }

    @Test
    @DisplayName("the same seed gives byte-identical tables, ids included")
    void sameSeedSameData() throws SQLException {
        assertEquals(digests(first), digests(again));
    }

    @Test
    @DisplayName("another seed gives other data in every table")
    void otherSeedOtherData() throws SQLException {
        Map<String, String> mine = digests(first);
        Map<String, String> theirs = digests(other);
        for (String table : TABLES) {
            assertNotEquals(mine.get(table), theirs.get(table), table);
        }
    }

    @Test
    @DisplayName("counts are as requested and reported")
    void counts() throws SQLException {
        DataGenerator.Size size = DataGenerator.Size.forBoots(BOOTS);
        assertEquals(new DataGenerator.Summary(size.jobs(), size.builds(), BOOTS, 10), summary);
        assertEquals(40, size.jobs());
        assertEquals(4_000, size.builds());
        assertEquals(40, count(first, "SELECT count(*) FROM job"));
        assertEquals(4_000, count(first, "SELECT count(*) FROM build"));
        assertEquals(BOOTS, count(first, "SELECT count(*) FROM boot"));
        assertEquals(10, count(first, "SELECT count(*) FROM lab"));
        assertEquals(Set.copyOf(DataGenerator.LAB_NAMES), Set.copyOf(strings(first, "SELECT name FROM lab")));
        assertEquals(Set.copyOf(DataGenerator.JOBS), Set.copyOf(strings(first, "SELECT DISTINCT job FROM job")));
        assertEquals(Set.copyOf(DataGenerator.ARCH_NAMES), Set.copyOf(strings(first, "SELECT DISTINCT arch FROM build")));
        assertTrue(count(first, "SELECT count(DISTINCT defconfig) FROM build") >= 150);
        assertTrue(count(first, "SELECT count(DISTINCT board) FROM boot") >= 200);
        assertTrue(count(first, "SELECT count(DISTINCT lab_name) FROM boot") == 10);
    }

    @Test
    @DisplayName("progress is reported, rising, up to every row")
    void progressReported() {
        assertTrue(progress.size() > 2);
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1));
        }
        assertEquals(summary.rows(), progress.get(progress.size() - 1));
    }

    @Test
    @DisplayName("every reference points at an existing row, with the same job, kernel and git fields")
    void references() throws SQLException {
        assertEquals(0, count(first, "SELECT count(*) FROM build b LEFT JOIN job j ON j.id = b.job_id"
                + " WHERE j.id IS NULL OR b.job IS DISTINCT FROM j.job OR b.kernel IS DISTINCT FROM j.kernel"
                + " OR b.git_branch IS DISTINCT FROM j.git_branch OR b.git_commit IS DISTINCT FROM j.git_commit"
                + " OR b.git_describe IS DISTINCT FROM j.git_describe OR b.git_url IS DISTINCT FROM j.git_url"));
        assertEquals(0, count(first, "SELECT count(*) FROM boot t LEFT JOIN job j ON j.id = t.job_id"
                + " WHERE j.id IS NULL OR t.job IS DISTINCT FROM j.job OR t.kernel IS DISTINCT FROM j.kernel"
                + " OR t.git_branch IS DISTINCT FROM j.git_branch OR t.git_commit IS DISTINCT FROM j.git_commit"
                + " OR t.git_describe IS DISTINCT FROM j.git_describe"));
        assertEquals(0, count(first, "SELECT count(*) FROM boot t LEFT JOIN build b ON b.id = t.defconfig_id"
                + " WHERE b.id IS NULL OR t.job_id IS DISTINCT FROM b.job_id OR t.defconfig IS DISTINCT FROM b.defconfig"
                + " OR t.defconfig_full IS DISTINCT FROM b.defconfig_full OR t.arch IS DISTINCT FROM b.arch"));
        assertEquals(0, count(first, "SELECT count(*) FROM boot t WHERE lab_name NOT IN (SELECT name FROM lab)"));
    }

    @Test
    @DisplayName("names are built as the original built them")
    void names() throws SQLException {
        assertEquals(0, count(first, "SELECT count(*) FROM job WHERE name <> job || '-' || kernel"));
        assertEquals(0, count(first, "SELECT count(*) FROM build WHERE name <> job || '-' || kernel || '-' || defconfig_full"));
        assertEquals(0, count(first, "SELECT count(*) FROM boot"
                + " WHERE name <> board || '-' || job || '-' || kernel || '-' || defconfig || '-' || arch"));
        assertEquals(0, count(first, "SELECT count(*) FROM job WHERE job IN ('mainline', 'arm-soc', 'tegra')"
                + " AND kernel !~ '^v6\\.[0-9]+(-rc[0-9])?(-[0-9]+-g[0-9a-f]{12})?$'"));
        assertEquals(0, count(first, "SELECT count(*) FROM job WHERE git_commit !~ '^[0-9a-f]{40}$'"));
    }

    @Test
    @DisplayName("statuses are within the vocabulary, failed builds have errors, failed boots a description")
    void statuses() throws SQLException {
        assertTrue(Set.copyOf(DataGenerator.JOB_STATUSES).containsAll(strings(first, "SELECT DISTINCT status FROM job")));
        assertEquals(Set.copyOf(DataGenerator.BUILD_STATUSES), Set.copyOf(strings(first, "SELECT DISTINCT status FROM build")));
        assertEquals(Set.copyOf(DataGenerator.BOOT_STATUSES), Set.copyOf(strings(first, "SELECT DISTINCT status FROM boot")));
        assertEquals(0, count(first, "SELECT count(*) FROM build WHERE status = 'FAIL' AND NOT errors > 0"));
        assertEquals(0, count(first, "SELECT count(*) FROM build WHERE status = 'PASS' AND errors <> 0"));
        assertEquals(0, count(first, "SELECT count(*) FROM boot WHERE (status = 'PASS') <> (boot_result_description IS NULL)"));
        long boots = count(first, "SELECT count(*) FROM boot");
        long passed = count(first, "SELECT count(*) FROM boot WHERE status = 'PASS'");
        assertTrue(passed > 0.7 * boots && passed < 0.95 * boots, "PASS boots: " + passed);
        long builds = count(first, "SELECT count(*) FROM build");
        long built = count(first, "SELECT count(*) FROM build WHERE status = 'PASS'");
        assertTrue(built > 0.75 * builds && built < 0.98 * builds, "PASS builds: " + built);
    }

    @Test
    @DisplayName("created_on lies in the 180 days up to today, recent days busiest, boot after build after job")
    void times() throws SQLException {
        for (String table : TABLES) {
            assertEquals(0, count(first, "SELECT count(*) FROM " + table
                    + " WHERE created_on < timestamptz '" + TODAY.minusDays(179) + " 00:00:00+00'"
                    + " OR created_on >= timestamptz '" + TODAY.plusDays(1) + " 00:00:00+00'"), table);
        }
        assertEquals(0, count(first, "SELECT count(*) FROM build b JOIN job j ON j.id = b.job_id"
                + " WHERE b.created_on <= j.created_on"));
        assertEquals(0, count(first, "SELECT count(*) FROM boot t JOIN build b ON b.id = t.defconfig_id"
                + " WHERE t.created_on <= b.created_on"));
        long recent = count(first, "SELECT count(*) FROM boot WHERE created_on >= timestamptz '"
                + TODAY.minusDays(29) + " 00:00:00+00'");
        long oldest = count(first, "SELECT count(*) FROM boot WHERE created_on < timestamptz '"
                + TODAY.minusDays(149) + " 00:00:00+00'");
        assertTrue(recent > 2 * oldest, recent + " recent boots, " + oldest + " oldest");
        assertTrue(count(first, "SELECT count(*) FROM boot WHERE created_on >= timestamptz '"
                + TODAY.minusDays(5) + " 00:00:00+00'") > 0);
    }

    @Test
    @DisplayName("ids are 24 hex digits starting with created_on's epoch seconds")
    void ids() throws SQLException {
        for (String table : TABLES) {
            assertEquals(0, count(first, "SELECT count(*) FROM " + table
                    + " WHERE ('x' || lpad(substr(id, 1, 8), 16, '0'))::bit(64)::bigint"
                    + " <> floor(extract(epoch FROM created_on))::bigint"), table);
        }
        assertEquals(0, count(first, "SELECT count(*) FROM (SELECT id FROM (SELECT id FROM job UNION ALL SELECT id FROM build"
                + " UNION ALL SELECT id FROM boot UNION ALL SELECT id FROM lab) ids GROUP BY id HAVING count(*) > 1) twice"));
    }

    private static Map<String, String> digests(DataSource dataSource) throws SQLException {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String table : TABLES) {
            digests.put(table, strings(dataSource,
                    "SELECT md5(string_agg(t::text, '' ORDER BY id)) FROM " + table + " t").get(0));
        }
        return digests;
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    private static List<String> strings(DataSource dataSource, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }
}

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
import java.util.StringJoiner;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.schema.Collection;

/**
 * The generated data: deterministic per seed, consistent, within the vocabulary and the days; the
 * error logs, test groups and test cases consistent with the builds and boots they come from, and
 * series that regress and bisect, as the frontend's pages need (CONTRACT.md section 12).
 */
class DataGeneratorIT {
    private static final LocalDate TODAY = LocalDate.of(2025, 3, 14);
    private static final int BOOTS = 20_000;
    private static final List<String> TABLES = DataGenerator.TABLES.stream().map(Collection::table).toList();
    /** The members of a sub-group that are its top group's: all but its own. */
    private static final List<String> GROUP_MEMBERS = List.of("created_on", "version", "lab_name", "job", "job_id",
            "kernel", "git_branch", "git_commit", "git_describe", "git_url", "arch", "defconfig", "defconfig_full",
            "build_environment", "build_id", "compiler", "compiler_version", "compiler_version_full", "cross_compile",
            "modules", "board", "board_instance", "device_type", "mach", "dtb", "endian", "image_type", "initrd",
            "kernel_image", "boot_log", "boot_log_html", "boot_result_description", "file_server_resource",
            "plan_variant", "time_ms", "warnings");
    /** The members a case copies from its group (section 12.6). */
    private static final List<String> CASE_MEMBERS = List.of("job", "kernel", "git_branch", "git_commit", "arch",
            "defconfig_full", "build_environment", "device_type", "lab_name", "mach", "created_on");

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
    @DisplayName("the columns filled before error logs and tests were generated are as they were: tests and the"
            + " benchmark's figures rely on them")
    void earlierColumnsAsBefore() throws SQLException {
        // The generator of commit 7bda974 (seed 42, these boots and day), over the columns it filled; of
        // build_platform it filled half, the same, and created_on is read in UTC whatever the session's zone.
        Map<String, List<String>> added = Map.of(
                "job", List.of("compiler", "compiler_version", "compiler_version_ext", "compiler_version_full",
                        "cross_compile"),
                "build", List.of("mismatches", "build_environment", "compiler", "compiler_version",
                        "compiler_version_ext", "compiler_version_full", "cross_compile", "build_log_size",
                        "kernel_config_size", "kernel_image_size", "modules_size", "system_map_size", "vmlinux_file_size",
                        "vmlinux_text_size", "vmlinux_data_size", "vmlinux_bss_size", "build_platform"),
                "boot", List.of("build_environment", "compiler", "compiler_version", "compiler_version_ext",
                        "compiler_version_full", "cross_compile", "device_type", "kernel_image_size"),
                "lab", List.of());
        Map<String, String> before = Map.of("job", "dfd53965f48606f8e271b9bc4b25c520",
                "build", "9384985c14ef54b368d8af3d1428ea8a", "boot", "a73290f669b46e1cfc3790f17100aa09",
                "lab", "f8895d74dc14dcc3b3278e08eda23a82");
        for (Map.Entry<String, List<String>> table : added.entrySet()) {
            StringJoiner left = new StringJoiner("', '", "ARRAY['", "']").add("created_on").add("updated_on");
            table.getValue().forEach(left::add);
            assertEquals(before.get(table.getKey()), strings(first, "SELECT md5(string_agg((to_jsonb(t) - "
                    + left + ")::text || extract(epoch FROM created_on)"
                    + " || coalesce(extract(epoch FROM updated_on)::text, ''), '|' ORDER BY id)) FROM "
                    + table.getKey() + " AS t").get(0), table.getKey());
        }
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
        assertEquals(new DataGenerator.Summary(size.jobs(), size.builds(), BOOTS, 10,
                (int) count(first, "SELECT count(*) FROM error_logs"), (int) count(first, "SELECT count(*) FROM test_group"),
                (int) count(first, "SELECT count(*) FROM test_case")), summary);
        // The proportions Size.rows() estimates with, within 15%.
        assertEquals(size.rows(), summary.rows(), 0.15 * (summary.rows() - size.jobs() - size.builds() - BOOTS));
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
        StringJoiner ids = new StringJoiner(" UNION ALL ", "SELECT count(*) FROM (SELECT id FROM (", ") ids GROUP BY id"
                + " HAVING count(*) > 1) twice");
        TABLES.forEach(table -> ids.add("SELECT id FROM " + table));
        assertEquals(0, count(first, ids.toString()));
    }

    @Test
    @DisplayName("12.1: one error log per build with errors, warnings or mismatches, as many lines of each as the build"
            + " counts, with the build's members; a job's builds share lines")
    void errorLogs() throws SQLException {
        assertEquals(count(first, "SELECT count(*) FROM build WHERE errors > 0 OR warnings > 0 OR mismatches > 0"),
                count(first, "SELECT count(*) FROM error_logs"));
        assertEquals(0, count(first, "SELECT count(*) FROM error_logs e LEFT JOIN build b ON b.id = e.build_id"
                + " WHERE b.id IS NULL OR e.created_on <= b.created_on"
                + " OR jsonb_array_length(e.errors) <> coalesce(b.errors, 0)"
                + " OR jsonb_array_length(e.warnings) <> coalesce(b.warnings, 0)"
                + " OR jsonb_array_length(e.mismatches) <> coalesce(b.mismatches, 0) OR "
                + differs("e", "b", List.of("job_id", "job", "kernel", "git_branch", "arch", "defconfig", "defconfig_full",
                        "build_environment", "compiler", "compiler_version", "compiler_version_ext",
                        "compiler_version_full", "status", "file_server_url", "file_server_resource"))));
        assertEquals(0, count(first, "SELECT count(*) FROM error_logs, jsonb_array_elements(errors || warnings || mismatches)"
                + " AS line WHERE jsonb_typeof(line) <> 'string'"));
        assertEquals(0, count(first, "SELECT count(*) FROM error_logs, jsonb_array_elements_text(mismatches) AS line"
                + " WHERE line NOT LIKE '%Section mismatch in reference from the %'"));
        assertTrue(count(first, "SELECT count(*) FROM error_logs, jsonb_array_elements_text(errors) AS line"
                + " WHERE line ~ '^[a-z0-9_/-]+\\.[ch]:[0-9]+:[0-9]+: error: '") > 0);
        assertTrue(count(first, "SELECT count(*) FROM error_logs, jsonb_array_elements_text(warnings) AS line"
                + " WHERE line ~ '^[a-z0-9_/-]+\\.[ch]:[0-9]+:[0-9]+: warning: '") > 0);
        // Mismatches are counted wherever errors are (an UNKNOWN build may have neither), some builds have them.
        assertEquals(0, count(first, "SELECT count(*) FROM build WHERE (errors IS NULL) <> (mismatches IS NULL)"));
        assertTrue(count(first, "SELECT count(*) FROM build WHERE mismatches > 0") > 0);
        // A job's log summary counts most of its lines more than once.
        long lines = count(first, "SELECT count(*) FROM error_logs, jsonb_array_elements_text(errors || warnings) AS line");
        long repeated = count(first, "SELECT sum(n) FROM (SELECT count(*) AS n FROM error_logs AS e,"
                + " jsonb_array_elements_text(e.errors || e.warnings) AS line GROUP BY e.job_id, line HAVING count(*) > 1) AS r");
        assertTrue(repeated > lines / 2, repeated + " of " + lines + " lines repeated");
    }

    @Test
    @DisplayName("4.9, 4.11, 4.16, 4.20: builds have the toolchain and sizes the build pages read, jobs their first"
            + " build's compiler, boots their build's toolchain, a time and a mach")
    void buildAndBootMembers() throws SQLException {
        assertEquals(0, count(first, "SELECT count(*) FROM build WHERE build_environment IS NULL OR compiler IS NULL"
                + " OR compiler_version IS NULL OR compiler_version_full IS NULL OR compiler_version_ext IS NULL"
                + " OR cross_compile IS NULL OR jsonb_array_length(build_platform) <> 6 OR build_log_size IS NULL"
                + " OR kernel_config_size IS NULL"));
        assertEquals(0, count(first, "SELECT count(*) FROM build WHERE status = 'PASS' AND (kernel_image_size IS NULL"
                + " OR system_map_size IS NULL OR vmlinux_file_size IS NULL OR vmlinux_text_size IS NULL"
                + " OR vmlinux_data_size IS NULL OR vmlinux_bss_size IS NULL OR (modules IS NULL) <> (modules_size IS NULL))"));
        // One toolchain per defconfig, in every tree: its builds form one chain across trees (section 12.4).
        assertEquals(0, count(first, "SELECT count(*) FROM (SELECT 1 FROM build GROUP BY arch, defconfig_full"
                + " HAVING count(DISTINCT build_environment) > 1) AS twice"));
        assertTrue(count(first, "SELECT count(DISTINCT build_environment) FROM build") >= 3);
        assertEquals(0, count(first, "SELECT count(*) FROM job AS j JOIN LATERAL (SELECT * FROM build AS b"
                + " WHERE b.job_id = j.id ORDER BY b.created_on, b.id LIMIT 1) AS f ON true WHERE j.compiler IS NULL OR "
                + differs("j", "f", List.of("compiler", "compiler_version", "compiler_version_ext", "compiler_version_full",
                        "cross_compile"))));
        assertEquals(0, count(first, "SELECT count(*) FROM boot AS t JOIN build AS b ON b.id = t.defconfig_id"
                + " WHERE t.time_ms IS NULL OR t.mach IS NULL OR t.device_type IS DISTINCT FROM t.board"
                + " OR t.kernel_image IS NOT NULL AND t.kernel_image_size IS DISTINCT FROM b.kernel_image_size OR "
                + differs("t", "b", List.of("build_environment", "compiler", "compiler_version", "compiler_version_ext",
                        "compiler_version_full", "cross_compile"))));
        long instances = count(first, "SELECT count(*) FROM boot WHERE board_instance IS NOT NULL");
        assertTrue(instances > BOOTS / 5 && instances < BOOTS, instances + " boots with a board_instance");
    }

    @Test
    @DisplayName("12.6: plan runs are top groups with the members of a boot, its build and job, after them; sub-groups"
            + " repeat them, numbered from 1, up to two levels deep")
    void testGroups() throws SQLException {
        long runs = count(first, "SELECT count(*) FROM test_group WHERE parent_id IS NULL");
        assertTrue(runs > BOOTS / 30 && runs < BOOTS / 8, runs + " plan runs");
        assertEquals(Set.copyOf(DataGenerator.PLANS),
                Set.copyOf(strings(first, "SELECT DISTINCT name FROM test_group WHERE parent_id IS NULL")));
        assertEquals(0, count(first, "SELECT count(*) FROM test_group WHERE parent_id IS NULL AND (arch IS NULL"
                + " OR build_environment IS NULL OR defconfig IS NULL OR device_type IS NULL OR git_branch IS NULL"
                + " OR git_commit IS NULL OR job IS NULL OR kernel IS NULL OR lab_name IS NULL OR time_ms IS NULL"
                + " OR build_id IS NULL OR job_id IS NULL OR plan_variant IS NULL OR board IS NULL OR mach IS NULL"
                + " OR boot_log IS NULL OR file_server_resource IS NULL OR index IS NOT NULL)"));
        // Its build: the newest of its job, kernel, branch, arch, defconfig and environment before it, and its job's.
        assertEquals(0, count(first, "SELECT count(*) FROM test_group AS g LEFT JOIN build AS b ON b.id = g.build_id"
                + " LEFT JOIN job AS j ON j.id = g.job_id WHERE g.parent_id IS NULL AND (b.id IS NULL OR j.id IS NULL"
                + " OR g.created_on <= b.created_on OR j.kernel IS DISTINCT FROM g.kernel OR "
                + differs("g", "b", List.of("job_id", "job", "kernel", "git_branch", "git_commit", "git_describe", "git_url",
                        "arch", "defconfig", "defconfig_full", "build_environment", "compiler", "compiler_version",
                        "compiler_version_full", "cross_compile", "modules", "file_server_resource"))
                + " OR EXISTS (SELECT 1 FROM build AS n WHERE n.job = g.job AND n.kernel = g.kernel"
                + " AND n.git_branch = g.git_branch AND n.arch = g.arch AND n.defconfig = g.defconfig"
                + " AND n.defconfig_full = g.defconfig_full AND n.build_environment = g.build_environment"
                + " AND n.created_on > b.created_on AND n.created_on < g.created_on))"));
        // A boot of that build on its board in its lab before it, which failed when the run says so.
        assertEquals(0, count(first, "SELECT count(*) FROM test_group AS g WHERE parent_id IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM boot AS t WHERE t.defconfig_id = g.build_id AND t.board = g.board"
                + " AND t.lab_name = g.lab_name AND t.created_on < g.created_on"
                + " AND t.status = CASE WHEN g.boot_result_description IS NULL THEN 'PASS' ELSE 'FAIL' END)"));
        assertEquals(0, count(first, "SELECT count(*) FROM test_group AS s JOIN test_group AS p ON p.id = s.parent_id"
                + " WHERE " + differs("s", "p", GROUP_MEMBERS)));
        // Parent chains end at a top group within two steps; some take two.
        assertEquals(0, count(first, "SELECT count(*) FROM test_group AS s LEFT JOIN test_group AS p ON p.id = s.parent_id"
                + " LEFT JOIN test_group AS q ON q.id = p.parent_id WHERE s.parent_id IS NOT NULL"
                + " AND (p.id IS NULL OR p.parent_id IS NOT NULL AND (q.id IS NULL OR q.parent_id IS NOT NULL))"));
        assertTrue(count(first, "SELECT count(*) FROM test_group AS s JOIN test_group AS p ON p.id = s.parent_id"
                + " WHERE p.parent_id IS NOT NULL") > 0);
        assertEquals(0, count(first, "SELECT count(*) FROM (SELECT parent_id FROM test_group WHERE parent_id IS NOT NULL"
                + " GROUP BY parent_id HAVING min(index) <> 1 OR max(index) <> count(*) OR count(DISTINCT index) <> count(*))"
                + " AS misnumbered"));
        assertEquals(0, count(first, "SELECT count(*) FROM test_group AS g WHERE NOT EXISTS (SELECT 1 FROM test_case AS c"
                + " WHERE c.test_group_id = g.id) AND NOT EXISTS (SELECT 1 FROM test_group AS s WHERE s.parent_id = g.id)"));
        assertTrue(count(first, "SELECT count(DISTINCT device_type) FROM test_group") >= 100);
        assertTrue(count(first, "SELECT count(DISTINCT kernel) FROM test_group") >= 35);
        assertTrue(count(first, "SELECT count(DISTINCT mach) FROM test_group") >= 20);
    }

    @Test
    @DisplayName("12.6: test cases have their group's members, are numbered from 1 in it, PASS, FAIL or SKIP; some have"
            + " measurements, some FAIL ones log lines")
    void testCases() throws SQLException {
        long cases = count(first, "SELECT count(*) FROM test_case");
        assertTrue(cases > BOOTS / 10 && cases < BOOTS / 2, cases + " test cases");
        assertEquals(0, count(first, "SELECT count(*) FROM test_case AS c LEFT JOIN test_group AS g"
                + " ON g.id = c.test_group_id WHERE g.id IS NULL OR " + differs("c", "g", CASE_MEMBERS)));
        assertEquals(0, count(first, "SELECT count(*) FROM (SELECT test_group_id FROM test_case GROUP BY test_group_id"
                + " HAVING min(index) <> 1 OR max(index) <> count(*) OR count(DISTINCT index) <> count(*)) AS misnumbered"));
        assertEquals(Set.of("PASS", "FAIL", "SKIP"), Set.copyOf(strings(first, "SELECT DISTINCT status FROM test_case")));
        assertEquals(0, count(first, "SELECT count(*) FROM test_case WHERE time_ms IS NULL OR name IS NULL"));
        assertTrue(count(first, "SELECT count(*) FROM test_case WHERE measurements IS NOT NULL") > 0);
        assertEquals(0, count(first, "SELECT count(*) FROM test_case, jsonb_array_elements(measurements) AS m"
                + " WHERE jsonb_typeof(m -> 'value') <> 'number' OR jsonb_typeof(m -> 'unit') <> 'string'"));
        assertTrue(count(first, "SELECT count(*) FROM test_case WHERE log_lines IS NOT NULL") > 0);
        assertEquals(0, count(first, "SELECT count(*) FROM test_case, jsonb_array_elements(log_lines) AS l"
                + " WHERE status <> 'FAIL' OR jsonb_typeof(l -> 'dt' -> '$date') <> 'number'"
                + " OR jsonb_typeof(l -> 'msg') <> 'string'"));
    }

    @Test
    @DisplayName("12.3, 12.7: boot series and test case series regress, newly (2 long) and recurring, in recent kernels"
            + " of most trees")
    void regressions() throws SQLException {
        long newly = 0;
        long recurring = 0;
        Set<String> treesRegressing = new TreeSet<>();
        try (Connection connection = first.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(BOOT_REGRESSIONS)) {
            while (rows.next()) {
                newly += rows.getLong("new");
                recurring += rows.getLong("recurring");
                if (rows.getInt("recent") <= 3 && rows.getLong("new") + rows.getLong("recurring") > 0) {
                    treesRegressing.add(rows.getString("job"));
                }
            }
        }
        assertTrue(newly > 0 && recurring > 0, "boot regressions: " + newly + " new, " + recurring + " recurring");
        assertTrue(treesRegressing.size() > DataGenerator.JOBS.size() / 2, "trees regressing lately: " + treesRegressing);
        List<String> tests = strings(first, TEST_REGRESSIONS);
        assertTrue(Long.parseLong(tests.get(0)) > 0 && Long.parseLong(tests.get(1)) > 0,
                "test regressions, new and recurring: " + tests);
    }

    @Test
    @DisplayName("12.4: failed builds and boots bisect to a passing one of their chain, with mainline's between them")
    void bisects() throws SQLException {
        List<String> build = List.of("arch", "defconfig", "defconfig_full", "build_environment");
        List<String> boot = List.of("lab_name", "board", "arch", "defconfig", "defconfig_full", "build_environment");
        for (String sql : List.of(bisects("build", build), bisects("boot", boot))) {
            try (Connection connection = first.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                long earlier = rows.getLong("earlier");
                long good = rows.getLong("good");
                long mainline = rows.getLong("mainline");
                assertTrue(earlier > 0 && good > 0.7 * earlier && mainline > 0, earlier + " failed after others, "
                        + good + " after a pass, " + mainline + " with mainline's between: " + sql);
            }
        }
    }

    /**
     * Of the table's failed documents, how many have earlier ones in their chain (the same job,
     * git_branch and other keys), how many an earlier PASS, and how many (of other jobs) have
     * mainline's documents of their other keys between that PASS and them.
     */
    private static String bisects(String table, List<String> otherKeys) {
        StringJoiner chain = new StringJoiner(" AND ", "p.job = f.job AND p.git_branch = f.git_branch AND ", "");
        StringJoiner mainline = new StringJoiner(" AND ", "m.job = 'mainline' AND ", "");
        for (String key : otherKeys) {
            chain.add("p." + key + " = f." + key);
            mainline.add("m." + key + " = f." + key);
        }
        return "WITH f AS (SELECT f.*, (SELECT max(p.created_on) FROM " + table + " AS p WHERE " + chain
                + " AND p.created_on < f.created_on AND p.status = 'PASS') AS good, EXISTS (SELECT 1 FROM " + table
                + " AS p WHERE " + chain + " AND p.created_on < f.created_on) AS earlier FROM " + table
                + " AS f WHERE f.status = 'FAIL')"
                + " SELECT count(*) FILTER (WHERE earlier) AS earlier, count(good) AS good, count(*) FILTER (WHERE"
                + " job <> 'mainline' AND good IS NOT NULL AND EXISTS (SELECT 1 FROM " + table + " AS m WHERE " + mainline
                + " AND m.created_on < f.created_on AND m.created_on >= f.good)) AS mainline FROM f";
    }

    /** Whether any of the columns differ between the rows {@code a} and {@code b}: SQL. */
    private static String differs(String a, String b, List<String> columns) {
        StringJoiner any = new StringJoiner(" OR ", "(", ")");
        for (String column : columns) {
            any.add(a + "." + column + " IS DISTINCT FROM " + b + "." + column);
        }
        return any.toString();
    }

    /**
     * Per job: how many of its failed boots regress (section 12.3: the series' boots before it,
     * newest first, FAIL zero or more times then PASS, and none of its kernel passed in the series
     * in any lab), newly (2 long) or recurring; and how recent its kernel is in its tree.
     */
    private static final String BOOT_REGRESSIONS = "WITH b AS (SELECT id, job, job_id, git_branch, lab_name, arch, board,"
            + " defconfig_full, coalesce(build_environment, 'none') AS toolchain, kernel, status, created_on FROM boot"
            + " WHERE status IN ('PASS', 'FAIL')),"
            + " numbered AS (SELECT *, row_number() OVER (PARTITION BY job, git_branch, lab_name, arch, board,"
            + " defconfig_full, toolchain ORDER BY created_on, id) AS n FROM b),"
            + " passes AS (SELECT *, max(CASE WHEN status = 'PASS' THEN n END) OVER (PARTITION BY job, git_branch,"
            + " lab_name, arch, board, defconfig_full, toolchain ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING"
            + " AND 1 PRECEDING) AS last_pass FROM numbered),"
            + " regressions AS (SELECT x.*, n - last_pass + 1 AS length FROM passes AS x WHERE status = 'FAIL'"
            + " AND last_pass IS NOT NULL AND NOT EXISTS (SELECT 1 FROM b AS y WHERE y.job = x.job"
            + " AND y.git_branch = x.git_branch AND y.arch = x.arch AND y.board = x.board"
            + " AND y.defconfig_full = x.defconfig_full AND y.toolchain = x.toolchain AND y.kernel = x.kernel"
            + " AND y.status = 'PASS'))"
            + " SELECT j.job, rank() OVER (PARTITION BY j.job ORDER BY j.created_on DESC) AS recent,"
            + " count(r.id) FILTER (WHERE length = 2) AS new, count(r.id) FILTER (WHERE length > 2) AS recurring"
            + " FROM job AS j LEFT JOIN regressions AS r ON r.job_id = j.id GROUP BY j.id";

    /**
     * How many failed cases regress (section 12.7: the case of their path in the runs of their
     * series before, FAIL zero or more times then PASS, with no run between without it), newly and
     * recurring.
     */
    private static final String TEST_REGRESSIONS = "WITH RECURSIVE up AS (SELECT id, id AS top FROM test_group"
            + " WHERE parent_id IS NULL UNION ALL SELECT g.id, up.top FROM test_group AS g JOIN up ON g.parent_id = up.id),"
            + " runs AS (SELECT id, row_number() OVER (PARTITION BY name, job, git_branch, arch, defconfig_full,"
            + " build_environment, device_type, lab_name ORDER BY created_on, id) AS n, dense_rank() OVER (ORDER BY name,"
            + " job, git_branch, arch, defconfig_full, build_environment, device_type, lab_name) AS series"
            + " FROM test_group WHERE parent_id IS NULL),"
            + " cases AS (SELECT c.status, r.series, r.n, array_to_string(test_group_names(c.test_group_id) || c.name, '.')"
            + " AS path FROM test_case AS c JOIN up ON up.id = c.test_group_id JOIN runs AS r ON r.id = up.top),"
            + " islands AS (SELECT *, n - row_number() OVER (PARTITION BY series, path ORDER BY n) AS island FROM cases),"
            + " walked AS (SELECT *, max(CASE WHEN status <> 'FAIL' THEN n END) OVER w AS last_other,"
            + " max(CASE WHEN status = 'PASS' THEN n END) OVER w AS last_pass FROM islands"
            + " WINDOW w AS (PARTITION BY series, path, island ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))"
            + " SELECT unnest(ARRAY[count(*) FILTER (WHERE n - last_pass = 1), count(*) FILTER (WHERE n - last_pass > 1)])"
            + " FROM walked WHERE status = 'FAIL' AND last_pass = last_other";

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

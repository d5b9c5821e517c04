package org.kernelci.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

/** Inserts and upserts from the declarations: golden SQL and binds. */
class InsertStatementTest {
    @Test
    @DisplayName("upsert: every declared column, binds cast to the column types, every column replaced on conflict")
    void upsertJob() {
        InsertStatement upsert = InsertStatement.upsert(Collections.JOB);
        assertEquals("INSERT INTO \"job\" (\"id\", \"created_on\", \"updated_on\", \"name\", \"job\", \"kernel\", \"status\", \"private\", "
                + "\"git_branch\", \"git_commit\", \"git_describe\", \"git_url\", \"version\", \"kernel_version\", "
                + "\"git_describe_v\", \"compiler\", \"compiler_version\", \"compiler_version_ext\", \"compiler_version_full\", "
                + "\"cross_compile\", \"extras\") VALUES (?::char(24), "
                + "?::timestamptz, ?::timestamptz, ?::text, ?::text, ?::text, ?::text, ?::boolean, ?::text, ?::text, ?::text, ?::text, ?::text, "
                + "?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::jsonb) "
                + "ON CONFLICT (\"id\") DO UPDATE SET \"created_on\" = EXCLUDED.\"created_on\", "
                + "\"updated_on\" = EXCLUDED.\"updated_on\", \"name\" = EXCLUDED.\"name\", "
                + "\"job\" = EXCLUDED.\"job\", \"kernel\" = EXCLUDED.\"kernel\", \"status\" = EXCLUDED.\"status\", "
                + "\"private\" = EXCLUDED.\"private\", \"git_branch\" = EXCLUDED.\"git_branch\", "
                + "\"git_commit\" = EXCLUDED.\"git_commit\", \"git_describe\" = EXCLUDED.\"git_describe\", "
                + "\"git_url\" = EXCLUDED.\"git_url\", \"version\" = EXCLUDED.\"version\", "
                + "\"kernel_version\" = EXCLUDED.\"kernel_version\", \"git_describe_v\" = EXCLUDED.\"git_describe_v\", "
                + "\"compiler\" = EXCLUDED.\"compiler\", \"compiler_version\" = EXCLUDED.\"compiler_version\", "
                + "\"compiler_version_ext\" = EXCLUDED.\"compiler_version_ext\", "
                + "\"compiler_version_full\" = EXCLUDED.\"compiler_version_full\", "
                + "\"cross_compile\" = EXCLUDED.\"cross_compile\", \"extras\" = EXCLUDED.\"extras\"", upsert.text());
        assertEquals(Collections.JOB.fields(), upsert.fields());
    }

    @Test
    @DisplayName("boot time goes to its column time_ms; JSON members and the extras are cast to jsonb")
    void insertBoot() {
        String text = InsertStatement.insert(Collections.BOOT).text();
        assertTrue(text.contains("\"time_ms\""), text);
        assertTrue(text.endsWith("?::text, ?::jsonb)"), text);
        assertEquals(Collections.BOOT.fields().size(), text.chars().filter(c -> c == '?').count());
    }

    @Test
    @DisplayName("binds follow the fields; absent fields bind null")
    void binds() {
        Map<Field, Object> values = new HashMap<>();
        values.put(Collections.JOB.idField(), "547c3c20a000000000000001");
        values.put(Collections.JOB.field("kernel").orElseThrow(), "v3.18");
        Object[] expected = new Object[Collections.JOB.fields().size()];
        expected[0] = "547c3c20a000000000000001";
        expected[Collections.JOB.fields().indexOf(Collections.JOB.field("kernel").orElseThrow())] = "v3.18";
        assertEquals(Arrays.asList(expected), InsertStatement.insert(Collections.JOB).binds(values));
    }

    @Test
    @DisplayName("insert of several rows: one VALUES row of casts per document, binds one row after the other")
    void insertRows() {
        InsertStatement insert = InsertStatement.insert(Collections.LAB, 2);
        String row = "(" + String.join(", ", Collections.LAB.fields().stream()
                .map(field -> "?::" + field.type().sqlType()).toList()) + ")";
        assertTrue(insert.text().endsWith(" VALUES " + row + ", " + row), insert.text());
        Field name = Collections.LAB.field("name").orElseThrow();
        java.util.List<Object> binds = insert.binds(java.util.List.of(Map.of(name, "a"), Map.of(name, "b")));
        assertEquals(2 * Collections.LAB.fields().size(), binds.size());
        int at = Collections.LAB.fields().indexOf(name);
        assertEquals("a", binds.get(at));
        assertEquals("b", binds.get(Collections.LAB.fields().size() + at));
        assertTrue(InsertStatement.maxRows(Collections.DEFCONFIG) * Collections.DEFCONFIG.fields().size() <= 32_767);
    }
}

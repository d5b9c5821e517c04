package org.kernelci.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

/** Updates of several documents as one statement: golden SQL and binds. */
class ChangeStatementTest {
    private static final Field STATUS = Collections.JOB.field("status").orElseThrow();
    private static final Field KERNEL = Collections.JOB.field("kernel").orElseThrow();
    private static final String ID_A = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String ID_B = "bbbbbbbbbbbbbbbbbbbbbbbb";

    @Test
    @DisplayName("updateMany: one VALUES row per document; a column all set is a plain value, one some set takes a flag; "
            + "a null clears")
    void updateMany() {
        Map<Field, Object> first = new LinkedHashMap<>();
        first.put(STATUS, "PASS");
        first.put(KERNEL, null);
        Map<Field, Object> second = new HashMap<>(Map.of(STATUS, "FAIL"));
        SqlQuery update = ChangeStatement.updateMany(Collections.JOB, List.of(ID_A, ID_B), List.of(first, second));
        String returning = String.join(", ", Collections.JOB.fields().stream()
                .map(field -> "t.\"" + field.column() + "\"").toList());
        assertEquals("UPDATE \"job\" AS t SET \"kernel\" = CASE WHEN v.s0 THEN v.c0 ELSE t.\"kernel\" END, "
                + "\"status\" = v.c1 FROM (VALUES (?::char(24), ?::boolean, ?::text, ?::text), "
                + "(?::char(24), ?::boolean, ?::text, ?::text)) AS v (id, s0, c0, c1) WHERE t.\"id\" = v.id RETURNING "
                + returning, update.text());
        assertEquals(Arrays.asList(ID_A, true, null, "PASS", ID_B, false, null, "FAIL"), update.binds());
        assertTrue(update.binds().size() <= 2 * ChangeStatement.bindsPerRow(Collections.JOB));
    }
}

package org.kernelci.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * CONTRACT.md §1 and §12.3: documents inside computed answers are built by SQL from the
 * declarations, member for member as the plain GET writes them. (BootRegressionsIT compares the
 * result with GET /boot/<id> on real documents.)
 */
class DocumentJsonTest {
    @Test
    @DisplayName("§1: every declared field and alias is a member, in declaration order, the alias beside its field")
    void membersFollowTheDeclarations() {
        for (Collection collection : List.of(Collections.JOB, Collections.DEFCONFIG, Collections.BOOT, Collections.TEST_CASE)) {
            String sql = DocumentJson.of(collection, "x");
            List<String> expected = new ArrayList<>();
            for (Field field : collection.fields()) {
                if (field.type() != FieldType.EXTRAS) {
                    expected.add(field.name());
                    expected.addAll(field.aliases());
                }
            }
            assertEquals(expected, memberNames(sql), collection.name());
            assertTrue(sql.contains("x.\"extras\""), collection.name() + ": the extras' members follow the fields");
        }
        List<String> boot = memberNames(DocumentJson.of(Collections.BOOT, "x"));
        assertEquals(boot.indexOf("defconfig_id") + 1, boot.indexOf("build_id"));
    }

    @Test
    @DisplayName("§1: PostgreSQL takes at most 100 arguments a call: a boot's 62 members go in pieces of at most 50 pairs")
    void piecesStayUnderTheArgumentLimit() {
        String sql = DocumentJson.of(Collections.BOOT, "x");
        int calls = 0;
        for (String piece : sql.split("\\|\\| ', ' \\|\\|")) {
            int members = memberNames(piece).size();
            assertTrue(members <= DocumentJson.MEMBERS_PER_CALL, piece);
            calls += members > 0 ? 1 : 0;
        }
        assertEquals(2, calls);
        assertTrue(sql.startsWith("('{' || ") && sql.endsWith(" || '}')::json"), sql);
    }

    @Test
    @DisplayName("§1: a projection without the extras is one call; ids, times, durations, lists and objects as the GET writes them")
    void valuesAsTheGetWritesThem() {
        List<Field> fields = List.of(Collections.BOOT.idField(), field("created_on"), field("time"), field("metadata"),
                field("status"));
        String sql = DocumentJson.of(fields, "b");
        assertEquals("json_build_object('_id', CASE WHEN b.\"id\" IS NULL THEN NULL ELSE json_build_object('$oid', b.\"id\") END, "
                + "'created_on', CASE WHEN floor(extract(epoch FROM b.\"created_on\") * 1000)::bigint IS NULL THEN NULL "
                + "ELSE json_build_object('$date', floor(extract(epoch FROM b.\"created_on\") * 1000)::bigint) END, "
                + "'time', CASE WHEN b.\"time_ms\" IS NULL THEN NULL ELSE json_build_object('$date', b.\"time_ms\") END, "
                + "'metadata', coalesce(b.\"metadata\", '{}'::jsonb), 'status', b.\"status\")", sql);
        assertEquals("coalesce(x, '[]'::jsonb)", DocumentJson.value(FieldType.LIST, "x"));
    }

    private static Field field(String name) {
        return Collections.BOOT.field(name).orElseThrow();
    }

    /** The member names, in order, of the json_build_object calls (not the nested $oid/$date ones). */
    private static List<String> memberNames(String sql) {
        List<String> names = new ArrayList<>();
        Matcher outer = Pattern.compile("(?:json_build_object\\(|, )'([a-z_]+)', ").matcher(sql);
        while (outer.find()) {
            names.add(outer.group(1));
        }
        return names;
    }
}

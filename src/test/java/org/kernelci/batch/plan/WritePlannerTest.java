package org.kernelci.batch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.ingest.ExportFormat;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

class WritePlannerTest {
    static final Instant NOW = Instant.parse("2014-12-08T12:00:00Z");
    static final WritePlanner PLANNER = new WritePlanner(Clock.fixed(NOW, ZoneOffset.UTC));
    static final String ID = "54819030b000000000000009";

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void aPutConvertsEachMemberExactlyAsAnImportLine() {
        Random random = new Random(12);
        String[] values = {"1", "3.0", "-7", "2147483648", "1.5", "true", "false", "\"PASS\"", "\"\"", "\"2014-12-08\"",
                "\"2014-12-08T10:00:00+0100\"", "{\"$date\":1500}", "{\"$date\":\"2015-01-01T00:00:00Z\"}",
                "{\"$oid\":\"54819030B000000000000009\"}", "\"54819030b00000000000000a\"", "{\"$numberLong\":\"12\"}",
                "[1,{\"a\":null}]", "{\"k\":\"v\"}", "\"a\\u0000b\"", "1e400", "-1"};
        for (Collection collection : Collections.ALL) {
            if (collection.isView()) {
                continue;
            }
            List<Field> stored = collection.storedFields();
            for (int round = 0; round < 300; round++) {
                // Neither _id (first) nor the extras (last), which no member names.
                Field field = stored.get(1 + random.nextInt(stored.size() - 2));
                if (field.name().equals("created_on") || field.name().equals("updated_on")) {
                    continue;
                }
                String member = "{\"" + field.name() + "\":" + values[random.nextInt(values.length)] + "}";
                ExportFormat.Reading line = ExportFormat.read(collection, member, NOW);
                if (line instanceof ExportFormat.Accepted accepted) {
                    Write.Update update = PLANNER.update(collection, ID, json(member));
                    assertEquals(accepted.document().values().get(field), update.values().get(field), member);
                } else {
                    ApiException e = assertThrows(ApiException.class, () -> PLANNER.update(collection, ID, json(member)));
                    assertEquals("Invalid document: " + ((ExportFormat.Rejected) line).reason(), e.reason(), member);
                }
            }
        }
    }

    @Test
    void computedMembersAreRefusedByPutAndIgnoredByImport() {
        ApiException e = assertThrows(ApiException.class, () -> PLANNER.update(Collections.TEST_GROUP, ID,
                json("{\"name\":\"baseline\",\"test_cases\":[],\"sub_groups\":[]}")));
        assertEquals("Invalid document: 'test_cases' is computed from other documents: it cannot be set; "
                + "'sub_groups' is computed from other documents: it cannot be set", e.reason());
        ExportFormat.Reading line = ExportFormat.read(Collections.ERROR_LOGS,
                "{\"errors\":[\"e\"],\"errors_count\":7}", NOW);
        ExportFormat.Accepted accepted = assertInstanceOf(ExportFormat.Accepted.class, line);
        assertEquals(List.of(), accepted.extraMembers());
        assertEquals(null, accepted.document().get("errors_count"));
    }

    @Test
    void viewsAreNeverWritten() {
        for (Collection view : List.of(Collections.ERRORS_SUMMARY, Collections.DAILY_STATS)) {
            assertEquals(405, assertThrows(ApiException.class, () -> PLANNER.update(view, ID, json("{}"))).status());
            assertEquals(405, assertThrows(ApiException.class, () -> PLANNER.delete(view, ID)).status());
        }
    }

    @Test
    void serverFieldsUnknownMembersAndIds() {
        ApiException e = assertThrows(ApiException.class, () -> PLANNER.update(Collections.BOOT, ID,
                json("{\"_id\":\"x\",\"created_on\":1,\"updated_on\":1,\"nope\":1}")));
        assertEquals("Invalid document: '_id' cannot be set; 'created_on' cannot be set; 'updated_on' cannot be set; "
                + "unknown member 'nope'", e.reason());
        assertEquals("Wrong ID value provided",
                assertThrows(ApiException.class, () -> PLANNER.delete(Collections.BOOT, "xyz")).reason());
        Write.Update update = PLANNER.update(Collections.JOB, ID.toUpperCase(java.util.Locale.ROOT), json("{\"status\":null}"));
        assertEquals(ID, update.id());
        Map<Field, Object> expected = new HashMap<>();
        expected.put(Collections.JOB.field("status").orElseThrow(), null);
        expected.put(Collections.JOB.field("updated_on").orElseThrow(), NOW.atOffset(ZoneOffset.UTC));
        assertEquals(expected, update.values());
        assertEquals(405, assertThrows(ApiException.class, () -> PLANNER.create(Collections.LAB, json("{}"))).status());
        assertInstanceOf(Write.Create.class, PLANNER.create(Collections.JOB, json("{\"job\":\"j\",\"kernel\":\"k\"}")));
        assertTrue(((Write.Create) PLANNER.create(Collections.JOB, json("{\"job\":\"j\",\"kernel\":\"k\"}"))).documents().size() == 1);
    }
}

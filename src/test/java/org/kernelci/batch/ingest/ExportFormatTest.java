package org.kernelci.batch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/** Lines of a MongoDB export into rows, field by declared type. */
class ExportFormatTest {
    private static final Instant NOW = Instant.parse("2015-01-01T00:00:00Z");
    private static final String ID = "547c6650c00000000000000d";

    private static StoredDocument accepted(Collection collection, String line) {
        ExportFormat.Reading reading = ExportFormat.read(collection, line, NOW);
        return assertInstanceOf(ExportFormat.Accepted.class, reading, reading.toString()).document();
    }

    private static String rejected(Collection collection, String line) {
        ExportFormat.Reading reading = ExportFormat.read(collection, line, NOW);
        return assertInstanceOf(ExportFormat.Rejected.class, reading, reading.toString()).reason();
    }

    @Test
    @DisplayName("a boot in the export's spelling: $oid ids, $date times, the duration as $date, JSON as text")
    void bootInExportSpelling() {
        StoredDocument boot = accepted(Collections.BOOT, """
                {"_id":{"$oid":"547C6650C00000000000000D"},"created_on":{"$date":1417438800000},\
                "job":"mainline","job_id":{"$oid":"547c3c20a000000000000001"},"build_id":"547c4a30b000000000000006",\
                "time":{"$date":12345},"warnings":2,"fastboot":false,"metadata":{"a":[1,"x"]},"status":"PASS"}""");
        assertEquals(ID, boot.id());
        assertEquals(OffsetDateTime.parse("2014-12-01T13:00:00Z"), boot.get("created_on"));
        assertEquals("mainline", boot.get("job"));
        assertEquals("547c3c20a000000000000001", boot.get("job_id"));
        assertEquals("547c4a30b000000000000006", boot.get("defconfig_id"));
        assertEquals(12345L, boot.get("time"));
        assertEquals(2, boot.get("warnings"));
        assertEquals(false, boot.get("fastboot"));
        assertEquals("{\"a\":[1,\"x\"]}", boot.get("metadata"));
        assertEquals(null, boot.get("board"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"$date\":1417438800000}                        | 2014-12-01T13:00:00Z",
            "{\"$date\":\"2014-12-01T13:00:00Z\"}             | 2014-12-01T13:00:00Z",
            "{\"$date\":\"2014-12-01T14:00:00.000+0100\"}     | 2014-12-01T13:00:00Z",
            "{\"$date\":\"2014-12-01T14:00:00+01:00\"}        | 2014-12-01T13:00:00Z",
            "{\"$date\":{\"$numberLong\":\"1417438800000\"}}  | 2014-12-01T13:00:00Z",
            "\"2014-12-01T13:00:00.5Z\"                       | 2014-12-01T13:00:00.5Z",
            "\"2014-12-01T13:00:00\"                          | 2014-12-01T13:00:00Z",
            "\"2014-12-01\"                                   | 2014-12-01T00:00:00Z",
    })
    @DisplayName("dates: $date with milliseconds or ISO-8601, or an ISO-8601 string; no offset means UTC")
    void dates(String json, String expected) {
        StoredDocument job = accepted(Collections.JOB, "{\"_id\":\"" + ID + "\",\"created_on\":" + json + "}");
        assertEquals(OffsetDateTime.parse(expected).withOffsetSameInstant(ZoneOffset.UTC), job.get("created_on"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"$date\":12345}                         | 12345",
            "12345                                     | 12345",
            "{\"$date\":\"1970-01-01T00:00:12.345Z\"}  | 12345",
            "{\"$numberLong\":\"12345\"}               | 12345",
    })
    @DisplayName("boot time: {$date: ms} (a duration, as the original stored it) or a number of ms")
    void durations(String json, long expected) {
        assertEquals(expected, accepted(Collections.BOOT, "{\"time\":" + json + "}").get("time"));
    }

    @Test
    @DisplayName("a document without _id gets one from its created_on; without created_on, the import's time")
    void defaults() {
        StoredDocument dated = accepted(Collections.JOB, "{\"created_on\":{\"$date\":1417438800000}}");
        assertTrue(dated.id().startsWith("547c6650"), dated.id());
        StoredDocument bare = accepted(Collections.JOB, "{\"job\":\"next\"}");
        assertEquals(NOW.atOffset(ZoneOffset.UTC), bare.get("created_on"));
        assertTrue(bare.id().matches("[0-9a-f]{24}"));
    }

    @Test
    @DisplayName("members no field is declared for are kept as extras and named; null members are absent")
    void unknownMembers() {
        ExportFormat.Accepted reading = (ExportFormat.Accepted) ExportFormat.read(Collections.JOB,
                "{\"_id\":\"" + ID + "\",\"kernel_version\":\"3.18\",\"status\":null,\"board_offline\":[1,{\"a\":null}],"
                        + "\"gone\":null,\"lab_extra\":\"x\"}", NOW);
        assertEquals(List.of("board_offline", "lab_extra"), reading.extraMembers());
        assertEquals("3.18", reading.document().get("kernel_version"));
        assertEquals(null, reading.document().get("status"));
        assertEquals("{\"board_offline\":[1,{\"a\":null}],\"lab_extra\":\"x\"}",
                reading.document().values().get(Collections.JOB.extrasField()));
    }

    @Test
    @DisplayName("an extra member with a NUL character rejects the line, naming the member")
    void extraWithNul() {
        ExportFormat.Rejected rejected = (ExportFormat.Rejected) ExportFormat.read(Collections.JOB,
                "{\"_id\":\"" + ID + "\",\"odd\":\"a\\u0000b\"}", NOW);
        assertEquals("'odd' must be JSON without NUL characters", rejected.reason());
    }

    @Test
    @DisplayName("lab: contact and address as JSON, token as a reference")
    void lab() {
        StoredDocument lab = accepted(Collections.LAB, """
                {"_id":{"$oid":"%s"},"name":"lab-a","token":{"$oid":"547c3c20a000000000000001"},\
                "contact":{"name":"A","email":"a@b"},"address":{"city":"X"},"updated_on":{"$date":0}}""".formatted(ID));
        assertEquals("{\"name\":\"A\",\"email\":\"a@b\"}", lab.get("contact"));
        assertEquals("547c3c20a000000000000001", lab.get("token"));
        assertEquals(OffsetDateTime.parse("1970-01-01T00:00:00Z"), lab.get("updated_on"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"warnings\":\"many\"}                | 'warnings' must be an integer, not \"many\"",
            "{\"warnings\":1.5}                     | 'warnings' must be an integer, not 1.5",
            "{\"warnings\":3000000000}              | 'warnings' must be an integer, not 3000000000",
            "{\"_id\":\"next-next-20140905\"}       | '_id' must be {\"$oid\": \"<24 hex digits>\"} or a 24-hex-digit string, not \"next-next-20140905\"",
            "{\"_id\":{\"$oid\":\"123\"}}           | '_id' must be {\"$oid\": \"<24 hex digits>\"} or a 24-hex-digit string, not {\"$oid\":\"123\"}",
            "{\"job_id\":42}                        | 'job_id' must be {\"$oid\": \"<24 hex digits>\"} or a 24-hex-digit string, not 42",
            "{\"fastboot\":\"yes\"}                 | 'fastboot' must be true or false, not \"yes\"",
            "{\"board\":7}                          | 'board' must be a string without NUL characters, not 7",
            "{\"board\":\"a\\u0000b\"}              | 'board' must be a string without NUL characters, not \"a\\u0000b\"",
            "{\"time\":-1}                          | 'time' must be {\"$date\": <milliseconds>} or a number of milliseconds, not negative, not -1",
            "{\"created_on\":1417438800000}         | 'created_on' must be {\"$date\": <milliseconds>}, {\"$date\": \"<ISO-8601>\"} or an ISO-8601 string, not 1417438800000",
            "{\"created_on\":{\"$date\":\"soon\"}}  | 'created_on' must be {\"$date\": <milliseconds>}, {\"$date\": \"<ISO-8601>\"} or an ISO-8601 string, not {\"$date\":\"soon\"}",
            "{\"metadata\":{\"a\":\"\\u0000\"}}     | 'metadata' must be JSON without NUL characters, not {\"a\":\"\\u0000\"}",
            "{\"warnings\":\"x\",\"retries\":true}  | 'warnings' must be an integer, not \"x\"; 'retries' must be an integer, not true",
            "{\"job\" 1}                            | not valid JSON (column 8)",
            "{\"job\":                              | not valid JSON (the line ends too early)",
            "[1,2]                                  | not a JSON object",
            "{} {}                                  | not valid JSON (column 4)",
    })
    @DisplayName("a line with a bad member is rejected with every bad member named")
    void rejections(String line, String reason) {
        assertEquals(reason, rejected(Collections.BOOT, line));
    }
}

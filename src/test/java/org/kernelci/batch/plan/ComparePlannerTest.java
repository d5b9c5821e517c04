package org.kernelci.batch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.schema.Collections;

/** CONTRACT.md section 12.5: a compare request's checks, and the id it is kept under. */
class ComparePlannerTest {
    private static final ComparePlanner PLANNER = new ComparePlanner(3);

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    private static ComparePlan plan(CompareKind kind, String body) {
        return PLANNER.plan(kind, json(body));
    }

    private static String refused(CompareKind kind, String body) {
        ApiException e = assertThrows(ApiException.class, () -> plan(kind, body));
        assertEquals(400, e.status(), body);
        return e.reason();
    }

    @Test
    @DisplayName("§12.5 the same members and targets in the same order: the same kept request and id, "
            + "whatever the members' order, nulls, empty strings, an id's case or an id member's companions")
    void sameRequestSameId() {
        ComparePlan plan = plan(CompareKind.JOB,
                "{\"job\":\"mainline\",\"kernel\":\"v3.18-rc7\",\"compare_to\":[{\"job\":\"next\",\"kernel\":\"next-20141205\"}]}");
        assertEquals("{\"job\":\"mainline\",\"kernel\":\"v3.18-rc7\",\"compare_to\":[{\"job\":\"next\",\"kernel\":\"next-20141205\"}]}",
                plan.request());
        // The id of the fixtures' kept request (collections.sql) and of openapi.json's example.
        assertEquals("6f7eb5e92c30824b5375e450", plan.id());
        for (String same : List.of(
                "{\"compare_to\":[{\"kernel\":\"next-20141205\",\"job\":\"next\"}],\"kernel\":\"v3.18-rc7\",\"job\":\"mainline\"}",
                "{\"job\":\"mainline\",\"job_id\":null,\"kernel\":\"v3.18-rc7\",\"compare_to\":[{\"job\":\"next\",\"job_id\":\"\","
                        + "\"kernel\":\"next-20141205\"}]}")) {
            assertEquals(plan.id(), plan(CompareKind.JOB, same).id(), same);
        }
        String byId = "{\"job_id\":\"547C3C20A000000000000001\",\"compare_to\":[{\"job_id\":\"54818220a000000000000002\"}]}";
        ComparePlan byIds = plan(CompareKind.JOB, byId);
        assertEquals("{\"job_id\":\"547c3c20a000000000000001\",\"compare_to\":[{\"job_id\":\"54818220a000000000000002\"}]}",
                byIds.request());
        assertEquals(byIds.id(), plan(CompareKind.JOB, "{\"job_id\":\"547c3c20a000000000000001\",\"job\":\"ignored\","
                + "\"compare_to\":[{\"job_id\":\"54818220a000000000000002\",\"kernel\":\"ignored\"}]}").id());
        assertEquals(List.of(new Condition.Match(Collections.DEFCONFIG.field("job_id").orElseThrow(),
                List.of("547c3c20a000000000000001"), false)), byIds.targets().get(0).conditions());
    }

    @Test
    @DisplayName("§12.5 another order of targets, another kind, another member: another id")
    void otherRequestsOtherIds() {
        String first = "{\"job\":\"a\",\"kernel\":\"1\",\"compare_to\":[{\"job\":\"b\",\"kernel\":\"2\"},{\"job\":\"c\",\"kernel\":\"3\"}]}";
        String swapped = "{\"job\":\"a\",\"kernel\":\"1\",\"compare_to\":[{\"job\":\"c\",\"kernel\":\"3\"},{\"job\":\"b\",\"kernel\":\"2\"}]}";
        assertNotEquals(plan(CompareKind.JOB, first).id(), plan(CompareKind.JOB, swapped).id());
        String build = "{\"job\":\"a\",\"kernel\":\"1\",\"defconfig_full\":\"d\",\"arch\":\"arm\","
                + "\"compare_to\":[{\"build_id\":\"54819030b000000000000009\"}]}";
        String narrower = "{\"job\":\"a\",\"kernel\":\"1\",\"defconfig_full\":\"d\",\"arch\":\"arm\",\"build_environment\":\"gcc-8\","
                + "\"compare_to\":[{\"build_id\":\"54819030b000000000000009\"}]}";
        assertNotEquals(plan(CompareKind.BUILD, build).id(), plan(CompareKind.BUILD, narrower).id());
        String boot = "{\"boot_id\":\"54819030b000000000000009\",\"compare_to\":[{\"boot_id\":\"54819030b000000000000009\"}]}";
        String sameMembersAsBuild = "{\"build_id\":\"54819030b000000000000009\",\"compare_to\":[{\"build_id\":\"54819030b000000000000009\"}]}";
        assertNotEquals(plan(CompareKind.BOOT, boot).request(), plan(CompareKind.BUILD, sameMembersAsBuild).request());
        assertNotEquals(plan(CompareKind.BOOT, boot).id(), plan(CompareKind.BUILD, sameMembersAsBuild).id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "JOB|{\"job\":\"mainline\",\"compare_to\":[{\"job\":\"n\",\"kernel\":\"k\"}]}|Missing mandatory data to perform a comparison",
        "JOB|{\"job\":\"mainline\",\"kernel\":\"\",\"compare_to\":[{\"job\":\"n\",\"kernel\":\"k\"}]}|Missing mandatory data to perform a comparison",
        "JOB|{\"job\":\"mainline\",\"kernel\":\"k\"}|No data provided to compare to",
        "JOB|{\"job\":\"mainline\",\"kernel\":\"k\",\"compare_to\":null}|No data provided to compare to",
        "JOB|{\"job\":\"mainline\",\"kernel\":\"k\",\"compare_to\":[]}|No data provided to compare to",
        "JOB|{\"job\":\"m\",\"kernel\":\"k\",\"compare_to\":[{\"job\":\"n\",\"kernel\":\"k\"}],\"foo\":1}|Unknown member 'foo'",
        "JOB|{\"job\":\"m\",\"kernel\":\"k\",\"compare_to\":{\"job\":\"n\"}}|'compare_to' must be an array of objects",
        "JOB|{\"job\":\"m\",\"kernel\":\"k\",\"compare_to\":[{\"job\":\"n\",\"kernel\":\"k\",\"compare_to\":[]}]}|compare_to[0]: Unknown member 'compare_to'",
        "JOB|{\"job_id\":\"xyz\",\"compare_to\":[{\"job\":\"n\",\"kernel\":\"k\"}]}|'job_id' must be a 24-digit hexadecimal id: 'xyz'",
        "JOB|{\"job\":\"m\",\"kernel\":\"k\",\"compare_to\":[{},{\"job\":\"n\",\"kernel\":\"k\"},{}]}|compare_to[0]: Missing mandatory data to perform a comparison; compare_to[2]: Missing mandatory data to perform a comparison",
        "JOB|{\"job\":\"m\",\"kernel\":\"k\",\"compare_to\":[1,2,3,4]}|Too many targets in 'compare_to': 4, at most 3",
        "JOB|[]|Provided JSON is not valid: expected an object with the baseline and 'compare_to'",
        "BUILD|{\"job\":\"m\",\"kernel\":\"k\",\"defconfig_full\":\"d\",\"compare_to\":[{\"build_id\":\"54819030b000000000000009\"}]}|Missing mandatory data to perform a comparison",
        "BUILD|{\"job\":\"m\",\"kernel\":\"k\",\"defconfig_full\":\"d\",\"arch\":7,\"compare_to\":[{\"build_id\":\"54819030b000000000000009\"}]}|'arch' must be a string",
        "BOOT|{\"job\":\"m\",\"kernel\":\"k\",\"defconfig_full\":\"d\",\"arch\":\"a\",\"board\":\"b\",\"lab_name\":\"l\",\"defconfig\":\"d\",\"compare_to\":[{\"boot_id\":\"54819030b000000000000009\"}]}|Unknown member 'defconfig'",
        "BOOT|{\"kernel\":5,\"foo\":1,\"compare_to\":[{\"job\":\"n\"},3,{\"boot_id\":\"xyz\",\"job\":\"a\\u0000b\"}]}|'kernel' must be a string; Unknown member 'foo'; Missing mandatory data to perform a comparison; compare_to[0]: Missing mandatory data to perform a comparison; compare_to[1]: expected an object; compare_to[2]: 'boot_id' must be a 24-digit hexadecimal id: 'xyz'; compare_to[2]: 'job' must be text without NUL characters: 'a\u0000b'",
    })
    @DisplayName("§12.5, §6: every problem of a body named in one 400, with the contract's own reasons")
    void refusedWithEveryProblemNamed(CompareKind kind, String body, String reason) {
        assertEquals(reason.replace("\\u0000", "\u0000"), refused(kind, body));
    }

    @Test
    @DisplayName("§12.5 a kept request is planned whatever the target limit is now")
    void keptRequestsIgnoreTheLimit() {
        String four = "{\"job\":\"m\",\"kernel\":\"k\",\"compare_to\":[{\"job\":\"a\",\"kernel\":\"1\"},{\"job\":\"b\",\"kernel\":\"1\"},"
                + "{\"job\":\"c\",\"kernel\":\"1\"},{\"job\":\"d\",\"kernel\":\"1\"}]}";
        assertEquals(5, PLANNER.kept(CompareKind.JOB, json(four)).targets().size());
    }

    @Test
    @DisplayName("§12.5 the routes: /job, /build and /defconfig, /boot")
    void kindsByRoute() {
        assertEquals(CompareKind.JOB, CompareKind.at("job").orElseThrow());
        assertEquals(CompareKind.BUILD, CompareKind.at("build").orElseThrow());
        assertEquals(CompareKind.BUILD, CompareKind.at("defconfig").orElseThrow());
        assertEquals(CompareKind.BOOT, CompareKind.at("boot").orElseThrow());
        assertEquals(java.util.Optional.empty(), CompareKind.at("lab"));
    }
}

package org.kernelci.batch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.schema.Collections;

/** CONTRACT.md §12.4: the bisect query string in, a typed plan or the contract's 400 out. */
class BisectPlannerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2014-12-08T10:00:00Z"), ZoneOffset.UTC);
    private static final BisectPlanner PLANNER = new BisectPlanner(new QueryPlanner(CLOCK, 1000));
    private static final BisectPlanner STRICT = new BisectPlanner(new QueryPlanner(CLOCK, 1000, true));
    private static final String ID = "547C5138B000000000000007";

    private static BisectPlan plan(String query, List<String> ignored) {
        return PLANNER.plan(QueryStringParser.parse(query), ignored);
    }

    @Test
    @DisplayName("§12.4: the frontend's build bisection, plain and compared; build's alias defconfig; the id lower-cased")
    void buildBisections() {
        List<String> ignored = new ArrayList<>();
        BisectPlan plain = plan("collection=build&build_id=" + ID, ignored);
        assertEquals(new BisectPlan(Collections.DEFCONFIG, ID.toLowerCase(), Optional.empty(),
                BisectPlan.Member.of(Collections.DEFCONFIG)), plain);
        assertEquals(30, plain.members().size());
        BisectPlan compared = plan("collection=defconfig&compare_to=mainline&build_id=" + ID, ignored);
        assertEquals(Optional.of("mainline"), compared.compareTo());
        assertEquals(Collections.DEFCONFIG, compared.start());
        assertEquals(List.of(), ignored);
    }

    @Test
    @DisplayName("§12.4: a boot's bisection has the boot's members too; an empty compare_to is none")
    void bootBisections() {
        BisectPlan boot = plan("collection=boot&boot_id=" + ID + "&compare_to=", new ArrayList<>());
        assertEquals(Collections.BOOT, boot.start());
        assertEquals(Optional.empty(), boot.compareTo());
        assertEquals(List.of("board", "boot_id", "lab_name", "device_type"), boot.members().subList(30, 34).stream()
                .map(BisectPlan.Member::wireName).toList());
    }

    @Test
    @DisplayName("§12: field and nfield choose the document's members; unknown names and keys are ignored and named")
    void fieldsAndIgnoredNames() {
        List<String> ignored = new ArrayList<>();
        BisectPlan plan = plan("sort=job&collection=build&field=bisect_data&field=nope&field=job&nfield=job&build_id=" + ID
                + "&boot_id=" + ID + "&field=board", ignored);
        assertEquals(List.of(BisectPlan.Member.BISECT_DATA), plan.members());
        assertEquals(List.of("sort", "field=nope", "boot_id", "field=board"), ignored);
        ApiException strict = assertThrows(ApiException.class,
                () -> STRICT.plan(QueryStringParser.parse("collection=build&build_id=" + ID + "&sort=job"), new ArrayList<>()));
        assertEquals("Unknown query key 'sort' (value 'job')", strict.reason());
    }

    @Test
    @DisplayName("§2: a repeated key takes its last value")
    void lastValueWins() {
        BisectPlan plan = plan("collection=build&collection=boot&boot_id=" + ID, new ArrayList<>());
        assertEquals(Collections.BOOT, plan.start());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "build_id=547c5138b000000000000007|Missing 'collection' key, cannot process the request",
            "collection=&build_id=547c5138b000000000000007|Missing 'collection' key, cannot process the request",
            "collection=job&build_id=547c5138b000000000000007|Provided bisect collection 'job' is not valid",
            "collection=build|Missing 'build_id' key, cannot process the request",
            "collection=build&boot_id=547c5138b000000000000007|Missing 'build_id' key, cannot process the request",
            "collection=boot&build_id=547c5138b000000000000007|Missing 'boot_id' key, cannot process the request",
            "collection=boot&boot_id=nope|Wrong ID value provided",
            "collection=build&build_id=547c5138b00000000000000|Wrong ID value provided"})
    @DisplayName("§12.4: the 400s: no collection, another collection, no id, a malformed id")
    void refusals(String query, String reason) {
        ApiException refused = assertThrows(ApiException.class, () -> plan(query, new ArrayList<>()));
        assertEquals(400, refused.status());
        assertEquals(reason, refused.reason());
    }
}

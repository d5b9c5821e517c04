package org.kernelci.batch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.schema.Collections.BOOT;
import static org.kernelci.batch.schema.Collections.DEFCONFIG;
import static org.kernelci.batch.schema.Collections.JOB;
import static org.kernelci.batch.schema.Collections.LAB;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.SqlCompiler;

/** Issue 17: which counts the per-day rollups answer, with which grouping and days. */
class RollupCountTest {
    static final QueryPlanner PLANNER = new QueryPlanner(
            Clock.fixed(Instant.parse("2014-12-08T10:00:00Z"), ZoneOffset.UTC), 1000);

    static Optional<RollupCount> rollup(Collection collection, String query) {
        CountPlan plan = PLANNER.planCount(Optional.of(collection.name()), QueryStringParser.parse(query));
        return RollupCount.of(collection, plan.targets().get(0).conditions());
    }

    static List<String> fields(RollupCount count) {
        return count.rollup().fields().stream().map(Field::name).toList();
    }

    @Test
    @DisplayName("the grouping with the fewest fields that covers the equalities; date_range as whole days")
    void smallestGrouping() {
        RollupCount count = rollup(BOOT, "job=next&status=FAIL&date_range=5").orElseThrow();
        assertEquals(List.of("job", "status"), fields(count));
        assertEquals(LocalDate.parse("2014-12-03"), count.from());
        assertEquals(LocalDate.parse("2014-12-09"), count.until());
        assertEquals(List.of("job", "status"), fields(rollup(BOOT, "job=next").orElseThrow()));
        assertEquals(List.of(), fields(rollup(BOOT, "").orElseThrow()));
        assertEquals(List.of("status"), fields(rollup(DEFCONFIG, "status=PASS&status=null").orElseThrow()));
        assertEquals(List.of("job", "kernel", "status"), fields(rollup(DEFCONFIG, "kernel=v4.0").orElseThrow()));
        assertEquals(List.of("lab_name", "status"), fields(rollup(BOOT, "lab_name=lab-a&created_on=2014-12-01").orElseThrow()));
        assertEquals(List.of(), fields(rollup(JOB, "date_range=5").orElseThrow()));
    }

    @Test
    @DisplayName("gte/lt on created_on at midnight are whole days; the narrowest bounds win")
    void dayRanges() {
        RollupCount count = rollup(BOOT, "gte=created_on,2014-11-01&gte=created_on,2014-11-05&lt=created_on,2014-12-01&date_range=100")
                .orElseThrow();
        assertEquals(LocalDate.parse("2014-11-05"), count.from());
        assertEquals(LocalDate.parse("2014-12-01"), count.until());
    }

    @Test
    @DisplayName("a range on a field a grouping counts by is answered by that grouping (the dashboard's builds with errors)")
    void rangesOnGroupedFields() {
        RollupCount count = rollup(DEFCONFIG, "job=stable&job=stable-rc&gte=errors,1&date_range=5").orElseThrow();
        assertEquals(List.of("job", "errors"), fields(count));
        assertEquals(List.of("errors"), count.grouped().stream().filter(Condition.Range.class::isInstance)
                .map(range -> ((Condition.Range) range).field().name()).toList());
        assertEquals(List.of("job", "errors"), fields(rollup(DEFCONFIG, "gt=errors,0&lt=errors,10").orElseThrow()));
        assertEquals(List.of("status"), fields(rollup(BOOT, "gte=status,FAIL").orElseThrow()));
        assertTrue(rollup(DEFCONFIG, "gte=errors,1&status=FAIL").isEmpty(), "no grouping counts by status and errors");
        assertTrue(rollup(DEFCONFIG, "gte=warnings,1").isEmpty(), "no grouping counts by warnings");

        var sql = SqlCompiler.rollupCount(count);
        assertEquals("SELECT coalesce(sum(\"n\"), 0)::bigint FROM \"build_rollup\" WHERE \"grouping\" = 30 AND "
                + "\"job\" = ANY(?::text[]) AND \"errors\" >= ?::integer AND \"day\" >= ?::date AND \"day\" < ?::date", sql.text());
        assertEquals(1, ((Number) sql.binds().get(1)).intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"warnings=1", "board=panda&lab_name=lab-a", "gt=created_on,2014-12-01", "lte=created_on,2014-12-01",
            "gte=created_on,2014-12-01T10:00:00Z", "time_range=60", "gte=warnings,1", "_id=54856af59e2a1e7ec4a4d07a",
            "mach=omap4"})
    @DisplayName("another field, a partial day or a pair of fields no grouping covers: counted from the documents")
    void notAnswered(String query) {
        assertTrue(rollup(BOOT, query).isEmpty(), query);
        CountPlan plan = PLANNER.planCount(Optional.of("boot"), QueryStringParser.parse(query));
        assertTrue(SqlCompiler.count(BOOT, plan.targets().get(0).conditions()).text().startsWith("SELECT count(*) FROM \"boot\""));
    }

    @Test
    @DisplayName("a collection without groupings (lab) is counted from its documents")
    void labs() {
        assertTrue(rollup(LAB, "").isEmpty());
    }

    @Test
    @DisplayName("golden SQL: the grouping's mask written in (the declarations' constant, so that a generic plan "
            + "uses its partial index), the matches as for documents, the days; the request's values all bound")
    void sql() {
        RollupCount count = rollup(BOOT, "job=next&job=mainline&status=FAIL&date_range=5").orElseThrow();
        var sql = SqlCompiler.rollupCount(count);
        assertEquals(62, count.rollup().grouping());
        assertEquals("SELECT coalesce(sum(\"n\"), 0)::bigint FROM \"boot_rollup\" WHERE \"grouping\" = 62 AND "
                + "\"job\" = ANY(?::text[]) AND \"status\" = ?::text AND \"day\" >= ?::date AND \"day\" < ?::date", sql.text());
        assertEquals(List.of(LocalDate.parse("2014-12-03"), LocalDate.parse("2014-12-09")), sql.binds().subList(2, 4));
        assertTrue(sql.genericPlan(), "a rollup sum may be planned once");
        assertFalse(SqlCompiler.countRows(BOOT, count.grouped()).genericPlan(), "a count of documents is planned for its values");
    }
}

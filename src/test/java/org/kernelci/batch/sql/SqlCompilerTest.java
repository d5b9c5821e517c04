package org.kernelci.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.schema.Collections.BOOT;
import static org.kernelci.batch.schema.Collections.DEFCONFIG;
import static org.kernelci.batch.schema.Collections.JOB;
import static org.kernelci.batch.schema.Collections.LAB;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.Comparison;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.plan.Condition.Match;
import org.kernelci.batch.plan.Condition.Nothing;
import org.kernelci.batch.plan.Condition.Range;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.DistinctPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

/** Golden SQL plus golden binds: CONTRACT.md §2 "every value is a bind parameter". */
class SqlCompilerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2014-12-08T10:00:00Z"), ZoneOffset.UTC);
    static final QueryPlanner PLANNER = new QueryPlanner(CLOCK, 1000);
    static final String ID = "54856af59e2a1e7ec4a4d07a";
    static final String HOSTILE = "x'; drop table boot;--";

    static Field f(Collection collection, String name) {
        return collection.field(name).orElseThrow();
    }

    static List<Field> fields(Collection collection, String... names) {
        return Stream.of(names).map(n -> f(collection, n)).toList();
    }

    /** A boot plan returning only _id, unsorted, 1000 rows: the rest of the SQL is the condition. */
    static QueryPlan bootWhere(Condition... conditions) {
        return new QueryPlan(BOOT, List.of(conditions), fields(BOOT, "_id"), List.of(), true, List.of(), 1000, 0);
    }

    static List<Object> binds(Object... values) {
        return Arrays.asList(values);
    }

    static void assertSql(String text, List<Object> binds, SqlQuery actual) {
        assertEquals(text, actual.text());
        assertEquals(binds, actual.binds());
        assertEquals(binds.size(), placeholders(actual.text()), "one '?' per bind");
    }

    static long placeholders(String text) {
        return text.chars().filter(c -> c == '?').count();
    }

    static QueryPlan plan(Collection collection, String query) {
        return PLANNER.plan(collection, QueryStringParser.parse(query));
    }

    @Nested
    @DisplayName("conditions: one SQL shape per kind")
    class Conditions {
        @Test
        @DisplayName("no condition: no WHERE; default order _id ASC; LIMIT and OFFSET are binds")
        void none() {
            assertSql("SELECT \"id\" FROM \"boot\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(1000, 0L), SqlCompiler.select(bootWhere()));
        }

        @Test
        @DisplayName("one value: column = ?::type")
        void single() {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"board\" = ?::text ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds("panda", 1000, 0L),
                    SqlCompiler.select(bootWhere(new Match(f(BOOT, "board"), List.of("panda"), false))));
        }

        @Test
        @DisplayName("§2 repeated key means OR: column = ANY(?::type[]) with one array bind")
        void anyArray() {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"board\" = ANY(?::text[]) ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(new SqlArray("text", List.of("panda", "arndale", "beaglebone")), 1000, 0L),
                    SqlCompiler.select(bootWhere(
                            new Match(f(BOOT, "board"), List.of("panda", "arndale", "beaglebone"), false))));
        }

        @Test
        @DisplayName("array binds carry the column's element type")
        void typedArrays() {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"warnings\" = ANY(?::integer[]) AND \"id\" = ANY(?::char(24)[])"
                            + " AND \"time_ms\" = ANY(?::bigint[]) ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(new SqlArray("integer", List.of(1, 2)), new SqlArray("char(24)", List.of(ID, ID.replace('a', 'b'))),
                            new SqlArray("bigint", List.of(10L, 20L)), 1000, 0L),
                    SqlCompiler.select(bootWhere(
                            new Match(f(BOOT, "warnings"), List.of(1, 2), false),
                            new Match(f(BOOT, "_id"), List.of(ID, ID.replace('a', 'b')), false),
                            new Match(f(BOOT, "time"), List.of(10L, 20L), false))));
        }

        @Test
        @DisplayName("§2 null: IS NULL, no bind")
        void isNull() {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"board\" IS NULL ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(1000, 0L), SqlCompiler.select(bootWhere(new Match(f(BOOT, "board"), List.of(), true))));
        }

        @Test
        @DisplayName("value OR NULL, parenthesised")
        void valueOrNull() {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE (\"board\" = ?::text OR \"board\" IS NULL)"
                            + " ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds("panda", 1000, 0L),
                    SqlCompiler.select(bootWhere(new Match(f(BOOT, "board"), List.of("panda"), true))));
            assertSql("SELECT \"id\" FROM \"boot\" WHERE (\"board\" = ANY(?::text[]) OR \"board\" IS NULL)"
                            + " AND \"job\" = ?::text ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(new SqlArray("text", List.of("panda", "arndale")), "next", 1000, 0L),
                    SqlCompiler.select(bootWhere(new Match(f(BOOT, "board"), List.of("panda", "arndale"), true),
                            new Match(f(BOOT, "job"), List.of("next"), false))));
        }

        @ParameterizedTest
        @CsvSource({"GTE, >=", "GT, >", "LTE, <=", "LT, <"})
        @DisplayName("§2 ranges: column <op> ?::type")
        void range(Comparison comparison, String operator) {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"warnings\" " + operator
                            + " ?::integer ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(3, 1000, 0L),
                    SqlCompiler.select(bootWhere(new Range(f(BOOT, "warnings"), comparison, 3))));
        }

        @Test
        @DisplayName("timestamp ranges bind OffsetDateTime cast to timestamptz")
        void timestampRange() {
            OffsetDateTime from = OffsetDateTime.parse("2014-12-08T00:00Z");
            OffsetDateTime to = OffsetDateTime.parse("2014-12-09T00:00Z");
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"created_on\" >= ?::timestamptz AND \"created_on\" < ?::timestamptz"
                            + " ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(from, to, 1000, 0L),
                    SqlCompiler.select(bootWhere(new Range(f(BOOT, "created_on"), Comparison.GTE, from),
                            new Range(f(BOOT, "created_on"), Comparison.LT, to))));
        }

        @Test
        @DisplayName("Nothing: FALSE, no bind")
        void nothing() {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE FALSE AND \"job\" = ?::text ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds("next", 1000, 0L),
                    SqlCompiler.select(bootWhere(new Nothing(), new Match(f(BOOT, "job"), List.of("next"), false))));
        }

        @Test
        @DisplayName("each type casts its bind: char(24), integer, double precision, boolean, timestamptz, bigint")
        void casts() {
            SqlQuery sql = SqlCompiler.select(plan(DEFCONFIG,
                    "field=_id&_id=" + ID + "&job_id=" + ID + "&errors=1&build_time=1.5&lt=created_on,2014-12-01"));
            assertSql("SELECT \"id\" FROM \"build\" WHERE \"id\" = ?::char(24) AND \"job_id\" = ?::char(24)"
                            + " AND \"errors\" = ?::integer AND \"build_time\" = ?::double precision"
                            + " AND \"created_on\" < ?::timestamptz ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(ID, ID, 1, 1.5d, OffsetDateTime.parse("2014-12-01T00:00Z"), 1000, 0L), sql);
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"fastboot\" = ?::boolean AND \"time_ms\" > ?::bigint"
                            + " ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(true, 1500L, 1000, 0L), SqlCompiler.select(plan(BOOT, "field=_id&fastboot=1&gt=time,1500")));
        }
    }

    @Nested
    @DisplayName("§2 order, paging, projection")
    class Shape {
        @Test
        @DisplayName("without sort: _id ascending, whatever sort_order says")
        void defaultOrder() {
            assertEquals("SELECT \"id\" FROM \"job\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(JOB, "field=_id&sort_order=-1")).text());
            assertEquals("SELECT \"id\" FROM \"job\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(JOB, "field=_id&sort_order=1")).text());
        }

        @Test
        @DisplayName("§2 sort fields in order, default descending, _id last as tie-breaker in the same direction")
        void sortDescending() {
            assertEquals("SELECT \"id\" FROM \"boot\" ORDER BY \"created_on\" DESC, \"board\" DESC, \"id\" DESC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(BOOT, "field=_id&sort=created_on&sort=board")).text());
        }

        @Test
        @DisplayName("sort_order=1: every sort field and the tie-breaker ascending")
        void sortAscending() {
            assertEquals("SELECT \"id\" FROM \"boot\" ORDER BY \"board\" ASC, \"id\" ASC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(BOOT, "field=_id&sort=board&sort_order=1")).text());
        }

        @Test
        @DisplayName("sort=_id is not repeated as tie-breaker; the boot field time sorts on time_ms")
        void sortById() {
            assertEquals("SELECT \"id\" FROM \"boot\" ORDER BY \"time_ms\" DESC, \"id\" DESC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(BOOT, "field=_id&sort=_id&sort=time")).text());
        }

        @Test
        @DisplayName("§2 limit and skip bind as LIMIT ? OFFSET ?")
        void paging() {
            assertSql("SELECT \"id\" FROM \"job\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(25, 50L), SqlCompiler.select(plan(JOB, "field=_id&limit=25&skip=50")));
            assertSql("SELECT \"id\" FROM \"job\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(1000, 0L), SqlCompiler.select(plan(JOB, "field=_id&limit=0")));
        }

        @Test
        @DisplayName("projection lists columns in wire order; boot field time is column time_ms")
        void projection() {
            assertEquals("SELECT \"id\", \"board\", \"time_ms\" FROM \"boot\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(BOOT, "field=time&field=board")).text());
            assertEquals("SELECT \"time_ms\" FROM \"boot\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(BOOT, "field=time&nfield=_id")).text());
        }

        @Test
        @DisplayName("every field by default, the table of defconfig is build")
        void allColumns() {
            assertEquals("SELECT \"id\", \"created_on\", \"updated_on\", \"name\", \"job\", \"kernel\", \"status\", \"private\","
                            + " \"git_branch\", \"git_commit\", \"git_describe\", \"git_url\", \"version\", \"kernel_version\","
                            + " \"git_describe_v\", \"compiler\", \"compiler_version\", \"compiler_version_ext\","
                            + " \"compiler_version_full\", \"cross_compile\", \"extras\""
                            + " FROM \"job\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(JOB, "")).text());
            assertEquals("SELECT \"id\", \"created_on\", \"updated_on\", \"name\", \"private\", \"token\", \"contact\","
                            + " \"address\", \"version\", \"extras\" FROM \"lab\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    SqlCompiler.select(plan(LAB, "")).text());
            assertTrue(SqlCompiler.select(plan(DEFCONFIG, "")).text().contains(" FROM \"build\" "));
        }

        @Test
        @DisplayName("an empty projection selects NULL")
        void emptyProjection() {
            QueryPlan plan = new QueryPlan(JOB, List.of(), List.of(), List.of(), true, List.of(), 10, 0);
            assertEquals("SELECT NULL FROM \"job\" ORDER BY \"id\" ASC LIMIT ? OFFSET ?", SqlCompiler.select(plan).text());
        }

        @Test
        @DisplayName("by id: the id bind, LIMIT 1; one plan serves every id, while a list is planned for its values")
        void byId() {
            QueryPlan plan = PLANNER.planById(BOOT, ID.toUpperCase(), QueryStringParser.parse("field=board"));
            assertSql("SELECT \"id\", \"board\" FROM \"boot\" WHERE \"id\" = ?::char(24) ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(ID, 1, 0L), SqlCompiler.select(plan));
            assertTrue(SqlCompiler.select(plan).genericPlan());
            assertTrue(SqlCompiler.select(plan(BOOT, "_id=" + ID + "&status=FAIL")).genericPlan());
            assertFalse(SqlCompiler.select(plan(BOOT, "_id=" + ID + "&_id=" + ID.replace('a', 'b'))).genericPlan());
            assertFalse(SqlCompiler.select(plan(BOOT, "job=next&date_range=5")).genericPlan());
        }

        // boot declares the list indexes (created_on), (status, created_on),
        // (job, status, created_on) and (lab_name, status, created_on); job declares (created_on).
        @ParameterizedTest(name = "{0}: {1}")
        @DisplayName("a list that walks a declared list index in order is planned once")
        @CsvSource(delimiter = '|', value = {"boot|status=FAIL&date_range=1&sort=created_on&limit=20",
            "boot|status=FAIL&lab_name=lab-a&sort=created_on&sort_order=1",
            "boot|sort=created_on&gte=created_on,2014-12-01&skip=40", "job|sort=created_on"})
        void walksListIndex(String collection, String query) {
            assertTrue(SqlCompiler.select(plan(Collections.byName(collection).orElseThrow(), query)).genericPlan());
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("any other boot list is planned for its values")
        @ValueSource(strings = {
            // Not an index's leading fields exactly: one too few, one too many, two values, OR NULL.
            "lab_name=lab-a&sort=created_on", "status=FAIL&board=panda&sort=created_on",
            "status=FAIL&status=PASS&sort=created_on", "status=FAIL&status=null&sort=created_on",
            // A range of another field, another sort, two sort fields, or an aggregate.
            "status=FAIL&gte=warnings,1&sort=created_on", "status=FAIL&sort=board",
            "status=FAIL&sort=created_on&sort=board", "status=FAIL&sort=created_on&aggregate=board"})
        void walksNoListIndex(String query) {
            assertFalse(SqlCompiler.select(plan(BOOT, query)).genericPlan());
        }

        @Test
        @DisplayName("end to end: filters, OR NULL, range, date_range, sort, page")
        void endToEnd() {
            SqlQuery sql = SqlCompiler.select(plan(BOOT,
                    "job=next&board=panda&board=null&gte=warnings,1&date_range=0&sort=created_on&limit=10&skip=5&field=board"));
            assertSql("SELECT \"id\", \"board\" FROM \"boot\" WHERE \"job\" = ?::text"
                            + " AND (\"board\" = ?::text OR \"board\" IS NULL) AND \"warnings\" >= ?::integer"
                            + " AND \"created_on\" >= ?::timestamptz AND \"created_on\" < ?::timestamptz"
                            + " ORDER BY \"created_on\" DESC, \"id\" DESC LIMIT ? OFFSET ?",
                    binds("next", "panda", 1, OffsetDateTime.parse("2014-12-08T00:00Z"),
                            OffsetDateTime.parse("2014-12-09T00:00Z"), 10, 5L), sql);
        }
    }

    @Nested
    @DisplayName("§2 aggregate: one document per distinct value, the first in sort order")
    class Aggregate {
        @Test
        @DisplayName("DISTINCT ON the aggregate fields, inner order: aggregate then sort then _id")
        void sorted() {
            SqlQuery sql = SqlCompiler.select(plan(BOOT, "aggregate=board&field=board&sort=created_on&job=next&limit=5"));
            assertSql("SELECT \"id\", \"board\" FROM (SELECT DISTINCT ON (\"board\") \"id\", \"board\", \"created_on\""
                            + " FROM \"boot\" WHERE \"job\" = ?::text ORDER BY \"board\", \"created_on\" DESC, \"id\" DESC)"
                            + " AS groups ORDER BY \"created_on\" DESC, \"id\" DESC LIMIT ? OFFSET ?",
                    binds("next", 5, 0L), sql);
        }

        @Test
        @DisplayName("without sort: first by _id ascending, groups in _id order")
        void unsorted() {
            SqlQuery sql = SqlCompiler.select(plan(BOOT, "aggregate=kernel&aggregate=board&field=kernel"));
            assertSql("SELECT \"id\", \"kernel\" FROM (SELECT DISTINCT ON (\"kernel\", \"board\") \"id\", \"kernel\""
                            + " FROM \"boot\" ORDER BY \"kernel\", \"board\", \"id\" ASC)"
                            + " AS groups ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(1000, 0L), sql);
        }

        @Test
        @DisplayName("the inner select keeps _id and sort columns even when not projected")
        void innerColumns() {
            SqlQuery sql = SqlCompiler.select(plan(BOOT, "aggregate=board&field=lab_name&nfield=_id&sort=time&sort_order=1"));
            assertEquals("SELECT \"lab_name\" FROM (SELECT DISTINCT ON (\"board\") \"lab_name\", \"time_ms\", \"id\""
                            + " FROM \"boot\" ORDER BY \"board\", \"time_ms\" ASC, \"id\" ASC)"
                            + " AS groups ORDER BY \"time_ms\" ASC, \"id\" ASC LIMIT ? OFFSET ?", sql.text());
        }

        @Test
        @DisplayName("count of an aggregate counts the groups")
        void count() {
            assertSql("SELECT count(*) FROM (SELECT DISTINCT \"board\", \"time_ms\" FROM \"boot\""
                            + " WHERE \"job\" = ANY(?::text[])) AS groups",
                    binds(new SqlArray("text", List.of("next", "mainline"))),
                    SqlCompiler.count(plan(BOOT, "aggregate=board&aggregate=time&job=next&job=mainline&limit=3&skip=1")));
        }
    }

    @Nested
    @DisplayName("§3 counts")
    class Counts {
        @Test
        @DisplayName("count of a list plan ignores order and paging")
        void listCount() {
            assertSql("SELECT count(*) FROM \"boot\" WHERE \"job\" = ?::text AND \"warnings\" > ?::integer",
                    binds("next", 0),
                    SqlCompiler.count(plan(BOOT, "job=next&gt=warnings,0&sort=board&limit=5&skip=10&field=board")));
            // Every job, all days: the per-day totals (issue 17).
            assertSql("SELECT coalesce(sum(\"n\"), 0)::bigint FROM \"job_rollup\" WHERE \"grouping\" = 3", binds(),
                    SqlCompiler.count(plan(JOB, "")));
            assertSql("SELECT count(*) FROM \"job\"", binds(), SqlCompiler.countRows(JOB, List.of()));
        }

        @Test
        @DisplayName("count targets: a collection without the field counts WHERE FALSE")
        void countTargets() {
            CountPlan plan = PLANNER.planCount(Optional.empty(), QueryStringParser.parse("board=panda"));
            List<SqlQuery> sql = plan.targets().stream()
                    .map(t -> SqlCompiler.count(t.collection(), t.conditions())).toList();
            assertSql("SELECT count(*) FROM \"job\" WHERE FALSE", binds(), sql.get(0));
            assertSql("SELECT count(*) FROM \"build\" WHERE FALSE", binds(), sql.get(1));
            assertSql("SELECT coalesce(sum(\"n\"), 0)::bigint FROM \"boot_rollup\" WHERE \"grouping\" = 122"
                    + " AND \"board\" = ?::text", binds("panda"), sql.get(2));
        }
    }

    @Nested
    @DisplayName("§2 hostile input: values only in binds, names only from the declarations")
    class Hostile {
        @Test
        @DisplayName("x'; drop table boot;-- appears only in the binds")
        void valueInBindsOnly() {
            String encoded = "x%27%3B+drop+table+boot%3B--";
            for (String query : List.of("board=" + encoded, "board=" + encoded + "&board=y", "gte=board," + encoded,
                    "board=null&board=" + encoded)) {
                SqlQuery sql = SqlCompiler.select(plan(BOOT, query));
                assertFalse(sql.text().contains("drop"), sql.text());
                assertFalse(sql.text().contains("'"), sql.text());
                assertFalse(sql.text().contains(";"), sql.text());
                assertFalse(sql.text().contains("--"), sql.text());
                assertTrue(sql.binds().contains(HOSTILE)
                        || sql.binds().contains(new SqlArray("text", List.of(HOSTILE, "y"))), sql.binds().toString());
                assertEquals(sql.binds().size(), placeholders(sql.text()));
            }
        }

        @Test
        @DisplayName("the hostile value bound exactly as decoded")
        void exactBind() {
            assertSql("SELECT \"id\" FROM \"boot\" WHERE \"board\" = ?::text ORDER BY \"id\" ASC LIMIT ? OFFSET ?",
                    binds(HOSTILE, 1000, 0L), SqlCompiler.select(plan(BOOT, "field=_id&board=x%27%3B+drop+table+boot%3B--")));
        }

        @Test
        @DisplayName("distinct: SELECT DISTINCT on the declared column, null left out, sorted, capped; its count")
        void distinct() {
            DistinctPlan plan = PLANNER.planDistinct(BOOT, "build_id", QueryStringParser.parse("lab_name=x%27"),
                    new java.util.ArrayList<>());
            assertSql("SELECT DISTINCT \"defconfig_id\" FROM \"boot\" WHERE \"lab_name\" = ?::text AND \"defconfig_id\""
                    + " IS NOT NULL ORDER BY \"defconfig_id\" LIMIT ?", binds("x'", 1000), SqlCompiler.distinct(plan));
            assertSql("SELECT count(DISTINCT \"defconfig_id\") FROM \"boot\" WHERE \"lab_name\" = ?::text",
                    binds("x'"), SqlCompiler.countDistinct(plan));
            DistinctPlan all = PLANNER.planDistinct(JOB, "kernel", QueryStringParser.parse(""), new java.util.ArrayList<>());
            assertSql("SELECT DISTINCT \"kernel\" FROM \"job\" WHERE \"kernel\" IS NOT NULL ORDER BY \"kernel\" LIMIT ?",
                    binds(1000), SqlCompiler.distinct(all));
        }

        @ParameterizedTest
        @ValueSource(strings = {"a%22b=1", "field=a%22b", "nfield=a%22b", "sort=a%22b", "aggregate=a%22b", "gte=a%22b,1",
                "sort=id%22%3B+drop+table+boot%3B--", "%22id%22=1", "id=" + ID, "time_ms=1", "build=1"})
        @DisplayName("a field a\"b (or a column name that is not a field name) never reaches SQL: ignored, or strict a 400")
        void hostileNames(String query) {
            ApiException e = assertThrows(ApiException.class,
                    () -> new QueryPlanner(CLOCK, 1000, true).plan(BOOT, QueryStringParser.parse(query)));
            assertEquals(400, e.status());
            try {
                assertEquals(SqlCompiler.select(plan(BOOT, "")), SqlCompiler.select(plan(BOOT, query)));
            } catch (ApiException refused) {
                assertEquals(400, refused.status());
            }
        }

        @Test
        @DisplayName("quote doubles embedded quotes")
        void quote() {
            assertEquals("\"a\"\"b\"", Identifiers.quote("a\"b"));
            assertEquals("\"time_ms\"", Identifiers.quote("time_ms"));
        }
    }

    @Test
    @DisplayName("SqlArray shows its type and values; SqlQuery binds are immutable")
    void values() {
        assertEquals("text[a, b]", new SqlArray("text", List.of("a", "b")).toString());
        SqlQuery sql = SqlCompiler.select(bootWhere());
        assertThrows(UnsupportedOperationException.class, () -> sql.binds().add(1));
    }
}

package org.kernelci.batch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kernelci.batch.schema.Collections.BOOT;
import static org.kernelci.batch.schema.Collections.DEFCONFIG;
import static org.kernelci.batch.schema.Collections.JOB;
import static org.kernelci.batch.schema.Collections.LAB;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.Condition.Match;
import org.kernelci.batch.plan.Condition.Nothing;
import org.kernelci.batch.plan.Condition.Range;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/** CONTRACT.md §2 (query language) and §3 (by id, count): query string in, typed plan out. */
class QueryPlannerTest {
    /** "Today" is 2014-12-08 (UTC), mid-morning. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2014-12-08T10:00:00Z"), ZoneOffset.UTC);
    static final int MAX_ROWS = 1000;
    static final QueryPlanner PLANNER = new QueryPlanner(CLOCK, MAX_ROWS);
    static final QueryPlanner STRICT = new QueryPlanner(CLOCK, MAX_ROWS, true);

    static final String ID = "54856af59e2a1e7ec4a4d07a";
    static final String ID_UPPER = "54856AF59E2A1E7EC4A4D07A";
    static final String OTHER_ID = "548569d39e2a1e7ec4a4d079";

    // ---- helpers -------------------------------------------------------------------------

    static QueryPlan plan(Collection collection, String query) {
        return PLANNER.plan(collection, QueryStringParser.parse(query));
    }

    /** A field by name; the extras by their column name, which no request can use. */
    static Field f(Collection collection, String name) {
        return name.equals(Collection.EXTRAS_COLUMN) ? collection.extrasField() : collection.field(name).orElseThrow();
    }

    /**
     * §2 an unknown key or field name is ignored: the query plans as {@code without} does and
     * names {@code ignored}; in strict mode it is a 400 with {@code reason}.
     */
    static void assertIgnored(Collection collection, String query, String without, String ignored, String reason) {
        List<String> names = new ArrayList<>();
        assertEquals(plan(collection, without), PLANNER.plan(collection, QueryStringParser.parse(query), names), query);
        assertEquals(ignored.isEmpty() ? List.of() : List.of(ignored), names, query);
        assertBadRequest(reason, () -> STRICT.plan(collection, QueryStringParser.parse(query)));
    }

    static OffsetDateTime utc(String instant) {
        return OffsetDateTime.parse(instant);
    }

    static Match match(Collection collection, String field, Object... values) {
        return new Match(f(collection, field), Arrays.asList(values), false);
    }

    static Match matchOrNull(Collection collection, String field, Object... values) {
        return new Match(f(collection, field), Arrays.asList(values), true);
    }

    static Range range(Collection collection, String field, Comparison comparison, Object value) {
        return new Range(f(collection, field), comparison, value);
    }

    /** The two created_on bounds of [from 00:00 UTC, to 00:00 UTC). */
    static List<Condition> createdBetween(Collection collection, String fromDay, String toDay) {
        return List.of(range(collection, "created_on", Comparison.GTE, utc(fromDay + "T00:00Z")),
                range(collection, "created_on", Comparison.LT, utc(toDay + "T00:00Z")));
    }

    static Expected expect(Collection collection) {
        return new Expected(collection);
    }

    static void assertBadRequest(String reason, Runnable planning) {
        ApiException e = assertThrows(ApiException.class, planning::run);
        assertEquals(400, e.status(), "status");
        assertEquals(reason, e.reason());
    }

    /** The plan a query should give: defaults of an empty query, changed one aspect at a time. */
    static final class Expected {
        private final Collection collection;
        private List<Condition> conditions = List.of();
        private List<Field> projection;
        private List<Field> sort = List.of();
        private boolean descending = true;
        private List<Field> aggregate = List.of();
        private int limit = MAX_ROWS;
        private long skip;
        private boolean wholeGroups;

        Expected(Collection collection) {
            this.collection = collection;
            this.projection = collection.fields();
        }

        Expected where(Condition... conditions) {
            this.conditions = List.of(conditions);
            return this;
        }

        Expected where(List<Condition> conditions) {
            this.conditions = conditions;
            return this;
        }

        Expected fields(String... names) {
            this.projection = Stream.of(names).map(n -> f(collection, n)).toList();
            return this;
        }

        Expected sort(String... names) {
            this.sort = Stream.of(names).map(n -> f(collection, n)).toList();
            return this;
        }

        Expected ascending() {
            this.descending = false;
            return this;
        }

        Expected aggregate(String... names) {
            this.aggregate = Stream.of(names).map(n -> f(collection, n)).toList();
            return this;
        }

        Expected limit(int limit) {
            this.limit = limit;
            return this;
        }

        Expected skip(long skip) {
            this.skip = skip;
            return this;
        }

        QueryPlan plan() {
            return new QueryPlan(collection, conditions, projection, sort, descending, aggregate, limit, skip,
                    wholeGroups);
        }

        /** Groups read without {@code field}: each document also under {@code result}. */
        Expected wholeGroups() {
            this.wholeGroups = true;
            return this;
        }
    }

    /** Every field name of the collection except those given, in declaration order. */
    static String[] allBut(Collection collection, String... left) {
        List<String> names = new ArrayList<>();
        for (Field field : collection.fields()) {
            if (!List.of(left).contains(field.name())) {
                names.add(field.name());
            }
        }
        return names.toArray(String[]::new);
    }

    // ---- list queries --------------------------------------------------------------------

    @Test
    @DisplayName("§2 empty query: every field, no filter, default sort_order -1, limit = server maximum")
    void emptyQuery() {
        for (Collection collection : List.of(JOB, DEFCONFIG, BOOT, LAB)) {
            assertEquals(expect(collection).plan(), plan(collection, ""));
        }
    }

    @Test
    @DisplayName("planner keeps its maximum and refuses one below 1")
    void plannerMaximum() {
        assertEquals(MAX_ROWS, PLANNER.maxRows());
        assertThrows(IllegalArgumentException.class, () -> new QueryPlanner(CLOCK, 0));
    }

    @Nested
    @DisplayName("§2 field and nfield")
    class Projection {
        @Test
        @DisplayName("field: those fields and _id, in wire (declaration) order")
        void fieldKeepsIdAndDeclarationOrder() {
            assertEquals(expect(JOB).fields("_id", "job", "kernel").plan(), plan(JOB, "field=kernel&field=job"));
        }

        @Test
        @DisplayName("field repeated with the same name counts once")
        void fieldRepeated() {
            assertEquals(expect(JOB).fields("_id", "job").plan(), plan(JOB, "field=job&field=job"));
        }

        @Test
        @DisplayName("field=_id alone: only _id")
        void fieldIdOnly() {
            assertEquals(expect(BOOT).fields("_id").plan(), plan(BOOT, "field=_id"));
        }

        @Test
        @DisplayName("field may name a free-form JSON member")
        void fieldJson() {
            assertEquals(expect(DEFCONFIG).fields("_id", "metadata").plan(), plan(DEFCONFIG, "field=metadata"));
        }

        @Test
        @DisplayName("field with the alias build_id returns defconfig_id")
        void fieldAlias() {
            assertEquals(expect(BOOT).fields("_id", "defconfig_id").plan(), plan(BOOT, "field=build_id"));
        }

        @Test
        @DisplayName("nfield leaves fields out, _id included")
        void nfield() {
            assertEquals(expect(JOB).fields(allBut(JOB, "_id", "kernel")).plan(), plan(JOB, "nfield=_id&nfield=kernel"));
        }

        @Test
        @DisplayName("nfield=_id with field: only the named fields")
        void fieldAndNfieldId() {
            assertEquals(expect(BOOT).fields("board", "lab_name").plan(),
                    plan(BOOT, "field=lab_name&nfield=_id&field=board"));
        }

        @Test
        @DisplayName("nfield wins over field for the same name")
        void nfieldWins() {
            assertEquals(expect(BOOT).fields("_id", "board").plan(), plan(BOOT, "field=board&field=arch&nfield=arch"));
        }

        @Test
        @DisplayName("nfield of every field: only the extras, which no request names")
        void nothingLeft() {
            StringBuilder query = new StringBuilder();
            for (Field field : LAB.fields()) {
                query.append("nfield=").append(field.name()).append('&');
            }
            assertEquals(expect(LAB).fields(Collection.EXTRAS_COLUMN).plan(), plan(LAB, query.toString()));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "field=bogus              |               | field=bogus    | Invalid value for 'field': unknown field 'bogus'",
                "nfield=bogus             |               | nfield=bogus   | Invalid value for 'nfield': unknown field 'bogus'",
                "field=board&field=kernel | field=kernel  | field=board    | Invalid value for 'field': unknown field 'board'",
                "field=Job                |               | field=Job      | Invalid value for 'field': unknown field 'Job'",
                "field=build_id           |               | field=build_id | Invalid value for 'field': unknown field 'build_id'",
                "nfield=a%22b             |               | nfield=a\"b    | Invalid value for 'nfield': unknown field 'a\"b'",
        })
        @DisplayName("§2 an unknown field name is ignored and named; strict: a 400 naming the key and the name")
        void unknownField(String query, String without, String ignored, String reason) {
            assertIgnored(JOB, query, without == null ? "" : without, ignored, reason);
        }
    }

    @Nested
    @DisplayName("§2 sort and sort_order")
    class Sorting {
        @Test
        @DisplayName("sort is repeatable, in order; default sort_order -1 (descending)")
        void sortInOrder() {
            assertEquals(expect(BOOT).sort("created_on", "board").plan(), plan(BOOT, "sort=created_on&sort=board"));
            assertEquals(expect(BOOT).sort("board", "created_on").plan(), plan(BOOT, "sort=board&sort=created_on"));
        }

        @Test
        @DisplayName("sort_order=1 is ascending for every sort field")
        void ascending() {
            assertEquals(expect(BOOT).sort("board", "created_on").ascending().plan(),
                    plan(BOOT, "sort_order=1&sort=board&sort=created_on"));
        }

        @Test
        @DisplayName("sort_order=-1 is descending")
        void descending() {
            assertEquals(expect(BOOT).sort("board").plan(), plan(BOOT, "sort=board&sort_order=-1"));
        }

        @Test
        @DisplayName("sort_order without sort only sets the direction (the compiler orders by _id ASC)")
        void orderWithoutSort() {
            assertEquals(expect(JOB).ascending().plan(), plan(JOB, "sort_order=1"));
        }

        @Test
        @DisplayName("a field sorted twice counts once, first position kept")
        void sortDistinct() {
            assertEquals(expect(JOB).sort("kernel", "job").plan(), plan(JOB, "sort=kernel&sort=job&sort=kernel"));
        }

        @Test
        @DisplayName("sort by the alias build_id sorts by defconfig_id")
        void sortAlias() {
            assertEquals(expect(BOOT).sort("defconfig_id").plan(), plan(BOOT, "sort=build_id"));
        }

        @Test
        @DisplayName("sort_order repeated: the last one counts")
        void lastSortOrder() {
            assertEquals(expect(JOB).sort("job").ascending().plan(), plan(JOB, "sort=job&sort_order=-1&sort_order=1"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "sort_order=2      | Invalid value for 'sort_order': '2' (expected 1 or -1)",
                "sort_order=asc    | Invalid value for 'sort_order': 'asc' (expected 1 or -1)",
                "sort_order=0      | Invalid value for 'sort_order': '0' (expected 1 or -1)",
                "sort_order=1.0    | Invalid value for 'sort_order': '1.0' (expected 1 or -1)",
                "sort=metadata     | Field 'metadata' in 'sort' cannot be sorted or grouped: it is free-form JSON",
                "sort=dtb_dir_data | Field 'dtb_dir_data' in 'sort' cannot be sorted or grouped: it is free-form JSON",
        })
        @DisplayName("a bad sort or sort_order is a 400 naming the key and the value")
        void badSort(String query, String reason) {
            assertBadRequest(reason, () -> plan(DEFCONFIG, query));
        }

        @Test
        @DisplayName("§2 sort by an unknown field is ignored and named; strict: a 400")
        void unknownSort() {
            assertIgnored(DEFCONFIG, "sort=bogus&sort=arch", "sort=arch", "sort=bogus",
                    "Invalid value for 'sort': unknown field 'bogus'");
        }
    }

    @Nested
    @DisplayName("§2 limit and skip")
    class Paging {
        @ParameterizedTest(name = "[{index}] {0} -> limit {1}")
        @CsvSource({
                "limit=10,            10",
                "limit=1,             1",
                "limit=0,             " + MAX_ROWS,
                "limit=999,           999",
                "limit=1000,          " + MAX_ROWS,
                "limit=1001,          " + MAX_ROWS,
                "limit=5000,          " + MAX_ROWS,
                "limit=9223372036854775807, " + MAX_ROWS,
                "limit=+7,            7",
                "limit=007,           7",
                "limit=5&limit=8,     8",
                "limit=,              " + MAX_ROWS,
        })
        @DisplayName("limit: 0 or absent = all rows, capped by the server maximum")
        void limit(String query, int expected) {
            assertEquals(expect(BOOT).limit(expected).plan(), plan(BOOT, query));
        }

        @ParameterizedTest(name = "[{index}] {0} -> skip {1}")
        @CsvSource({
                "skip=0,   0",
                "skip=20,  20",
                "skip=9223372036854775807, 9223372036854775807",
                "skip=3&skip=4, 4",
        })
        @DisplayName("skip: any integer >= 0")
        void skip(String query, long expected) {
            assertEquals(expect(BOOT).skip(expected).plan(), plan(BOOT, query));
        }

        @Test
        @DisplayName("limit and skip together with a filter")
        void limitAndSkip() {
            assertEquals(expect(JOB).where(match(JOB, "job", "next")).limit(25).skip(50).plan(),
                    plan(JOB, "limit=25&job=next&skip=50"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "limit=abc                  | Invalid value for 'limit': 'abc' (expected an integer >= 0)",
                "limit=-1                   | Invalid value for 'limit': '-1' (expected an integer >= 0)",
                "limit=1.5                  | Invalid value for 'limit': '1.5' (expected an integer >= 0)",
                "limit=1e3                  | Invalid value for 'limit': '1e3' (expected an integer >= 0)",
                "limit=99999999999999999999 | Invalid value for 'limit': '99999999999999999999' (expected an integer >= 0)",
                "limit=0x10                 | Invalid value for 'limit': '0x10' (expected an integer >= 0)",
                "skip=x                     | Invalid value for 'skip': 'x' (expected an integer >= 0)",
                "skip=-5                    | Invalid value for 'skip': '-5' (expected an integer >= 0)",
                "skip=9223372036854775808   | Invalid value for 'skip': '9223372036854775808' (expected an integer >= 0)",
                "skip=%27%3B--              | Invalid value for 'skip': '';--' (expected an integer >= 0)",
        })
        @DisplayName("a malformed limit or skip is a 400 naming the key and the value")
        void badPaging(String query, String reason) {
            assertBadRequest(reason, () -> plan(BOOT, query));
        }
    }

    @Nested
    @DisplayName("§2 date_range and created_on (today is 2014-12-08 UTC)")
    class Dates {
        @Test
        @DisplayName("date_range=0: today from 00:00 UTC to the next midnight, exclusive")
        void today() {
            assertEquals(expect(BOOT).where(createdBetween(BOOT, "2014-12-08", "2014-12-09")).plan(),
                    plan(BOOT, "date_range=0"));
        }

        @Test
        @DisplayName("date_range=N: from 00:00 UTC N days before today up to the end of today")
        void daysBack() {
            assertEquals(expect(JOB).where(createdBetween(JOB, "2014-12-03", "2014-12-09")).plan(),
                    plan(JOB, "date_range=5"));
            assertEquals(expect(JOB).where(createdBetween(JOB, "2014-11-08", "2014-12-09")).plan(),
                    plan(JOB, "date_range=30"));
        }

        @Test
        @DisplayName("date_range with created_on counts back from that day")
        void daysBackFromCreatedOn() {
            assertEquals(expect(BOOT).where(createdBetween(BOOT, "2014-11-25", "2014-12-01")).plan(),
                    plan(BOOT, "date_range=5&created_on=2014-11-30"));
            assertEquals(expect(BOOT).where(createdBetween(BOOT, "2014-11-25", "2014-12-01")).plan(),
                    plan(BOOT, "created_on=20141130&date_range=5"));
        }

        @Test
        @DisplayName("date_range across a year boundary and a leap day")
        void calendar() {
            assertEquals(expect(BOOT).where(createdBetween(BOOT, "2011-12-31", "2012-03-02")).plan(),
                    plan(BOOT, "created_on=2012-03-01&date_range=61"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"created_on=2014-12-01", "created_on=20141201", "created_on=%202014-12-01%20"})
        @DisplayName("created_on as YYYY-MM-DD or YYYYMMDD: that whole UTC day")
        void createdOn(String query) {
            assertEquals(expect(DEFCONFIG).where(createdBetween(DEFCONFIG, "2014-12-01", "2014-12-02")).plan(),
                    plan(DEFCONFIG, query));
        }

        @Test
        @DisplayName("date_range far beyond the calendar: no lower bound")
        void unbounded() {
            long days = QueryPlanner.MAX_DATE_RANGE_DAYS;
            assertEquals(expect(BOOT).where(range(BOOT, "created_on", Comparison.LT, utc("2014-12-09T00:00Z"))).plan(),
                    plan(BOOT, "date_range=" + days));
            assertEquals(expect(BOOT).where(range(BOOT, "created_on", Comparison.LT, utc("2014-12-09T00:00Z"))).plan(),
                    plan(BOOT, "date_range=9223372036854775807"));
            assertEquals(expect(BOOT).where(createdBetween(BOOT, "-0723-01-11", "2014-12-09")).plan(),
                    plan(BOOT, "date_range=" + (days - 1)));
        }

        @Test
        @DisplayName("dates come after field filters and ranges, and combine with them (AND)")
        void datesLast() {
            List<Condition> expected = new ArrayList<>();
            expected.add(match(BOOT, "job", "next"));
            expected.add(range(BOOT, "warnings", Comparison.GTE, 1));
            expected.addAll(createdBetween(BOOT, "2014-12-08", "2014-12-09"));
            assertEquals(expect(BOOT).where(expected).plan(), plan(BOOT, "date_range=0&gte=warnings,1&job=next"));
        }

        @Test
        @DisplayName("date_range repeated: the last one counts")
        void lastDateRange() {
            assertEquals(expect(BOOT).where(createdBetween(BOOT, "2014-12-07", "2014-12-09")).plan(),
                    plan(BOOT, "date_range=9&date_range=1"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "date_range=-x        | Invalid value for 'date_range': '-x' (expected an integer >= 0)",
                "date_range=-1        | Invalid value for 'date_range': '-1' (expected an integer >= 0)",
                "date_range=1.5       | Invalid value for 'date_range': '1.5' (expected an integer >= 0)",
                "date_range=week      | Invalid value for 'date_range': 'week' (expected an integer >= 0)",
                "created_on=2014-13-01 | Invalid value for 'created_on': '2014-13-01' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=2014-02-30 | Invalid value for 'created_on': '2014-02-30' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=20140230   | Invalid value for 'created_on': '20140230' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=2014-1-1   | Invalid value for 'created_on': '2014-1-1' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=yesterday  | Invalid value for 'created_on': 'yesterday' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=2014-12-01T00:00:00Z | Invalid value for 'created_on': '2014-12-01T00:00:00Z' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=%2B10000-01-01 | Invalid value for 'created_on': '+10000-01-01' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=%2B999999999-12-31 | Invalid value for 'created_on': '+999999999-12-31' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=-999999999-01-01 | Invalid value for 'created_on': '-999999999-01-01' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "created_on=٢٠١٤١٢٠١  | Invalid value for 'created_on': '٢٠١٤١٢٠١' (expected a date as YYYY-MM-DD or YYYYMMDD)",
        })
        @DisplayName("a malformed date_range or created_on is a 400 naming the key and the value")
        void badDates(String query, String reason) {
            assertBadRequest(reason, () -> plan(BOOT, query));
        }
    }

    @Nested
    @DisplayName("§2 aggregate")
    class Aggregate {
        @Test
        @DisplayName("aggregate: one document per distinct value")
        void one() {
            assertEquals(expect(BOOT).aggregate("board").wholeGroups().plan(), plan(BOOT, "aggregate=board"));
            assertEquals(expect(BOOT).aggregate("board").fields("_id", "board").plan(),
                    plan(BOOT, "aggregate=board&field=board"));
        }

        @Test
        @DisplayName("aggregate is repeatable, in order, each field once")
        void several() {
            assertEquals(expect(BOOT).aggregate("kernel", "job").sort("created_on").wholeGroups().plan(),
                    plan(BOOT, "aggregate=kernel&sort=created_on&aggregate=job&aggregate=kernel"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "aggregate=metadata | Field 'metadata' in 'aggregate' cannot be sorted or grouped: it is free-form JSON",
        })
        @DisplayName("a bad aggregate field is a 400 naming the key and the value")
        void bad(String query, String reason) {
            assertBadRequest(reason, () -> plan(BOOT, query));
        }

        @Test
        @DisplayName("§2 aggregate by an unknown field is ignored and named; strict: a 400")
        void unknownAggregate() {
            assertIgnored(BOOT, "aggregate=bogus", "", "aggregate=bogus",
                    "Invalid value for 'aggregate': unknown field 'bogus'");
        }
    }

    @Nested
    @DisplayName("§2 filters: equality, repeated key = OR, null")
    class Filters {
        @Test
        @DisplayName("key=value is equality on that field")
        void equality() {
            assertEquals(expect(JOB).where(match(JOB, "job", "next")).plan(), plan(JOB, "job=next"));
        }

        @Test
        @DisplayName("§2 repeated key means OR: one Match with every value, in order")
        void repeatedKeyIsOr() {
            assertEquals(expect(BOOT).where(match(BOOT, "board", "panda", "beaglebone", "arndale")).plan(),
                    plan(BOOT, "board=panda&board=beaglebone&board=arndale"));
        }

        @Test
        @DisplayName("different keys combine with AND, each Match in first-appearance order")
        void differentKeysAnd() {
            assertEquals(expect(BOOT).where(match(BOOT, "status", "PASS", "FAIL"), match(BOOT, "job", "next")).plan(),
                    plan(BOOT, "status=PASS&job=next&status=FAIL"));
        }

        @Test
        @DisplayName("a value repeated counts once (after conversion)")
        void duplicates() {
            assertEquals(expect(BOOT).where(match(BOOT, "warnings", 1)).plan(), plan(BOOT, "warnings=1&warnings=01&warnings=1"));
            assertEquals(expect(BOOT).where(match(BOOT, "job", "next")).plan(), plan(BOOT, "job=next&job=next"));
        }

        @Test
        @DisplayName("§2 the literal null means IS NULL")
        void nullValue() {
            assertEquals(expect(BOOT).where(matchOrNull(BOOT, "board")).plan(), plan(BOOT, "board=null"));
            assertEquals(expect(BOOT).where(matchOrNull(BOOT, "warnings")).plan(), plan(BOOT, "warnings=null"));
            assertEquals(expect(BOOT).where(matchOrNull(BOOT, "_id")).plan(), plan(BOOT, "_id=null"));
        }

        @Test
        @DisplayName("§2 null among other values: value OR NULL")
        void nullOr() {
            assertEquals(expect(BOOT).where(matchOrNull(BOOT, "board", "panda")).plan(), plan(BOOT, "board=panda&board=null"));
            assertEquals(expect(BOOT).where(matchOrNull(BOOT, "board", "panda")).plan(), plan(BOOT, "board=null&board=panda"));
        }

        @Test
        @DisplayName("null is only the exact lowercase literal")
        void nullSpelling() {
            assertEquals(expect(BOOT).where(match(BOOT, "board", "NULL")).plan(), plan(BOOT, "board=NULL"));
        }

        @Test
        @DisplayName("a pair with an empty value is ignored")
        void emptyValueIgnored() {
            assertEquals(expect(BOOT).plan(), plan(BOOT, "board=&limit=&skip=&sort=&field=&aggregate=&date_range=&created_on=&gte="));
        }

        @Test
        @DisplayName("text values are taken verbatim, hostile or not")
        void hostileText() {
            assertEquals(expect(BOOT).where(match(BOOT, "board", "x'; drop table boot;--")).plan(),
                    plan(BOOT, "board=x%27%3B+drop+table+boot%3B--"));
        }

        @Test
        @DisplayName("§1 build_id is an alias of defconfig_id on boot: same field, one Match")
        void buildIdAlias() {
            assertEquals(expect(BOOT).where(match(BOOT, "defconfig_id", ID)).plan(), plan(BOOT, "build_id=" + ID));
            assertEquals(expect(BOOT).where(match(BOOT, "defconfig_id", ID, OTHER_ID)).plan(),
                    plan(BOOT, "build_id=" + ID + "&defconfig_id=" + OTHER_ID));
            assertEquals(f(BOOT, "defconfig_id"), f(BOOT, "build_id"));
        }

        @Test
        @DisplayName("_id is a filterable field")
        void byIdFilter() {
            assertEquals(expect(JOB).where(match(JOB, "_id", ID, OTHER_ID)).plan(), plan(JOB, "_id=" + ID_UPPER + "&_id=" + OTHER_ID));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "job_id=abc       | Invalid value for 'job_id': 'abc' (expected a 24-digit hexadecimal id for field 'job_id')",
                "_id=" + "54856af59e2a1e7ec4a4d07 | Invalid value for '_id': '54856af59e2a1e7ec4a4d07' (expected a 24-digit hexadecimal id for field '_id')",
                "warnings=many    | Invalid value for 'warnings': 'many' (expected an integer for field 'warnings')",
                "build_time=fast  | Invalid value for 'build_time': 'fast' (expected a number for field 'build_time')",
                "metadata=x       | Field 'metadata' in 'metadata=x' cannot be filtered: it is free-form JSON",
                "build_platform=null | Field 'build_platform' in 'build_platform=null' cannot be filtered: it is free-form JSON",
        })
        @DisplayName("a malformed value is a 400 naming the key and the value")
        void bad(String query, String reason) {
            assertBadRequest(reason, () -> plan(DEFCONFIG, query));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "bogus=1&job=next    | bogus    | Unknown query key 'bogus' (value '1')",
                "bogus=&job=next     | bogus    | Unknown query key 'bogus' (value '')",
                "Job=x&job=next      | Job      | Unknown query key 'Job' (value 'x')",
                "board=panda&job=next | board   | Unknown query key 'board' (value 'panda')",
                "build_id=1&job=next | build_id | Unknown query key 'build_id' (value '1')",
                "a%22b=1&job=next    | a\"b     | Unknown query key 'a\"b' (value '1')",
                "%3B--=x&job=next    | ;--      | Unknown query key ';--' (value 'x')",
                "fields=arch&job=next | fields  | Unknown query key 'fields' (value 'arch')",
                "sort_on=arch&job=next | sort_on | Unknown query key 'sort_on' (value 'arch')",
                "=x&job=next         |          | Unknown query key '' (value 'x')",
        })
        @DisplayName("§2 an unknown key is ignored and named (an empty one only ignored); strict: a 400")
        void unknownKey(String query, String ignored, String reason) {
            assertIgnored(DEFCONFIG, query, "job=next", ignored == null ? "" : ignored, reason);
        }
    }

    @Nested
    @DisplayName("§2 field types: values converted to the column's type")
    class Types {
        static Stream<Arguments> conversions() {
            return Stream.of(
                    // collection, query, field, typed value
                    Arguments.of(BOOT, "_id=" + ID_UPPER, "_id", ID),
                    Arguments.of(BOOT, "_id=" + ID, "_id", ID),
                    Arguments.of(BOOT, "job_id=" + ID_UPPER, "job_id", ID),
                    Arguments.of(BOOT, "defconfig_id=5485" + "6AF59E2A1E7EC4A4d07a", "defconfig_id", ID),
                    Arguments.of(LAB, "token=" + ID_UPPER, "token", ID),
                    Arguments.of(BOOT, "board=Panda+ES", "board", "Panda ES"),
                    Arguments.of(BOOT, "board=%20panda%20", "board", " panda "),
                    Arguments.of(BOOT, "warnings=3", "warnings", 3),
                    Arguments.of(BOOT, "warnings=-3", "warnings", -3),
                    Arguments.of(BOOT, "warnings=%2B3", "warnings", 3),
                    Arguments.of(BOOT, "warnings=+3+", "warnings", 3),
                    Arguments.of(BOOT, "warnings=2147483647", "warnings", Integer.MAX_VALUE),
                    Arguments.of(BOOT, "retries=0", "retries", 0),
                    Arguments.of(DEFCONFIG, "errors=12", "errors", 12),
                    Arguments.of(DEFCONFIG, "build_time=1.5", "build_time", 1.5d),
                    Arguments.of(DEFCONFIG, "build_time=2", "build_time", 2.0d),
                    Arguments.of(DEFCONFIG, "build_time=-0.25", "build_time", -0.25d),
                    Arguments.of(DEFCONFIG, "build_time=1e3", "build_time", 1000.0d),
                    Arguments.of(BOOT, "fastboot=true", "fastboot", true),
                    Arguments.of(BOOT, "fastboot=false", "fastboot", false),
                    Arguments.of(BOOT, "fastboot=1", "fastboot", true),
                    Arguments.of(BOOT, "fastboot=0", "fastboot", false),
                    Arguments.of(BOOT, "fastboot=TRUE", "fastboot", true),
                    Arguments.of(BOOT, "dtb_append=False", "dtb_append", false),
                    Arguments.of(JOB, "private=1", "private", true),
                    Arguments.of(LAB, "private=0", "private", false),
                    Arguments.of(LAB, "updated_on=2014-12-08", "updated_on", utc("2014-12-08T00:00Z")),
                    Arguments.of(LAB, "updated_on=20141208", "updated_on", utc("2014-12-08T00:00Z")),
                    Arguments.of(LAB, "updated_on=2014-12-08T10:15:30Z", "updated_on", utc("2014-12-08T10:15:30Z")),
                    Arguments.of(LAB, "updated_on=2014-12-08T10:15:30.250Z", "updated_on", utc("2014-12-08T10:15:30.250Z")),
                    Arguments.of(LAB, "updated_on=2014-12-08T01:15:30%2B02:00", "updated_on", utc("2014-12-07T23:15:30Z")),
                    Arguments.of(LAB, "updated_on=2014-12-08T10:15:30-05:00", "updated_on", utc("2014-12-08T15:15:30Z")),
                    Arguments.of(BOOT, "time=1500", "time", 1500L),
                    Arguments.of(BOOT, "time=0", "time", 0L),
                    Arguments.of(BOOT, "time=9223372036854775807", "time", Long.MAX_VALUE));
        }

        @ParameterizedTest(name = "[{index}] {0}?{1} -> {3}")
        @MethodSource("conversions")
        @DisplayName("each field type parses its values")
        void converts(Collection collection, String query, String field, Object typed) {
            assertEquals(expect(collection).where(match(collection, field, typed)).plan(), plan(collection, query));
        }

        @ParameterizedTest(name = "[{index}] {0}?{1} -> {3}")
        @MethodSource("conversions")
        @DisplayName("range bounds convert the same way")
        void rangeConverts(Collection collection, String query, String field, Object typed) {
            String raw = query.substring(query.indexOf('=') + 1);
            assertEquals(expect(collection).where(range(collection, field, Comparison.LT, typed)).plan(),
                    plan(collection, "lt=" + query.substring(0, query.indexOf('=')) + "," + raw));
        }

        @Test
        @DisplayName("typed values keep their Java types (Integer, Long, Double, Boolean, OffsetDateTime, String)")
        void javaTypes() {
            Match m = (Match) plan(BOOT, "warnings=1").conditions().get(0);
            assertEquals(Integer.class, m.values().get(0).getClass());
            m = (Match) plan(BOOT, "time=1").conditions().get(0);
            assertEquals(Long.class, m.values().get(0).getClass());
            m = (Match) plan(DEFCONFIG, "build_time=1").conditions().get(0);
            assertEquals(Double.class, m.values().get(0).getClass());
            m = (Match) plan(BOOT, "fastboot=1").conditions().get(0);
            assertEquals(Boolean.class, m.values().get(0).getClass());
            m = (Match) plan(LAB, "updated_on=2014-01-01").conditions().get(0);
            assertEquals(OffsetDateTime.class, m.values().get(0).getClass());
            assertEquals(ZoneOffset.UTC, ((OffsetDateTime) m.values().get(0)).getOffset());
        }

        static Stream<Arguments> malformed() {
            String id = "a 24-digit hexadecimal id";
            String date = "a date (YYYY-MM-DD, YYYYMMDD or ISO-8601 date-time)";
            return Stream.of(
                    Arguments.of(BOOT, "_id=xyz", "_id", "xyz", id),
                    Arguments.of(BOOT, "_id=54856af59e2a1e7ec4a4d07az", "_id", "54856af59e2a1e7ec4a4d07az", id),
                    Arguments.of(BOOT, "_id=54856af59e2a1e7ec4a4d0_g", "_id", "54856af59e2a1e7ec4a4d0_g", id),
                    Arguments.of(BOOT, "job_id=%20" + ID, "job_id", " " + ID, id),
                    Arguments.of(BOOT, "build_id=NaN", "build_id", "NaN", id),
                    Arguments.of(LAB, "token=0", "token", "0", id),
                    Arguments.of(BOOT, "warnings=many", "warnings", "many", "an integer"),
                    Arguments.of(BOOT, "warnings=1.5", "warnings", "1.5", "an integer"),
                    Arguments.of(BOOT, "warnings=2147483648", "warnings", "2147483648", "an integer"),
                    Arguments.of(BOOT, "warnings=1e2", "warnings", "1e2", "an integer"),
                    Arguments.of(BOOT, "retries=0x1", "retries", "0x1", "an integer"),
                    Arguments.of(BOOT, "warnings=x%27%3B+drop+table+boot%3B--", "warnings", "x'; drop table boot;--", "an integer"),
                    Arguments.of(DEFCONFIG, "build_time=NaN", "build_time", "NaN", "a number"),
                    Arguments.of(DEFCONFIG, "build_time=Infinity", "build_time", "Infinity", "a number"),
                    Arguments.of(DEFCONFIG, "build_time=1e999", "build_time", "1e999", "a number"),
                    Arguments.of(DEFCONFIG, "build_time=1,5", "build_time", "1,5", "a number"),
                    Arguments.of(BOOT, "fastboot=yes", "fastboot", "yes", "true, false, 1 or 0"),
                    Arguments.of(BOOT, "fastboot=2", "fastboot", "2", "true, false, 1 or 0"),
                    Arguments.of(BOOT, "fastboot=t", "fastboot", "t", "true, false, 1 or 0"),
                    Arguments.of(LAB, "updated_on=yesterday", "updated_on", "yesterday", date),
                    Arguments.of(LAB, "updated_on=2014-12-32", "updated_on", "2014-12-32", date),
                    Arguments.of(LAB, "updated_on=2014-12-08T10:15:30", "updated_on", "2014-12-08T10:15:30", date),
                    Arguments.of(LAB, "updated_on=1418032800000", "updated_on", "1418032800000", date),
                    Arguments.of(LAB, "updated_on=%2B10000-01-01T00:00:00Z", "updated_on", "+10000-01-01T00:00:00Z", date),
                    Arguments.of(LAB, "updated_on=%2B999999999-12-31T23:59:59-18:00", "updated_on",
                            "+999999999-12-31T23:59:59-18:00", date),
                    Arguments.of(LAB, "updated_on=-999999999-01-01T00:00:00%2B18:00", "updated_on",
                            "-999999999-01-01T00:00:00+18:00", date),
                    Arguments.of(BOOT, "time=1.5", "time", "1.5", "a duration in milliseconds"),
                    Arguments.of(BOOT, "time=9223372036854775808", "time", "9223372036854775808", "a duration in milliseconds"),
                    Arguments.of(BOOT, "time=00:01:30", "time", "00:01:30", "a duration in milliseconds"));
        }

        @ParameterizedTest(name = "[{index}] {0}?{1}")
        @MethodSource("malformed")
        @DisplayName("§2 a value of the wrong type is a 400 naming the key, the value and the field")
        void rejects(Collection collection, String query, String key, String value, String expected) {
            String field = f(collection, key).name();
            assertBadRequest("Invalid value for '" + key + "': '" + value + "' (expected " + expected
                    + " for field '" + field + "')", () -> plan(collection, query));
        }
    }

    @Nested
    @DisplayName("§2 ranges: gte, gt, lte, lt take field,value")
    class Ranges {
        @ParameterizedTest
        @CsvSource({"gte, GTE", "gt, GT", "lte, LTE", "lt, LT"})
        @DisplayName("each range key gives its comparison")
        void eachKey(String key, Comparison comparison) {
            assertEquals(expect(BOOT).where(range(BOOT, "warnings", comparison, 2)).plan(), plan(BOOT, key + "=warnings,2"));
            assertEquals(key, comparison.key());
        }

        @Test
        @DisplayName("range on a timestamp: a day or an ISO-8601 date-time")
        void timestamps() {
            assertEquals(expect(JOB).where(
                            range(JOB, "created_on", Comparison.GTE, utc("2014-12-01T00:00Z")),
                            range(JOB, "created_on", Comparison.LT, utc("2014-12-01T11:30Z"))).plan(),
                    plan(JOB, "gte=created_on,2014-12-01&lt=created_on,2014-12-01T12:30:00%2B01:00"));
        }

        @Test
        @DisplayName("§2 ranges AND with equality on the same field")
        void withEquality() {
            assertEquals(expect(BOOT).where(
                            match(BOOT, "status", "PASS"),
                            match(BOOT, "warnings", 3, 5),
                            range(BOOT, "warnings", Comparison.GTE, 1),
                            range(BOOT, "warnings", Comparison.LT, 4)).plan(),
                    plan(BOOT, "status=PASS&gte=warnings,1&warnings=3&lt=warnings,4&warnings=5"));
        }

        @Test
        @DisplayName("a repeated range key gives one condition each, in order")
        void repeated() {
            assertEquals(expect(BOOT).where(
                            range(BOOT, "warnings", Comparison.GT, 1),
                            range(BOOT, "retries", Comparison.GT, 2)).plan(),
                    plan(BOOT, "gt=warnings,1&gt=retries,2"));
        }

        @Test
        @DisplayName("the bound is everything after the first comma; the alias names the field")
        void bound() {
            assertEquals(expect(BOOT).where(range(BOOT, "board", Comparison.GTE, "a,b")).plan(), plan(BOOT, "gte=board,a,b"));
            assertEquals(expect(BOOT).where(range(BOOT, "board", Comparison.GTE, "")).plan(), plan(BOOT, "gte=board,"));
            assertEquals(expect(BOOT).where(range(BOOT, "defconfig_id", Comparison.LTE, ID)).plan(),
                    plan(BOOT, "lte=build_id," + ID_UPPER));
            assertEquals(expect(BOOT).where(range(BOOT, "board", Comparison.LT, "null")).plan(), plan(BOOT, "lt=board,null"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "gte=status        | Invalid value for 'gte': 'status' (expected 'field,value')",
                "gt=,5             | Invalid value for 'gt': ',5' (expected 'field,value')",
                "lte=warnings      | Invalid value for 'lte': 'warnings' (expected 'field,value')",
                "lt=bogus,1        | Invalid value for 'lt': unknown field 'bogus'",
                "gte=Warnings,1    | Invalid value for 'gte': unknown field 'Warnings'",
                "gte=a%22b,1       | Invalid value for 'gte': unknown field 'a\"b'",
                "gte=warnings,many | Invalid value for 'gte': 'many' (expected an integer for field 'warnings')",
                "gte=warnings,     | Invalid value for 'gte': '' (expected an integer for field 'warnings')",
                "lt=warnings,null  | Invalid value for 'lt': 'null' (expected an integer for field 'warnings')",
                "gt=created_on,x   | Invalid value for 'gt': 'x' (expected a date (YYYY-MM-DD, YYYYMMDD or ISO-8601 date-time) for field 'created_on')",
                "gt=metadata,1     | Field 'metadata' in 'gt=metadata,1' cannot be filtered: it is free-form JSON",
        })
        @DisplayName("a malformed range is a 400 naming the key and the value")
        void bad(String query, String reason) {
            assertBadRequest(reason, () -> plan(BOOT, query));
        }
    }

    @Nested
    @DisplayName("§2 time_range: created_on in the last M minutes, M clamped to [10, 1440]")
    class TimeRange {
        /** [now - minutes, now), now being the test clock's 2014-12-08T10:00Z. */
        List<Condition> lastMinutes(Collection collection, long minutes) {
            OffsetDateTime now = utc("2014-12-08T10:00:00Z");
            return List.of(range(collection, "created_on", Comparison.GTE, now.minusMinutes(minutes)),
                    range(collection, "created_on", Comparison.LT, now));
        }

        @ParameterizedTest
        @CsvSource({"time_range=30, 30", "time_range=10, 10", "time_range=5, 10", "time_range=-30, 30",
                "time_range=2880, 1440", "time_range=40&time_range=45, 45", "time_range=+20, 20"})
        @DisplayName("as the original: absolute value, clamped, the last one counts")
        void clamped(String query, long minutes) {
            assertEquals(expect(BOOT).where(lastMinutes(BOOT, minutes)).plan(), plan(BOOT, query));
        }

        @Test
        @DisplayName("it replaces the day ranges of date_range and created_on, and ANDs with filters and ranges")
        void replacesDays() {
            List<Condition> expected = new ArrayList<>(List.of(match(BOOT, "status", "FAIL"),
                    range(BOOT, "warnings", Comparison.GT, 0)));
            expected.addAll(lastMinutes(BOOT, 60));
            assertEquals(expect(BOOT).where(expected).plan(),
                    plan(BOOT, "date_range=5&status=FAIL&time_range=60&created_on=2014-12-01&gt=warnings,0"));
        }

        @Test
        @DisplayName("counts take it too")
        void counts() {
            assertEquals(new CountPlan(List.of(new CountPlan.Target("job", JOB, lastMinutes(JOB, 15)))),
                    PLANNER.planCount(Optional.of("job"), QueryStringParser.parse("time_range=15")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"foo", "1.5", "10m", "9999999999999999999999"})
        @DisplayName("a malformed time_range is a 400 naming it (the original guessed 60)")
        void malformed(String value) {
            assertBadRequest("Invalid value for 'time_range': '" + value + "' (expected an integer number of minutes)",
                    () -> plan(BOOT, "time_range=" + value));
        }
    }

    @Nested
    @DisplayName("§3/§4 distinct")
    class Distinct {
        DistinctPlan distinct(Collection collection, String field, String query, List<String> ignored) {
            return PLANNER.planDistinct(collection, field, QueryStringParser.parse(query), ignored);
        }

        @Test
        @DisplayName("the field, the query's filters, the server's maximum of values")
        void filtered() {
            assertEquals(new DistinctPlan(BOOT, f(BOOT, "board"), List.of(match(BOOT, "lab_name", "lab-a")), MAX_ROWS),
                    distinct(BOOT, "board", "lab_name=lab-a", new ArrayList<>()));
            assertEquals(new DistinctPlan(BOOT, f(BOOT, "defconfig_id"), List.of(), MAX_ROWS),
                    distinct(BOOT, "build_id", "", new ArrayList<>()));
        }

        @Test
        @DisplayName("paging keys do not apply but are checked; unknown keys and field names are ignored and named")
        void pagingAndUnknown() {
            List<String> ignored = new ArrayList<>();
            assertEquals(new DistinctPlan(JOB, f(JOB, "kernel"), List.of(match(JOB, "job", "next")), MAX_ROWS),
                    distinct(JOB, "kernel", "limit=5&sort=job&field=bogus&job=next&fields=x", ignored));
            assertEquals(List.of("field=bogus", "fields"), ignored);
            assertBadRequest("Invalid value for 'limit': 'x' (expected an integer >= 0)",
                    () -> distinct(JOB, "kernel", "limit=x", new ArrayList<>()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"bogus", "metadata", "extras", ""})
        @DisplayName("a field that is not a scalar field of the collection is a 400")
        void notScalar(String field) {
            assertBadRequest("Invalid value for 'distinct': '" + field + "' is not a scalar field of defconfig",
                    () -> distinct(DEFCONFIG, field, "", new ArrayList<>()));
        }
    }

    @Nested
    @DisplayName("§2 counts: unknown field names in paging keys are ignored, unknown keys a 400")
    class CountIgnoring {
        @Test
        void ignored() {
            List<String> ignored = new ArrayList<>();
            assertEquals(new CountPlan(List.of(new CountPlan.Target("boot", BOOT, List.of(match(BOOT, "job", "next"))))),
                    PLANNER.planCount(Optional.of("boot"), QueryStringParser.parse("field=bogus&sort=nope&job=next"), ignored));
            assertEquals(List.of("field=bogus", "sort=nope"), ignored);
            assertBadRequest("Invalid value for 'field': unknown field 'bogus'",
                    () -> STRICT.planCount(Optional.of("boot"), QueryStringParser.parse("field=bogus")));
        }
    }

    // ---- by id -----------------------------------------------------------------------------

    @Nested
    @DisplayName("§3 GET /<collection>/<id>")
    class ById {
        QueryPlan byId(Collection collection, String id, String query) {
            return PLANNER.planById(collection, id, QueryStringParser.parse(query));
        }

        @Test
        @DisplayName("one document, matched on the lowercased id")
        void plain() {
            QueryPlan expected = new QueryPlan(BOOT, List.of(match(BOOT, "_id", ID)), BOOT.fields(), List.of(), false,
                    List.of(), 1, 0);
            assertEquals(expected, byId(BOOT, ID, ""));
            assertEquals(expected, byId(BOOT, ID_UPPER, ""));
        }

        @Test
        @DisplayName("field and nfield apply")
        void projection() {
            assertEquals(new QueryPlan(JOB, List.of(match(JOB, "_id", ID)), List.of(f(JOB, "_id"), f(JOB, "kernel")),
                    List.of(), false, List.of(), 1, 0), byId(JOB, ID, "field=kernel"));
            assertEquals(new QueryPlan(JOB, List.of(match(JOB, "_id", ID)), List.of(f(JOB, "kernel")),
                    List.of(), false, List.of(), 1, 0), byId(JOB, ID, "field=kernel&nfield=_id"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "xyz", "54856af59e2a1e7ec4a4d07", "54856af59e2a1e7ec4a4d07a0", "54856af59e2a1e7ec4a4d07g",
                "null", " 54856af59e2a1e7ec4a4d07a", "x'; drop table boot;--"})
        @DisplayName("§3 a malformed id is 400 'Wrong ID value provided'")
        void wrongId(String id) {
            assertBadRequest("Wrong ID value provided", () -> byId(BOOT, id, ""));
        }

        @Test
        @DisplayName("a malformed id is reported before a bad key")
        void wrongIdFirst() {
            assertBadRequest("Wrong ID value provided", () -> byId(BOOT, "xyz", "limit=1"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "limit=1       | limit        | Unknown query key 'limit' (value '1')",
                "skip=0        | skip         | Unknown query key 'skip' (value '0')",
                "sort=board    | sort         | Unknown query key 'sort' (value 'board')",
                "board=panda   | board        | Unknown query key 'board' (value 'panda')",
                "date_range=1  | date_range   | Unknown query key 'date_range' (value '1')",
                "bogus=x       | bogus        | Unknown query key 'bogus' (value 'x')",
                "field=bogus   | field=bogus  | Invalid value for 'field': unknown field 'bogus'",
                "nfield=bogus  | nfield=bogus | Invalid value for 'nfield': unknown field 'bogus'",
        })
        @DisplayName("§2 keys other than field/nfield, and unknown field names, are ignored and named; strict: a 400")
        void otherKeys(String query, String ignored, String reason) {
            List<String> names = new ArrayList<>();
            assertEquals(byId(BOOT, ID, ""), PLANNER.planById(BOOT, ID, QueryStringParser.parse(query), names));
            assertEquals(List.of(ignored), names);
            assertBadRequest(reason, () -> STRICT.planById(BOOT, ID, QueryStringParser.parse(query)));
        }
    }

    // ---- count -----------------------------------------------------------------------------

    @Nested
    @DisplayName("§3 GET /count and /count/<collection>")
    class Count {
        CountPlan count(String requested, String query) {
            return PLANNER.planCount(Optional.ofNullable(requested), QueryStringParser.parse(query));
        }

        CountPlan.Target target(String name, Collection collection, Condition... conditions) {
            return new CountPlan.Target(name, collection, List.of(conditions));
        }

        @Test
        @DisplayName("/count: job, defconfig, boot, in that order")
        void all() {
            assertEquals(new CountPlan(List.of(target("job", JOB), target("defconfig", DEFCONFIG), target("boot", BOOT))),
                    count(null, ""));
        }

        @Test
        @DisplayName("/count with a filter every collection has")
        void allFiltered() {
            assertEquals(new CountPlan(List.of(
                    target("job", JOB, match(JOB, "job", "next")),
                    target("defconfig", DEFCONFIG, match(DEFCONFIG, "job", "next")),
                    target("boot", BOOT, match(BOOT, "job", "next")))), count(null, "job=next"));
        }

        @Test
        @DisplayName("§3 a collection that has no such field counts 0 (Nothing)")
        void fieldOnlyBootHas() {
            assertEquals(new CountPlan(List.of(
                    target("job", JOB, new Nothing(), match(JOB, "job", "next")),
                    target("defconfig", DEFCONFIG, new Nothing(), match(DEFCONFIG, "job", "next")),
                    target("boot", BOOT, match(BOOT, "board", "panda"), match(BOOT, "job", "next")))),
                    count(null, "board=panda&job=next"));
        }

        @Test
        @DisplayName("a range on a field only some collections have: Nothing for the others")
        void rangeElsewhere() {
            assertEquals(new CountPlan(List.of(
                    target("job", JOB, new Nothing()),
                    target("defconfig", DEFCONFIG, new Nothing()),
                    target("boot", BOOT, range(BOOT, "retries", Comparison.GTE, 1)))),
                    count(null, "gte=retries,1"));
        }

        @Test
        @DisplayName("a field of defconfig and boot only: Nothing for job")
        void warnings() {
            assertEquals(new CountPlan(List.of(
                    target("job", JOB, new Nothing()),
                    target("defconfig", DEFCONFIG, match(DEFCONFIG, "warnings", 0)),
                    target("boot", BOOT, match(BOOT, "warnings", 0)))),
                    count(null, "warnings=0"));
        }

        @Test
        @DisplayName("the build_id alias: Nothing where it is unknown")
        void alias() {
            assertEquals(new CountPlan(List.of(
                    target("job", JOB, new Nothing()),
                    target("defconfig", DEFCONFIG, new Nothing()),
                    target("boot", BOOT, match(BOOT, "defconfig_id", ID)))),
                    count(null, "build_id=" + ID));
        }

        @Test
        @DisplayName("/count/<collection>: one entry, the name echoed as requested")
        void one() {
            assertEquals(new CountPlan(List.of(target("boot", BOOT, match(BOOT, "board", "panda")))), count("boot", "board=panda"));
            assertEquals(new CountPlan(List.of(target("build", DEFCONFIG))), count("build", ""));
            assertEquals(new CountPlan(List.of(target("defconfig", DEFCONFIG))), count("defconfig", ""));
            assertEquals(new CountPlan(List.of(target("job", JOB, new Nothing()))), count("job", "board=panda"));
        }

        @Test
        @DisplayName("/count/lab: lab fields filter, fields of the counted collections give Nothing")
        void lab() {
            assertEquals(new CountPlan(List.of(target("lab", LAB, match(LAB, "name", "lab-a")))), count("lab", "name=lab-a"));
            assertEquals(new CountPlan(List.of(target("lab", LAB, new Nothing()))), count("lab", "board=panda"));
        }

        @Test
        @DisplayName("dates apply to counts as to lists")
        void dates() {
            List<Condition> boot = new ArrayList<>(List.of(match(BOOT, "status", "FAIL")));
            boot.addAll(createdBetween(BOOT, "2014-12-06", "2014-12-09"));
            assertEquals(new CountPlan(List.of(new CountPlan.Target("boot", BOOT, boot))), count("boot", "status=FAIL&date_range=2"));
        }

        @Test
        @DisplayName("paging and projection keys have no effect on a count")
        void pagingIgnored() {
            assertEquals(new CountPlan(List.of(target("boot", BOOT, match(BOOT, "job", "next")))),
                    count("boot", "limit=5&skip=10&sort=board&sort_order=1&field=board&nfield=_id&aggregate=board&job=next"));
        }

        @Test
        @DisplayName("§3 an unknown collection is a 404")
        void unknownCollection() {
            ApiException e = assertThrows(ApiException.class, () -> count("foo", ""));
            assertEquals(404, e.status());
            assertEquals("Collection foo not found", e.reason());
            e = assertThrows(ApiException.class, () -> count("count", ""));
            assertEquals(404, e.status());
            assertEquals("Collection count not found", e.reason());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "bogus=1               |       | Unknown query key 'bogus' (value '1')",
                "bogus=1               | boot  | Unknown query key 'bogus' (value '1')",
                "gte=bogus,1           |       | Invalid value for 'gte': unknown field 'bogus'",
                "gte=status            |       | Invalid value for 'gte': 'status' (expected 'field,value')",
                "warnings=many         |       | Invalid value for 'warnings': 'many' (expected an integer for field 'warnings')",
                "retries=many          |       | Invalid value for 'retries': 'many' (expected an integer for field 'retries')",
                "date_range=-x         | job   | Invalid value for 'date_range': '-x' (expected an integer >= 0)",
                "created_on=2014-13-01 |       | Invalid value for 'created_on': '2014-13-01' (expected a date as YYYY-MM-DD or YYYYMMDD)",
                "metadata=x            | build | Field 'metadata' in 'metadata=x' cannot be filtered: it is free-form JSON",
        })
        @DisplayName("§3 a key that no collection has, or a malformed value, is a 400")
        void bad(String query, String requested, String reason) {
            assertBadRequest(reason, () -> count(requested, query));
        }
    }

    @Nested
    @DisplayName("how long plans hold (what a kept batch may reuse)")
    class PlannedUntil {
        final Instant midnight = Instant.parse("2014-12-09T00:00:00Z");

        @ParameterizedTest
        @ValueSource(strings = {"", "job=next", "date_range=5", "created_on=2014-12-01", "gte=created_on,2014-12-01T10:00:00Z"})
        @DisplayName("days and everything else resolve the same until the next UTC midnight")
        void untilMidnight(String query) {
            assertEquals(midnight, QueryPlanner.plannedUntil(QueryStringParser.parse(query), CLOCK.instant()));
        }

        @Test
        @DisplayName("time_range resolves to the instant: it holds only now")
        void timeRange() {
            assertEquals(CLOCK.instant(), QueryPlanner.plannedUntil(QueryStringParser.parse("date_range=5&time_range=60"),
                    CLOCK.instant()));
        }

        @Test
        @DisplayName("a batch holds as long as its shortest-lived read; one that writes or has a rejected operation, only now")
        void batches() {
            BatchPlanner batches = new BatchPlanner(PLANNER, new WritePlanner(CLOCK));
            String reads = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"boot\","
                    + "\"query\":\"date_range=5\"}%s]}";
            assertEquals(midnight, batches.plans(body(reads.formatted(""))).until());
            assertEquals(CLOCK.instant(), batches.plans(body(reads.formatted(
                    ",{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"time_range=10\"}"))).until());
            assertEquals(CLOCK.instant(), batches.plans(body(reads.formatted(
                    ",{\"method\":\"DELETE\",\"collection\":\"boot\",\"document_id\":\"" + ID + "\"}"))).until());
            BatchPlanner.Plans rejected = batches.plans(body(reads.formatted(
                    ",{\"method\":\"GET\",\"collection\":\"nowhere\"}")));
            assertEquals(CLOCK.instant(), rejected.until());
            assertEquals(BatchStep.Rejected.class, rejected.steps().get(1).getClass());
        }

        private List<org.kernelci.batch.parse.BatchOperation> body(String json) {
            return org.kernelci.batch.parse.BatchRequestParser.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}

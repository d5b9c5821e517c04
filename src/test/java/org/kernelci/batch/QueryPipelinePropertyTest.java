package org.kernelci.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.parse.CollectionRoutes;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.Condition;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlan;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;
import org.kernelci.batch.sql.Identifiers;
import org.kernelci.batch.sql.SqlArray;
import org.kernelci.batch.sql.SqlCompiler;
import org.kernelci.batch.sql.SqlQuery;
import org.kernelci.batch.sql.Sources;

/**
 * Generated queries, random and hostile, through the whole pure pipeline (parse, plan, compile)
 * for every collection. CONTRACT.md §2: every value is a bind, field names come only from the
 * declarations, and a client mistake is a 400, never anything else.
 *
 * <p>Every case is reproducible from its seed and index, printed on failure.
 */
class QueryPipelinePropertyTest {
    static final int MAX_ROWS = 500;
    static final QueryPlanner PLANNER =
            new QueryPlanner(Clock.fixed(Instant.parse("2014-12-08T10:00:00Z"), ZoneOffset.UTC), MAX_ROWS);

    static final List<String> CONTROL_KEYS = List.of("field", "nfield", "sort", "sort_order", "limit", "skip",
            "date_range", "created_on", "aggregate", "gte", "gt", "lte", "lt");

    static final List<String> HOSTILE = List.of(
            "x'; drop table boot;--", "' OR '1'='1", "\" OR 1=1 --", "\"; DROP TABLE \"boot\"; --",
            "1; SELECT pg_sleep(10)", "/* comment */", "/*", "*/", "--", ";", "'", "''", "\"", "\"\"", "\\", "\\'",
            "$$", "$1$", "$tag$ x $tag$", "?", "??", "?::text", ":name", "::text", "%", "%%", "%s", "%n", "{0}",
            "\u0000", "\u202e", "\u200b", "\ufeff", "é", "🐧", "中文", "ﷺ", "\uD83D", "\uDC27", "\uDC27\uD83D",
            "null", "NULL", "Null", "true", "()", "ANY(?)", "E'\\x00'", "\r\n", "\t", "a&b", "a=b", "+", " ", "",
            "id", "\"id\"", "boot", "\"boot\"", "time_ms", "build", "count(*)", "FALSE", ") OR (1=1",
            "99999999999999999999999999", "-9223372036854775809", "9223372036854775807", "9223372036854775808",
            "2147483647", "2147483648", "-2147483649", "-1", "0", "-0", "+0", "1e309", "-1e309", "1e-400", "NaN",
            "Infinity", "0x10", "0x1p3", "1_000", "1,5", "1.5", "١٢", "１２", "2014-12-08", "20141208", "2014-02-30",
            "+999999999-12-31", "-999999999-01-01", "+999999999-12-31T23:59:59-18:00",
            "-999999999-01-01T00:00:00+18:00", "2014-12-08T10:00:00Z", "0000-01-01T00:00:00+18:00",
            "9999-12-31T23:59:59-18:00", "0000-01-01", "9999-12-31", "00000101", "99991231", "+10000-01-01",
            "54856af59e2a1e7ec4a4d07a", "54856AF59E2A1E7EC4A4D07A", "54856af59e2a1e7ec4a4d07", "gte", "field",
            "warnings,", ",", ",,", "warnings,1,2", "created_on,2014-12-08", "metadata,1", "build_id,x");

    /** Characters random strings are drawn from: the SQL-significant ones and all kinds of Unicode. */
    static final String ALPHABET = "abcxyzABCXYZ0123456789 _-'\";:/*\\$?%&=+#,.()[]{}<>|!@^`~\t\n\r\u0000"
            + "é中🐧\u202e\u200b\ufeff\uD800\uDBFF\uDC00\uDFFF";

    /** Words the compiler itself writes; anything else in SQL text must be a declared name. */
    static final List<String> VOCABULARY = List.of("SELECT", "FROM", "WHERE", "AND", "OR", "IS", "NULL", "ORDER",
            "BY", "ASC", "DESC", "LIMIT", "OFFSET", "DISTINCT", "ON", "AS", "groups", "count", "ANY", "FALSE",
            "text", "integer", "boolean", "timestamptz", "bigint", "double", "precision", "char", "24",
            "coalesce", "sum", "date", "grouping", "day", "rollup", "0");

    static final Pattern TOKEN = Pattern.compile(String.join("|",
            "\\s+",
            // A grouping's number (issue 17): the declarations' own constant, the only number written in.
            "\"grouping\" = \\d+",
            "\"(?:[^\"]|\"\")*\"",
            "\\?::(?:text|integer|boolean|timestamptz|bigint|double precision|char\\(24\\)|date)(?:\\[\\])?",
            // The per-day counts (issue 17).
            "coalesce\\(sum\\(\"n\"\\), 0\\)::bigint",
            "\\?",
            "(?:SELECT|FROM|WHERE|AND|OR|IS|NULL|ORDER|BY|ASC|DESC|LIMIT|OFFSET|DISTINCT|ON|AS|groups|ANY|FALSE)\\b",
            "count\\(\\*\\)",
            ">=|<=|=|<|>|,|\\(|\\)"));

    static final Set<String> DECLARED_NAMES = new HashSet<>();

    static {
        for (Collection collection : Collections.ALL) {
            DECLARED_NAMES.add(collection.name());
            DECLARED_NAMES.add(collection.table());
            DECLARED_NAMES.addAll(collection.aliases());
            for (Field field : collection.fields()) {
                DECLARED_NAMES.add(field.name());
                DECLARED_NAMES.add(field.column());
            }
        }
        DECLARED_NAMES.add("build_id");
    }

    /** What one run saw, so that a generator gone dull (everything a 400) fails the test. */
    static final class Tally {
        int cases;
        int parsed;
        int compiled;
        int rejected;
    }

    // ---- the properties ---------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 42L, 20141208L, 0xC0FFEEL})
    @DisplayName("§2 any query string: a 400 or SQL that holds no request text, one '?' per bind")
    void randomQueries(long seed) {
        Random random = new Random(seed);
        Tally tally = new Tally();
        for (int i = 0; i < 800; i++) {
            String raw = query(random, 1 + random.nextInt(random.nextInt(10) == 0 ? 60 : 8));
            check(seed, i, raw, random, tally);
        }
        assertTrue(tally.compiled > tally.cases / 10, "too few cases reached SQL: " + tally.compiled + "/" + tally.cases);
        assertTrue(tally.rejected > tally.cases / 10, "too few cases were rejected: " + tally.rejected + "/" + tally.cases);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7L, 77L})
    @DisplayName("§2 thousands of pairs in one query")
    void hugeQueries(long seed) {
        Random random = new Random(seed);
        Tally tally = new Tally();
        for (int i = 0; i < 8; i++) {
            check(seed, i, query(random, 1000 + random.nextInt(3000)), random, tally);
        }
        // Many plausible pairs of one collection, under the planner's 1,000 conditions: some of
        // these must reach SQL.
        for (int i = 0; i < 8; i++) {
            Collection collection = Collections.ALL.get(random.nextInt(Collections.ALL.size()));
            StringBuilder raw = new StringBuilder();
            for (int p = 0; p < 900; p++) {
                raw.append(p == 0 ? "" : "&").append(plausiblePair(random, collection, true));
            }
            check(seed, 100 + i, raw.toString(), random, tally);
        }
        assertTrue(tally.compiled > 0, "no huge query reached SQL");
    }

    @Test
    @DisplayName("§2 raw random bytes as a query string, %-escaped or not")
    void randomText() {
        Random random = new Random(99);
        Tally tally = new Tally();
        for (int i = 0; i < 1500; i++) {
            StringBuilder raw = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                int kind = random.nextInt(10);
                if (kind == 0) {
                    raw.append('%').append(Integer.toHexString(random.nextInt(256)));
                } else if (kind == 1) {
                    raw.append(random.nextBoolean() ? '&' : '=');
                } else {
                    raw.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            check(99, i, raw.toString(), random, tally);
        }
        assertTrue(tally.parsed > 0);
    }

    // ---- one case ---------------------------------------------------------------------------

    static void check(long seed, int index, String raw, Random random, Tally tally) {
        String where = "seed " + seed + ", case " + index + ", query " + visible(raw);
        tally.cases++;
        Optional<QueryParams> params = attempt(where + " [parse]", () -> QueryStringParser.parse(raw));
        if (params.isEmpty()) {
            tally.rejected++;
            return;
        }
        tally.parsed++;
        List<String> requestText = requestText(raw, params.get());
        boolean anyCompiled = false;
        boolean anyRejected = false;
        for (Collection collection : Collections.ALL) {
            String at = where + " [" + collection + "]";
            Optional<QueryPlan> plan = attempt(at + " [plan]", () -> PLANNER.plan(collection, params.get()));
            if (plan.isPresent()) {
                anyCompiled = true;
                QueryPlan p = plan.get();
                assertTrue(p.limit() >= 1 && p.limit() <= MAX_ROWS, at + ": limit " + p.limit());
                assertTrue(p.skip() >= 0, at + ": skip " + p.skip());
                verify(at + " [select]", collection, requestText, compile(at + " [select]", () -> SqlCompiler.select(p)));
                verify(at + " [count]", collection, requestText, compile(at + " [count]", () -> SqlCompiler.count(p)));
            } else {
                anyRejected = true;
            }
            Optional<CountPlan> count = attempt(at + " [planCount]",
                    () -> PLANNER.planCount(Optional.of(collection.name()), params.get()));
            count.ifPresent(c -> verifyCount(at + " [count target]", c, requestText));
            String id = random.nextBoolean() ? randomId(random) : pick(random, HOSTILE);
            if (CollectionRoutes.isOtherRoute(id)) {
                // A segment like "regressions" or with a "/" is a route this service lacks: 404.
                ApiException notFound = assertThrows(ApiException.class, () -> PLANNER.planById(collection, id, params.get()));
                assertEquals(404, notFound.status(), at + " [planById]");
            } else {
                attempt(at + " [planById]", () -> PLANNER.planById(collection, id, params.get()))
                        .ifPresent(p -> verify(at + " [by id]", collection, requestText,
                                compile(at + " [by id]", () -> SqlCompiler.select(p))));
            }
        }
        attempt(where + " [planCount all]", () -> PLANNER.planCount(Optional.empty(), params.get()))
                .ifPresent(c -> verifyCount(where + " [count all]", c, requestText));
        if (anyCompiled) {
            tally.compiled++;
        }
        if (anyRejected) {
            tally.rejected++;
        }
    }

    static void verifyCount(String where, CountPlan plan, List<String> requestText) {
        for (CountPlan.Target target : plan.targets()) {
            verify(where + " " + target.name(), target.collection(), requestText,
                    compile(where, () -> SqlCompiler.count(target.collection(), target.conditions())));
        }
    }

    /** The result, or empty for a 400; any other failure fails the test. */
    static <T> Optional<T> attempt(String where, Supplier<T> step) {
        try {
            return Optional.of(step.get());
        } catch (ApiException e) {
            assertEquals(400, e.status(), where + ": " + e.reason());
            assertTrue(e.reason() != null && !e.reason().isEmpty(), where + ": empty reason");
            return Optional.empty();
        } catch (Throwable e) {
            throw new AssertionError(where + ": " + e, e);
        }
    }

    static SqlQuery compile(String where, Supplier<SqlQuery> step) {
        try {
            return step.get();
        } catch (Throwable e) {
            throw new AssertionError(where + ": the compiler must not fail on a plan: " + e, e);
        }
    }

    // ---- what valid SQL looks like ----------------------------------------------------------

    static void verify(String where, Collection collection, List<String> requestText, SqlQuery sql) {
        // A view's or computed fields' source is the code's own SQL, the same for every request (one
        // of two for a view found from either side, by the reads of ids and the others).
        Condition byId = new Condition.Match(collection.idField(), List.of("0".repeat(24)), false);
        String text = sql.text().replace(Sources.from(collection, List.of(byId)), Identifiers.quote(collection.table()))
                .replace(Sources.from(collection), Identifiers.quote(collection.table()));
        String at = where + "\nSQL: " + text;
        assertEquals(sql.binds().size(), text.chars().filter(c -> c == '?').count(), at + ": one '?' per bind");
        Set<String> identifiers = new HashSet<>();
        identifiers.add(Identifiers.quote(collection.table()));
        identifiers.add(Identifiers.quote(collection.rollupTable()));
        identifiers.add(Identifiers.quote("grouping"));
        identifiers.add(Identifiers.quote("day"));
        for (Field field : collection.fields()) {
            identifiers.add(Identifiers.quote(field.column()));
        }
        Matcher token = TOKEN.matcher(text);
        int position = 0;
        while (position < text.length()) {
            token.region(position, text.length());
            if (!token.lookingAt()) {
                fail(at + ": unexpected SQL text at " + position + ": " + text.substring(position));
            }
            String t = token.group();
            if (t.startsWith("\"grouping\" = ")) {
                int grouping = Integer.parseInt(t.substring("\"grouping\" = ".length()));
                assertTrue(collection.rollups().stream().anyMatch(rollup -> rollup.grouping() == grouping),
                        at + ": grouping " + grouping + " is not one of " + collection + "'s");
            } else if (t.startsWith("\"")) {
                assertTrue(identifiers.contains(t), at + ": identifier " + t + " is not a column of " + collection);
            }
            position = token.end();
        }
        for (String piece : requestText) {
            if (!piece.isEmpty() && !DECLARED_NAMES.contains(piece) && !explainable(piece)) {
                assertTrue(!text.contains(piece), at + ": request text " + visible(piece) + " reached the SQL");
            }
        }
        for (Object bind : sql.binds()) {
            checkBind(at, bind);
        }
    }

    /** Text the compiler could have written itself: SQL-alphabet characters, vocabulary or declared words. */
    static boolean explainable(String piece) {
        if (!piece.matches("[A-Za-z0-9_ ,()=?:*<>\\[\\]\"]*")) {
            return false;
        }
        for (String word : piece.split("[^A-Za-z0-9_]+")) {
            // Digits: a grouping's number (the tokens allow them nowhere else).
            if (!word.isEmpty() && !word.matches("\\d+") && VOCABULARY.stream().noneMatch(v -> v.contains(word))
                    && DECLARED_NAMES.stream().noneMatch(n -> n.contains(word))) {
                return false;
            }
        }
        return true;
    }

    static void checkBind(String at, Object bind) {
        if (bind instanceof SqlArray array) {
            assertTrue(array.values().size() >= 2, at + ": an array of fewer than two values");
            for (FieldType type : FieldType.values()) {
                if (type.sqlType().equals(array.elementType())) {
                    array.values().forEach(v -> checkBind(at, v));
                    return;
                }
            }
            fail(at + ": array of unknown element type " + array.elementType());
        } else if (bind instanceof OffsetDateTime time) {
            assertEquals(ZoneOffset.UTC, time.getOffset(), at);
            // PostgreSQL timestamptz holds 4713 BC to 294276 AD.
            assertTrue(time.getYear() >= -4712 && time.getYear() <= 294276, at + ": timestamp out of range " + time);
        } else if (bind instanceof java.time.LocalDate day) {
            // A day of the per-day counts (PostgreSQL's date holds 4713 BC to 5874897 AD).
            assertTrue(day.getYear() >= -4712, at + ": day out of range " + day);
        } else if (bind instanceof Double number) {
            assertTrue(Double.isFinite(number), at + ": non-finite number bind");
        } else {
            assertTrue(bind instanceof String || bind instanceof Integer || bind instanceof Long
                    || bind instanceof Boolean, at + ": unexpected bind type " + (bind == null ? null : bind.getClass()));
        }
    }

    /** Every key and value, decoded and raw, and both halves of range values. */
    static List<String> requestText(String raw, QueryParams params) {
        List<String> text = new ArrayList<>();
        for (QueryParams.Pair pair : params.pairs()) {
            text.add(pair.key());
            text.add(pair.value());
            int comma = pair.value().indexOf(',');
            if (comma >= 0) {
                text.add(pair.value().substring(0, comma));
                text.add(pair.value().substring(comma + 1));
            }
        }
        for (String piece : raw.split("[&=]")) {
            text.add(piece);
        }
        return text;
    }

    // ---- generators -------------------------------------------------------------------------

    static String query(Random random, int pairs) {
        Collection favourite = Collections.ALL.get(random.nextInt(Collections.ALL.size()));
        boolean clean = random.nextInt(3) == 0;
        StringBuilder raw = new StringBuilder(random.nextInt(8) == 0 ? "?" : "");
        for (int i = 0; i < pairs; i++) {
            if (i > 0) {
                raw.append(random.nextInt(15) == 0 ? "&&" : "&");
            }
            if (clean || random.nextInt(3) > 0) {
                raw.append(plausiblePair(random, favourite, clean));
            } else {
                raw.append(encode(random, key(random))).append(random.nextInt(12) == 0 ? "" : "=")
                        .append(encode(random, value(random)));
            }
        }
        return raw.toString();
    }

    /** A pair that a careful client could send to the collection, its value often hostile text. */
    static String plausiblePair(Random random, Collection collection, boolean encodeAlways) {
        List<Field> fields = collection.fields();
        Field field = fields.get(random.nextInt(fields.size()));
        String key;
        String value;
        switch (random.nextInt(14)) {
            case 0 -> {
                key = random.nextBoolean() ? "field" : "nfield";
                value = field.name();
            }
            case 1 -> {
                key = random.nextBoolean() ? "sort" : "aggregate";
                value = field.type().isScalar() ? field.name() : "_id";
            }
            case 2 -> {
                key = "sort_order";
                value = random.nextBoolean() ? "1" : "-1";
            }
            case 3 -> {
                key = random.nextBoolean() ? "limit" : "skip";
                value = Long.toString(random.nextInt(4) == 0 ? Math.abs(random.nextLong()) : random.nextInt(2000));
            }
            case 4 -> {
                key = "date_range";
                value = Long.toString(random.nextInt(4) == 0 ? Math.abs(random.nextLong()) : random.nextInt(2_000_000));
            }
            case 5 -> {
                key = "created_on";
                value = day(random);
            }
            case 6, 7 -> {
                key = pick(random, List.of("gte", "gt", "lte", "lt"));
                Field scalar = field.type().isScalar() ? field : collection.idField();
                value = scalar.name() + "," + typedValue(random, scalar.type(), false);
            }
            default -> {
                if (!field.type().isScalar() || field.name().equals("created_on")) {
                    field = collection.idField();
                }
                key = field.name();
                value = typedValue(random, field.type(), true);
            }
        }
        return (encodeAlways ? percentEncode(key) : encode(random, key)) + "="
                + (encodeAlways ? percentEncode(value) : encode(random, value));
    }

    static String typedValue(Random random, FieldType type, boolean nullable) {
        if (nullable && random.nextInt(10) == 0) {
            return "null";
        }
        return switch (type) {
            case OBJECT_ID, ID -> randomId(random);
            // Text that PostgreSQL can hold: NUL is a 400 of its own, tested with the hostile keys.
            case TEXT, JSON, LIST, OBJECT, EXTRAS -> value(random).replace("\0", "");
            case INTEGER -> Integer.toString(random.nextInt());
            case NUMBER -> Double.toString(random.nextGaussian() * 1e6);
            case BOOLEAN -> pick(random, List.of("true", "false", "1", "0", "TRUE", "False"));
            case TIMESTAMP -> random.nextBoolean() ? day(random)
                    : OffsetDateTime.ofInstant(Instant.ofEpochSecond(random.nextInt()), ZoneOffset.ofHours(random.nextInt(37) - 18))
                            .toString();
            case DURATION -> Long.toString(random.nextLong());
        };
    }

    static String day(Random random) {
        int year = random.nextInt(10_000);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(28);
        return random.nextBoolean()
                ? String.format("%04d-%02d-%02d", year, month, day)
                : String.format("%04d%02d%02d", year, month, day);
    }

    static String key(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> pick(random, CONTROL_KEYS);
            case 2 -> {
                Collection collection = Collections.ALL.get(random.nextInt(Collections.ALL.size()));
                yield collection.fields().get(random.nextInt(collection.fields().size())).name();
            }
            case 3 -> pick(random, List.of("build_id", "id", "time_ms", "Job", "FIELD", "_ID", "a\"b", "\"id\""));
            default -> value(random);
        };
    }

    static String value(Random random) {
        return switch (random.nextInt(5)) {
            case 0, 1 -> pick(random, HOSTILE);
            case 2 -> {
                Collection collection = Collections.ALL.get(random.nextInt(Collections.ALL.size()));
                Field field = collection.fields().get(random.nextInt(collection.fields().size()));
                yield random.nextBoolean() ? field.name() : field.name() + "," + pick(random, HOSTILE);
            }
            case 3 -> randomString(random, random.nextInt(30));
            default -> pick(random, HOSTILE) + randomString(random, 3) + pick(random, HOSTILE);
        };
    }

    static String randomString(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(10) == 0) {
                text.appendCodePoint(random.nextInt(0x110000));
            } else {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return text.toString();
    }

    static String randomId(Random random) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            id.append("0123456789abcdefABCDEF".charAt(random.nextInt(22)));
        }
        return id.toString();
    }

    /** Raw, properly %-escaped, '+' for spaces, or broken on purpose. */
    static String encode(Random random, String text) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> text;
            case 2, 3 -> percentEncode(text);
            case 4 -> percentEncode(text).replace("%20", "+");
            default -> breakEscapes(random, percentEncode(text));
        };
    }

    static String percentEncode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return encoded.toString();
    }

    static String breakEscapes(Random random, String text) {
        StringBuilder broken = new StringBuilder(text);
        int at = broken.length() == 0 ? 0 : random.nextInt(broken.length() + 1);
        broken.insert(at, pick(random, List.of("%", "%Z", "%ZZ", "%C3", "%E2%82", "%ED%A0%80", "%FF", "%C0%AF",
                "%F4%90%80%80", "%٤١", "%ＡＢ", "%+1", "%%")));
        return broken.toString();
    }

    static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** The query with control characters, surrogates and non-ASCII shown as escapes. */
    static String visible(String text) {
        StringBuilder shown = new StringBuilder();
        String cut = text.length() > 2000 ? text.substring(0, 2000) : text;
        for (char c : cut.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                shown.append(c);
            } else {
                shown.append(String.format("\\u%04x", (int) c));
            }
        }
        return shown + (text.length() > 2000 ? "... (" + text.length() + " chars)" : "");
    }
}

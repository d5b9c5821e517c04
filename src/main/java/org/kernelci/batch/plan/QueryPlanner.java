package org.kernelci.batch.plan;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.CollectionRoutes;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryParams.Pair;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * Plans reads from query parameters (CONTRACT.md section 2). Control keys are fixed; every other
 * key names a scalar field of the collection. A key that is neither, and a name in {@code field},
 * {@code nfield}, {@code sort} or {@code aggregate} that is no field of the collection, is ignored,
 * as the original ignored them (real clients send such keys), and reported to the caller's list of
 * ignored names; in strict mode each is a 400 instead. A malformed value of a known key is always
 * a 400. A pair with an empty value is ignored, as the original did. Single-valued control keys
 * repeated in one query take their last value.
 */
public final class QueryPlanner {
    /** {@code date_range} beyond this many days reaches back to the beginning of time. */
    static final long MAX_DATE_RANGE_DAYS = 1_000_000;
    /** Distinct filter fields plus ranges one query may have; each is a bind value. */
    static final int MAX_CONDITIONS = 1000;
    /** The original's bounds of {@code time_range}, in minutes. */
    static final long MIN_TIME_RANGE = 10;
    static final long MAX_TIME_RANGE = 1440;

    private static final String FIELD = "field";
    private static final String NFIELD = "nfield";
    private static final String SORT = "sort";
    private static final String SORT_ORDER = "sort_order";
    private static final String LIMIT = "limit";
    private static final String SKIP = "skip";
    private static final String DATE_RANGE = "date_range";
    private static final String CREATED_ON = "created_on";
    private static final String TIME_RANGE = "time_range";
    private static final String AGGREGATE = "aggregate";
    private static final String DISTINCT = "distinct";
    private static final Set<String> PAGING_KEYS =
            Set.of(FIELD, NFIELD, SORT, SORT_ORDER, LIMIT, SKIP, AGGREGATE);

    private final Clock clock;
    private final int maxRows;
    private final boolean strict;

    /**
     * @param clock   gives "today" (UTC) for {@code date_range} and "now" for {@code time_range}
     * @param maxRows the most documents one query returns
     * @param strict  unknown keys and field names are 400s instead of being ignored
     */
    public QueryPlanner(Clock clock, int maxRows, boolean strict) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1");
        }
        this.clock = clock;
        this.maxRows = maxRows;
        this.strict = strict;
    }

    /** A planner that ignores unknown keys and field names. */
    public QueryPlanner(Clock clock, int maxRows) {
        this(clock, maxRows, false);
    }

    /** Now, by the planner's clock. */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Until when a query planned at {@code now} plans the same: {@code now} itself when it has a
     * {@code time_range} (minutes up to the instant), else the next UTC midnight ({@code date_range}
     * counts days up to today; nothing else reads the clock).
     */
    public static Instant plannedUntil(QueryParams params, Instant now) {
        boolean toTheInstant = params.pairs().stream().anyMatch(pair -> pair.key().equals(TIME_RANGE));
        return toTheInstant ? now : now.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public int maxRows() {
        return maxRows;
    }

    /** A list query: {@code GET /<collection>?<query>}. */
    public QueryPlan plan(Collection collection, QueryParams params) {
        return plan(collection, params, new ArrayList<>());
    }

    /**
     * A list query; the keys and field names it ignores are added to {@code ignored} (a key, or
     * {@code key=name} for a field name).
     */
    public QueryPlan plan(Collection collection, QueryParams params, List<String> ignored) {
        List<Condition> conditions = conditions(collection, params, null, ignored);
        Set<Field> included = new LinkedHashSet<>();
        Set<Field> excluded = new LinkedHashSet<>();
        List<Field> sort = new ArrayList<>();
        List<Field> aggregate = new ArrayList<>();
        boolean descending = true;
        long limit = 0;
        long skip = 0;
        for (Pair pair : params.pairs()) {
            String value = pair.value();
            if (value.isEmpty()) {
                continue;
            }
            switch (pair.key()) {
                case FIELD -> namedField(collection, FIELD, value, ignored).ifPresent(included::add);
                case NFIELD -> namedField(collection, NFIELD, value, ignored).ifPresent(excluded::add);
                case SORT -> scalarField(collection, SORT, value, ignored).ifPresent(sort::add);
                case AGGREGATE -> scalarField(collection, AGGREGATE, value, ignored).ifPresent(aggregate::add);
                case SORT_ORDER -> descending = descending(value);
                case LIMIT -> limit = nonNegative(LIMIT, value);
                case SKIP -> skip = nonNegative(SKIP, value);
                default -> {
                    // filters and dates were planned above
                }
            }
        }
        inRequestOrder(params, ignored);
        boolean wholeGroups = !aggregate.isEmpty() && params.pairs().stream()
                .noneMatch(pair -> pair.key().equals(FIELD) && !pair.value().isEmpty());
        return new QueryPlan(collection, conditions, projection(collection, included, excluded),
                distinct(sort), descending, distinct(aggregate), effectiveLimit(limit), skip, wholeGroups);
    }

    /** A document by id: {@code GET /<collection>/<id>}; only {@code field}/{@code nfield} apply. */
    public QueryPlan planById(Collection collection, String id, QueryParams params) {
        return planById(collection, id, params, new ArrayList<>());
    }

    /** A document by id; every key but {@code field} and {@code nfield} is ignored. */
    public QueryPlan planById(Collection collection, String id, QueryParams params, List<String> ignored) {
        if (CollectionRoutes.isOtherRoute(id)) {
            throw ApiException.notFound("Resource not found");
        }
        Object typedId;
        try {
            typedId = FieldType.OBJECT_ID.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong ID value provided");
        }
        Set<Field> included = new LinkedHashSet<>();
        Set<Field> excluded = new LinkedHashSet<>();
        for (Pair pair : params.pairs()) {
            if (pair.value().isEmpty()) {
                continue;
            }
            switch (pair.key()) {
                case FIELD -> namedField(collection, FIELD, pair.value(), ignored).ifPresent(included::add);
                case NFIELD -> namedField(collection, NFIELD, pair.value(), ignored).ifPresent(excluded::add);
                default -> ignoreKey(pair, ignored);
            }
        }
        inRequestOrder(params, ignored);
        Condition byId = new Condition.Match(collection.idField(), List.of(typedId), false);
        return new QueryPlan(collection, List.of(byId), projection(collection, included, excluded),
                List.of(), false, List.of(), 1, 0);
    }

    /**
     * The newest document (by {@code created_on}, then {@code _id}) whose {@code reference} is the
     * id: a build's error log. As for a document by id, the id must be well formed and only
     * {@code field} and {@code nfield} apply.
     */
    public QueryPlan planNewest(Collection collection, String reference, String id, QueryParams params,
                                List<String> ignored) {
        QueryPlan byId = planById(collection, id, params, ignored);
        Field referring = collection.field(reference).orElseThrow();
        Condition.Match match = (Condition.Match) byId.conditions().get(0);
        return new QueryPlan(collection, List.of(new Condition.Match(referring, match.values(), false)),
                byId.projection(), List.of(collection.field(CREATED_ON).orElseThrow()), true, List.of(), 1, 0);
    }

    /**
     * The distinct values of a field among the documents the query selects:
     * {@code GET /<collection>/distinct/<field>}, or a batch operation's {@code distinct}. The
     * paging and projection keys do not apply, and are checked as a count checks them.
     */
    public DistinctPlan planDistinct(Collection collection, String fieldName, QueryParams params,
                                     List<String> ignored) {
        Field field = collection.field(fieldName).filter(f -> f.type().isScalar())
                .orElseThrow(() -> ApiException.badRequest("Invalid value for '" + DISTINCT + "': '" + fieldName
                        + "' is not a scalar field of " + collection));
        checkUnused(params, List.of(collection), ignored);
        DistinctPlan plan = new DistinctPlan(collection, field, conditions(collection, params, null, ignored), maxRows);
        inRequestOrder(params, ignored);
        return plan;
    }

    /**
     * Counts: {@code GET /count} ({@code requested} empty: the default collections) or
     * {@code GET /count/<name>}. A filter on a field that some counted collection lacks makes that
     * collection count 0; a key no collection has is a 400 (CONTRACT.md section 3). Paging and
     * projection keys are accepted and have no effect on a count.
     */
    public CountPlan planCount(Optional<String> requested, QueryParams params) {
        return planCount(requested, params, new ArrayList<>());
    }

    /** Counts; the field names it ignores are added to {@code ignored}. */
    public CountPlan planCount(Optional<String> requested, QueryParams params, List<String> ignored) {
        checkUnused(params, Collections.ALL, ignored);
        List<CountPlan.Target> targets = new ArrayList<>();
        if (requested.isEmpty()) {
            for (Collection collection : Collections.COUNTED_BY_DEFAULT) {
                targets.add(countTarget(collection.name(), collection, params, ignored));
            }
        } else {
            String name = requested.get();
            targets.add(countTarget(name, counted(name), params, ignored));
        }
        inRequestOrder(params, ignored);
        return new CountPlan(targets);
    }

    /** The collection a count names, or a 404. */
    public static Collection counted(String name) {
        return Collections.byName(name).orElseThrow(() -> ApiException.unknownCollection(name));
    }

    /**
     * Checks the paging and projection keys a count or distinct does not use, as a list would: a
     * malformed value is a 400 all the same; a field name none of {@code collections} has is
     * ignored.
     */
    private void checkUnused(QueryParams params, List<Collection> collections, List<String> ignored) {
        for (Pair pair : params.pairs()) {
            String value = pair.value();
            if (value.isEmpty() || !PAGING_KEYS.contains(pair.key())) {
                continue;
            }
            switch (pair.key()) {
                case LIMIT, SKIP -> nonNegative(pair.key(), value);
                case SORT_ORDER -> descending(value);
                default -> {
                    if (collections.stream().noneMatch(c -> c.field(value).isPresent())) {
                        ignoreField(pair.key(), value, ignored);
                    }
                }
            }
        }
    }

    private CountPlan.Target countTarget(String name, Collection collection, QueryParams params, List<String> ignored) {
        // A field of any collection of section 1 counts 0 where the counted one lacks it.
        return new CountPlan.Target(name, collection, conditions(collection, params, Collections.ALL, ignored));
    }

    /**
     * The filter and date conditions. With {@code countable} set, a field of another of those
     * collections yields {@link Condition.Nothing}, and a key none of them has is a 400.
     */
    private List<Condition> conditions(Collection collection, QueryParams params, List<Collection> countable,
                                       List<String> ignored) {
        Map<Field, List<Object>> matches = new LinkedHashMap<>();
        Set<Field> nullable = new LinkedHashSet<>();
        List<Condition> conditions = new ArrayList<>();
        boolean nothing = false;
        Long dateRange = null;
        LocalDate createdOn = null;
        Long timeRange = null;
        for (Pair pair : params.pairs()) {
            String key = pair.key();
            String value = pair.value();
            if (PAGING_KEYS.contains(key)) {
                continue;
            }
            Comparison comparison = comparison(key);
            if (comparison != null) {
                if (value.isEmpty()) {
                    continue;
                }
                int comma = value.indexOf(',');
                if (comma <= 0) {
                    throw ApiException.invalidValue(key, value, "'field,value'");
                }
                String name = value.substring(0, comma);
                Optional<Field> field = filterField(collection, key, value, name, countable, true);
                String bound = value.substring(comma + 1);
                if (field.isEmpty()) {
                    typed(key, bound, filterable(elsewhere(countable, name), key, value));
                    nothing = true;
                    continue;
                }
                conditions.add(new Condition.Range(field.get(), comparison, typed(key, bound, field.get())));
                continue;
            }
            switch (key) {
                case DATE_RANGE -> {
                    if (!value.isEmpty()) {
                        dateRange = nonNegative(DATE_RANGE, value);
                    }
                }
                case CREATED_ON -> {
                    if (!value.isEmpty()) {
                        createdOn = day(value);
                    }
                }
                case TIME_RANGE -> {
                    if (!value.isEmpty()) {
                        timeRange = minutes(value);
                    }
                }
                default -> {
                    if (!known(collection, key, countable)) {
                        if (countable != null) {
                            throw ApiException.unknownKey(key, value);
                        }
                        ignoreKey(pair, ignored);
                        continue;
                    }
                    Optional<Field> field = filterField(collection, key, value, key, countable, false);
                    if (value.isEmpty()) {
                        continue;
                    }
                    if (field.isEmpty()) {
                        if (!value.equals("null")) {
                            typed(key, value, filterable(elsewhere(countable, key), key, value));
                        }
                        nothing = true;
                        continue;
                    }
                    Field target = field.get();
                    List<Object> values = matches.computeIfAbsent(target, f -> new ArrayList<>());
                    if (value.equals("null")) {
                        nullable.add(target);
                    } else {
                        Object typed = typed(key, value, target);
                        if (!values.contains(typed)) {
                            values.add(typed);
                        }
                    }
                }
            }
        }
        if (matches.size() + conditions.size() > MAX_CONDITIONS) {
            throw ApiException.badRequest("Too many conditions in the query: " + (matches.size() + conditions.size())
                    + " (the limit is " + MAX_CONDITIONS + ")");
        }
        List<Condition> all = new ArrayList<>();
        if (nothing) {
            all.add(new Condition.Nothing());
        }
        matches.forEach((field, values) -> all.add(new Condition.Match(field, values, nullable.contains(field))));
        all.addAll(conditions);
        Field created = collection.field(CREATED_ON).orElseThrow();
        if (timeRange != null) {
            // The original's time_range replaces the day ranges of date_range and created_on.
            OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
            all.add(new Condition.Range(created, Comparison.GTE, now.minusMinutes(timeRange)));
            all.add(new Condition.Range(created, Comparison.LT, now));
        } else if (dateRange != null || createdOn != null) {
            LocalDate last = createdOn != null ? createdOn : LocalDate.now(clock.withZone(ZoneOffset.UTC));
            long days = dateRange == null ? 0 : dateRange;
            if (days < MAX_DATE_RANGE_DAYS) {
                all.add(new Condition.Range(created, Comparison.GTE, midnight(last.minusDays(days))));
            }
            all.add(new Condition.Range(created, Comparison.LT, midnight(last.plusDays(1))));
        }
        return all;
    }

    /** Whether a filter key names a field of the collection, or of any collection a count covers. */
    private static boolean known(Collection collection, String key, List<Collection> countable) {
        if (collection.field(key).isPresent()) {
            return true;
        }
        return countable != null && countable.stream().anyMatch(c -> c.field(key).isPresent());
    }

    /** Sorts ignored names ({@code key} or {@code key=name}) by where the query first gave them. */
    static void inRequestOrder(QueryParams params, List<String> ignored) {
        ignored.sort(Comparator.comparingInt(name -> position(params, name)));
    }

    private static int position(QueryParams params, String name) {
        int equals = name.indexOf('=');
        for (int i = 0; i < params.pairs().size(); i++) {
            Pair pair = params.pairs().get(i);
            boolean same = equals < 0 ? pair.key().equals(name)
                    : pair.key().equals(name.substring(0, equals)) && pair.value().equals(name.substring(equals + 1));
            if (same) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** A key the query does not use: ignored and named, or in strict mode a 400. */
    void ignoreKey(Pair pair, List<String> ignored) {
        if (strict) {
            throw ApiException.unknownKey(pair.key(), pair.value());
        }
        // An empty key has no name to give.
        if (!pair.key().isEmpty() && !ignored.contains(pair.key())) {
            ignored.add(pair.key());
        }
    }

    /** A field name the collection does not have: ignored and named, or in strict mode a 400. */
    void ignoreField(String key, String name, List<String> ignored) {
        if (strict) {
            throw ApiException.unknownField(key, name);
        }
        String entry = key + "=" + name;
        if (!ignored.contains(entry)) {
            ignored.add(entry);
        }
    }

    private static Optional<Field> filterField(Collection collection, String key, String value, String name,
                                               List<Collection> countable, boolean inValue) {
        Optional<Field> field = collection.field(name);
        if (field.isEmpty()) {
            boolean elsewhere = countable != null
                    && countable.stream().anyMatch(c -> c.field(name).isPresent());
            if (elsewhere) {
                return Optional.empty();
            }
            throw inValue ? ApiException.unknownField(key, name) : ApiException.unknownKey(key, value);
        }
        return Optional.of(filterable(field.get(), key, value));
    }

    private static Field filterable(Field field, String key, String value) {
        if (!field.type().isScalar()) {
            throw ApiException.badRequest("Field '" + field.name() + "' in '" + key + "=" + value
                    + "' cannot be filtered: it is free-form JSON");
        }
        return field;
    }

    /** The field of that name in another counted collection: values are checked against it. */
    private static Field elsewhere(List<Collection> countable, String name) {
        return countable.stream().flatMap(c -> c.field(name).stream()).findFirst().orElseThrow();
    }

    private static Comparison comparison(String key) {
        for (Comparison comparison : Comparison.values()) {
            if (comparison.key().equals(key)) {
                return comparison;
            }
        }
        return null;
    }

    private static Object typed(String key, String value, Field field) {
        try {
            return field.type().parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue(key, value, field.type().expected() + " for field '" + field.name() + "'");
        }
    }

    /** The field a name in {@code field}, {@code nfield}, ... stands for; empty when it is ignored. */
    private Optional<Field> namedField(Collection collection, String key, String name, List<String> ignored) {
        Optional<Field> field = collection.field(name);
        if (field.isEmpty()) {
            ignoreField(key, name, ignored);
        }
        return field;
    }

    private Optional<Field> scalarField(Collection collection, String key, String name, List<String> ignored) {
        Optional<Field> field = namedField(collection, key, name, ignored);
        if (field.isPresent() && !field.get().type().isScalar()) {
            throw ApiException.badRequest("Field '" + name + "' in '" + key + "' cannot be sorted or grouped: it is free-form JSON");
        }
        return field;
    }

    private static boolean descending(String sortOrder) {
        return switch (sortOrder.strip()) {
            case "1" -> false;
            case "-1" -> true;
            default -> throw ApiException.invalidValue(SORT_ORDER, sortOrder, "1 or -1");
        };
    }

    private static long nonNegative(String key, String value) {
        long number;
        try {
            number = FieldType.parseWhole(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue(key, value, "an integer >= 0");
        }
        if (number < 0) {
            throw ApiException.invalidValue(key, value, "an integer >= 0");
        }
        return number;
    }

    /** {@code time_range}: whole minutes, their absolute value clamped to the original's bounds. */
    private static long minutes(String value) {
        long minutes;
        try {
            minutes = Math.abs(FieldType.parseWhole(value));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue(TIME_RANGE, value, "an integer number of minutes");
        }
        return Math.max(MIN_TIME_RANGE, Math.min(MAX_TIME_RANGE, minutes));
    }

    private static LocalDate day(String value) {
        try {
            return FieldType.parseDay(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue(CREATED_ON, value, "a date as YYYY-MM-DD or YYYYMMDD");
        }
    }

    private static OffsetDateTime midnight(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private int effectiveLimit(long requested) {
        return requested == 0 || requested > maxRows ? maxRows : (int) requested;
    }

    private static List<Field> projection(Collection collection, Set<Field> included, Set<Field> excluded) {
        List<Field> fields = new ArrayList<>();
        for (Field field : collection.fields()) {
            boolean wanted = included.isEmpty() || included.contains(field) || field == collection.idField();
            if (wanted && !excluded.contains(field)) {
                fields.add(field);
            }
        }
        return fields;
    }

    private static List<Field> distinct(List<Field> fields) {
        return List.copyOf(new LinkedHashSet<>(fields));
    }
}

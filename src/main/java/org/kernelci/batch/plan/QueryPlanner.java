package org.kernelci.batch.plan;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryParams.Pair;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * Plans reads from query parameters (CONTRACT.md section 2). Control keys are fixed; every other
 * key must name a scalar field of the collection. A pair with an empty value is ignored, as the
 * original did. Single-valued control keys repeated in one query take their last value.
 */
public final class QueryPlanner {
    /** {@code date_range} beyond this many days reaches back to the beginning of time. */
    static final long MAX_DATE_RANGE_DAYS = 1_000_000;
    /** Distinct filter fields plus ranges one query may have; each is a bind value. */
    static final int MAX_CONDITIONS = 1000;

    private static final String FIELD = "field";
    private static final String NFIELD = "nfield";
    private static final String SORT = "sort";
    private static final String SORT_ORDER = "sort_order";
    private static final String LIMIT = "limit";
    private static final String SKIP = "skip";
    private static final String DATE_RANGE = "date_range";
    private static final String CREATED_ON = "created_on";
    private static final String AGGREGATE = "aggregate";
    private static final Set<String> PAGING_KEYS =
            Set.of(FIELD, NFIELD, SORT, SORT_ORDER, LIMIT, SKIP, AGGREGATE);

    private final Clock clock;
    private final int maxRows;

    /**
     * @param clock   gives "today" (UTC) for {@code date_range}
     * @param maxRows the most documents one query returns
     */
    public QueryPlanner(Clock clock, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1");
        }
        this.clock = clock;
        this.maxRows = maxRows;
    }

    public int maxRows() {
        return maxRows;
    }

    /** A list query: {@code GET /<collection>?<query>}. */
    public QueryPlan plan(Collection collection, QueryParams params) {
        List<Condition> conditions = conditions(collection, params, null);
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
                case FIELD -> included.add(namedField(collection, FIELD, value));
                case NFIELD -> excluded.add(namedField(collection, NFIELD, value));
                case SORT -> sort.add(scalarField(collection, SORT, value));
                case AGGREGATE -> aggregate.add(scalarField(collection, AGGREGATE, value));
                case SORT_ORDER -> descending = descending(value);
                case LIMIT -> limit = nonNegative(LIMIT, value);
                case SKIP -> skip = nonNegative(SKIP, value);
                default -> {
                    // filters and dates were planned above
                }
            }
        }
        return new QueryPlan(collection, conditions, projection(collection, included, excluded),
                distinct(sort), descending, distinct(aggregate), effectiveLimit(limit), skip);
    }

    /** A document by id: {@code GET /<collection>/<id>}; only {@code field}/{@code nfield} apply. */
    public QueryPlan planById(Collection collection, String id, QueryParams params) {
        Object typedId;
        try {
            typedId = FieldType.ID.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong ID value provided");
        }
        Set<Field> included = new LinkedHashSet<>();
        Set<Field> excluded = new LinkedHashSet<>();
        for (Pair pair : params.pairs()) {
            switch (pair.key()) {
                case FIELD -> included.add(namedField(collection, FIELD, pair.value()));
                case NFIELD -> excluded.add(namedField(collection, NFIELD, pair.value()));
                default -> throw ApiException.unknownKey(pair.key(), pair.value());
            }
        }
        Condition byId = new Condition.Match(collection.idField(), List.of(typedId), false);
        return new QueryPlan(collection, List.of(byId), projection(collection, included, excluded),
                List.of(), false, List.of(), 1, 0);
    }

    /**
     * Counts: {@code GET /count} ({@code requested} empty: the default collections) or
     * {@code GET /count/<name>}. A filter on a field that some counted collection lacks makes that
     * collection count 0; a key no collection has is a 400. Paging and projection keys are
     * accepted and have no effect on a count.
     */
    public CountPlan planCount(Optional<String> requested, QueryParams params) {
        checkIgnored(params);
        List<CountPlan.Target> targets = new ArrayList<>();
        if (requested.isEmpty()) {
            for (Collection collection : Collections.COUNTED_BY_DEFAULT) {
                targets.add(countTarget(collection.name(), collection, params));
            }
        } else {
            String name = requested.get();
            Collection collection = Collections.byName(name)
                    .orElseThrow(() -> ApiException.unknownCollection(name));
            targets.add(countTarget(name, collection, params));
        }
        return new CountPlan(targets);
    }

    /**
     * Checks the paging and projection keys a count ignores, as a list would: a malformed value
     * or a field no counted collection has is a 400 all the same.
     */
    private static void checkIgnored(QueryParams params) {
        for (Pair pair : params.pairs()) {
            String value = pair.value();
            if (value.isEmpty() || !PAGING_KEYS.contains(pair.key())) {
                continue;
            }
            switch (pair.key()) {
                case LIMIT, SKIP -> nonNegative(pair.key(), value);
                case SORT_ORDER -> descending(value);
                default -> {
                    if (Collections.ALL.stream().noneMatch(c -> c.field(value).isPresent())) {
                        throw ApiException.unknownField(pair.key(), value);
                    }
                }
            }
        }
    }

    private CountPlan.Target countTarget(String name, Collection collection, QueryParams params) {
        List<Collection> known = new ArrayList<>(Collections.COUNTED_BY_DEFAULT);
        if (!known.contains(collection)) {
            known.add(collection);
        }
        return new CountPlan.Target(name, collection, conditions(collection, params, known));
    }

    /**
     * The filter and date conditions. With {@code countable} set, a field of another of those
     * collections yields {@link Condition.Nothing} instead of a 400.
     */
    private List<Condition> conditions(Collection collection, QueryParams params, List<Collection> countable) {
        Map<Field, List<Object>> matches = new LinkedHashMap<>();
        Set<Field> nullable = new LinkedHashSet<>();
        List<Condition> conditions = new ArrayList<>();
        boolean nothing = false;
        Long dateRange = null;
        LocalDate createdOn = null;
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
                default -> {
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
        if (dateRange != null || createdOn != null) {
            LocalDate last = createdOn != null ? createdOn : LocalDate.now(clock.withZone(ZoneOffset.UTC));
            long days = dateRange == null ? 0 : dateRange;
            Field created = collection.field(CREATED_ON).orElseThrow();
            if (days < MAX_DATE_RANGE_DAYS) {
                all.add(new Condition.Range(created, Comparison.GTE, midnight(last.minusDays(days))));
            }
            all.add(new Condition.Range(created, Comparison.LT, midnight(last.plusDays(1))));
        }
        return all;
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

    private static Field namedField(Collection collection, String key, String name) {
        return collection.field(name).orElseThrow(() -> ApiException.unknownField(key, name));
    }

    private static Field scalarField(Collection collection, String key, String name) {
        Field field = namedField(collection, key, name);
        if (!field.type().isScalar()) {
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

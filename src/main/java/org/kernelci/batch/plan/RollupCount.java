package org.kernelci.batch.plan;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.Rollup;

/**
 * A count that the per-day rollups answer exactly: the sum, over whole UTC days, of one
 * grouping's rows whose values match. It exists when every condition of the count is an equality
 * (or IS NULL) or a range ({@code gte=errors,1}) on a field some grouping counts by, or a bound
 * of {@code created_on} at a UTC midnight ({@code date_range}, {@code created_on}, or
 * {@code gte}/{@code lt} on a day); the grouping with the fewest fields that covers the
 * equalities and ranges is read. A rollup row holds one value of each of its fields, so it
 * matches a condition exactly when its documents do. Anything else (another filter, a range
 * within a day, {@code time_range}) is counted from the documents.
 *
 * @param grouped the equalities and ranges on the grouping's fields, in the plan's order
 * @param from    the first day counted, or null for no lower bound
 * @param until   the first day not counted, or null for no upper bound
 */
public record RollupCount(Collection collection, Rollup rollup, List<Condition> grouped, LocalDate from,
                          LocalDate until) {
    private static final String CREATED_ON = "created_on";

    public RollupCount {
        grouped = List.copyOf(grouped);
    }

    /** The rollup count equal to {@code count(*)} of the documents the conditions select, if there is one. */
    public static Optional<RollupCount> of(Collection collection, List<Condition> conditions) {
        if (collection.rollups().isEmpty()) {
            return Optional.empty();
        }
        Field created = collection.field(CREATED_ON).orElseThrow();
        List<Condition> grouped = new ArrayList<>();
        List<Field> needed = new ArrayList<>();
        LocalDate from = null;
        LocalDate until = null;
        for (Condition condition : conditions) {
            Field field = condition instanceof Condition.Match match ? match.field()
                    : condition instanceof Condition.Range range ? range.field() : null;
            if (field != null && collection.rollupDimensions().contains(field)) {
                grouped.add(condition);
                needed.add(field);
            } else if (condition instanceof Condition.Range range && range.field().equals(created)
                    && midnight(range.value()) != null) {
                LocalDate day = midnight(range.value());
                switch (range.comparison()) {
                    case GTE -> from = from == null || day.isAfter(from) ? day : from;
                    case LT -> until = until == null || day.isBefore(until) ? day : until;
                    case GT, LTE -> {
                        return Optional.empty();
                    }
                }
            } else {
                return Optional.empty();
            }
        }
        LocalDate first = from;
        LocalDate last = until;
        return collection.rollups().stream()
                .filter(rollup -> rollup.fields().containsAll(needed))
                .min(Comparator.comparingInt(rollup -> rollup.fields().size()))
                .map(rollup -> new RollupCount(collection, rollup, grouped, first, last));
    }

    /** The UTC day a bound starts, when it is that day's midnight; else null. */
    private static LocalDate midnight(Object value) {
        if (!(value instanceof OffsetDateTime time)) {
            return null;
        }
        OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
        return utc.toLocalTime().equals(LocalTime.MIDNIGHT) ? utc.toLocalDate() : null;
    }
}

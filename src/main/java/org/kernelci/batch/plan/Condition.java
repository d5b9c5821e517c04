package org.kernelci.batch.plan;

import java.util.List;
import org.kernelci.batch.schema.Field;

/** One predicate of a plan; a plan's conditions all hold at once (AND). */
public sealed interface Condition {

    /**
     * The field equals one of the values, or is null when {@code orNull}: repeated filter keys.
     * At least one of {@code values} or {@code orNull} is given.
     */
    record Match(Field field, List<Object> values, boolean orNull) implements Condition {
        public Match {
            values = List.copyOf(values);
        }
    }

    /** The field compares with the value: {@code gte}, {@code gt}, {@code lte}, {@code lt}, dates. */
    record Range(Field field, Comparison comparison, Object value) implements Condition {
    }

    /** Matches no document: a count filter on a field this collection does not have. */
    record Nothing() implements Condition {
    }
}

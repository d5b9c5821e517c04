package org.kernelci.batch.plan;

import java.util.List;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/**
 * The distinct values of one scalar field among the documents that match conditions, sorted,
 * null left out (the original's later {@code distinct}).
 *
 * @param collection the collection read
 * @param field      the field whose values are wanted
 * @param conditions predicates that all hold
 * @param limit      the most values returned (the count is of all of them)
 */
public record DistinctPlan(Collection collection, Field field, List<Condition> conditions, int limit) {
    public DistinctPlan {
        conditions = List.copyOf(conditions);
    }
}

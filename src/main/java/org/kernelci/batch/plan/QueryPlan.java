package org.kernelci.batch.plan;

import java.util.List;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/**
 * A typed read of one collection.
 *
 * @param collection the collection read
 * @param conditions predicates that all hold
 * @param projection the fields returned, in wire order
 * @param sort       fields to order by, before the {@code _id} tie-breaker
 * @param descending the direction of every sort field and of the tie-breaker
 * @param aggregate  fields whose distinct values each yield one document; empty for none
 * @param limit      the effective maximum number of documents, at least 1
 * @param skip       documents to skip
 * @param wholeGroups whether each group's document is also its {@code result} member: an
 *                   {@code aggregate} without {@code field}, as the original answered it
 *                   ({@code {"_id": <group>, "result": <document>}}) and kernelci-frontend's
 *                   2020.05 test plans page reads it
 */
public record QueryPlan(
        Collection collection,
        List<Condition> conditions,
        List<Field> projection,
        List<Field> sort,
        boolean descending,
        List<Field> aggregate,
        int limit,
        long skip,
        boolean wholeGroups) {

    /** A plan whose documents are written as they are. */
    public QueryPlan(Collection collection, List<Condition> conditions, List<Field> projection, List<Field> sort,
                     boolean descending, List<Field> aggregate, int limit, long skip) {
        this(collection, conditions, projection, sort, descending, aggregate, limit, skip, false);
    }

    public QueryPlan {
        conditions = List.copyOf(conditions);
        projection = List.copyOf(projection);
        sort = List.copyOf(sort);
        aggregate = List.copyOf(aggregate);
    }
}

package org.kernelci.batch.plan;

import java.util.List;
import org.kernelci.batch.schema.Collection;

/** Counts of documents matching conditions, one per collection, in answer order. */
public record CountPlan(List<Target> targets) {
    public CountPlan {
        targets = List.copyOf(targets);
    }

    /**
     * One collection to count.
     *
     * @param name       the name to answer with, as the request spelled it
     * @param collection the collection counted
     * @param conditions the predicates, as for a list query
     */
    public record Target(String name, Collection collection, List<Condition> conditions) {
        public Target {
            conditions = List.copyOf(conditions);
        }
    }
}

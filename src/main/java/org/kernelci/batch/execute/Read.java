package org.kernelci.batch.execute;

import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlan;

/** One read operation, the unit a plain GET performs and a batch carries many of. */
public sealed interface Read {
    /** Documents matching a query, with the total count: {@code GET /<collection>?<query>}. */
    record List(QueryPlan plan) implements Read {
    }

    /** One document by id: {@code GET /<collection>/<id>}. */
    record ById(QueryPlan plan) implements Read {
    }

    /** Counts per collection: {@code GET /count[/<collection>]}. */
    record Count(CountPlan plan) implements Read {
    }
}

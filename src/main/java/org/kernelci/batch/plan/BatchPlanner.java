package org.kernelci.batch.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * Plans each batch operation as the plain GET it stands for (CONTRACT.md section 4). A problem
 * with one operation rejects that operation only.
 */
public final class BatchPlanner {
    public static final String COUNT = "count";

    private final QueryPlanner planner;

    public BatchPlanner(QueryPlanner planner) {
        this.planner = planner;
    }

    public List<BatchStep> plan(List<BatchOperation> operations) {
        List<BatchStep> steps = new ArrayList<>(operations.size());
        for (BatchOperation operation : operations) {
            try {
                steps.add(new BatchStep.Planned(operation, read(operation)));
            } catch (ApiException e) {
                steps.add(new BatchStep.Rejected(operation, e));
            }
        }
        return steps;
    }

    private Read read(BatchOperation operation) {
        if (operation.method() == null) {
            throw ApiException.badRequest("Missing 'method'");
        }
        if (!operation.method().toUpperCase(Locale.ROOT).equals("GET")) {
            throw new ApiException(501, "Method not implemented");
        }
        String name = operation.collection();
        if (name == null) {
            throw ApiException.badRequest("Missing 'collection' (or 'resource')");
        }
        QueryParams params = QueryStringParser.parse(operation.query());
        if (name.equals(COUNT)) {
            return new Read.Count(planner.planCount(Optional.ofNullable(operation.document()), params));
        }
        Collection collection = Collections.byName(name)
                .orElseThrow(() -> ApiException.unknownCollection(name));
        if (operation.document() != null) {
            return new Read.ById(planner.planById(collection, operation.document(), params), operation.document());
        }
        return new Read.Listing(planner.plan(collection, params));
    }
}

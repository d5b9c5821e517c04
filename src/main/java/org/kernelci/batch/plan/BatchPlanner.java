package org.kernelci.batch.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * Plans each batch operation as the plain request it stands for (CONTRACT.md sections 4 and 7):
 * a GET as its read, a POST, PUT or DELETE as its write, whatever the dialect (one that runs no
 * writes refused them when it read them: {@link BatchOperation#refusal}). A problem with one
 * operation rejects that operation only.
 */
public final class BatchPlanner {
    public static final String COUNT = "count";
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "DELETE");

    private final QueryPlanner planner;

    private final WritePlanner writes;

    public BatchPlanner(QueryPlanner planner, WritePlanner writes) {
        this.planner = planner;
        this.writes = writes;
    }

    /**
     * The steps of a batch, and until when planning the same operations again gives the same
     * steps: for a batch that writes, that reads up to the instant ({@code time_range}) or that has
     * a rejected operation, only now.
     */
    public record Plans(List<BatchStep> steps, Instant until) {
        public Plans {
            steps = List.copyOf(steps);
        }
    }

    public Plans plans(List<BatchOperation> operations) {
        Instant now = planner.now();
        Instant until = null;
        List<BatchStep> steps = new ArrayList<>(operations.size());
        for (BatchOperation operation : operations) {
            Instant holds = now;
            try {
                if (operation.refusal() != null) {
                    steps.add(new BatchStep.Rejected(operation, operation.refusal()));
                } else if (isWrite(operation)) {
                    steps.add(new BatchStep.Writing(operation, write(operation)));
                } else {
                    QueryParams params = query(operation);
                    steps.add(new BatchStep.Planned(operation, read(operation, params)));
                    holds = QueryPlanner.plannedUntil(params, now);
                }
            } catch (ApiException e) {
                steps.add(new BatchStep.Rejected(operation, e));
            }
            until = until == null || holds.isBefore(until) ? holds : until;
        }
        return new Plans(steps, until == null ? now : until);
    }

    public List<BatchStep> plan(List<BatchOperation> operations) {
        return plans(operations).steps();
    }

    private static boolean isWrite(BatchOperation operation) {
        return operation.method() != null
                && WRITE_METHODS.contains(operation.method().toUpperCase(Locale.ROOT));
    }

    /** A write as its plain request: POST /<collection>, PUT or DELETE /<collection>/<id>. */
    private Write write(BatchOperation operation) {
        String method = operation.method().toUpperCase(Locale.ROOT);
        String name = operation.collection();
        if (name == null) {
            throw ApiException.badRequest("Missing 'collection' (or 'resource')");
        }
        if (name.equals(COUNT)) {
            throw new ApiException(405, "Operation not allowed");
        }
        Collection collection = Collections.byName(name)
                .orElseThrow(() -> ApiException.unknownCollection(name));
        if (method.equals("POST")) {
            if (operation.document() != null) {
                throw ApiException.badRequest("A POST takes no document id: the server sets it");
            }
            return writes.create(collection, required(operation.data(), "the document to store"));
        }
        String id = required(operation.document(), "the id of the document");
        return method.equals("PUT")
                ? writes.update(collection, id, required(operation.data(), "the members to set"))
                : writes.delete(collection, id);
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw ApiException.badRequest("Missing " + what);
        }
        return value;
    }

    /** A read's query string, once its method and collection are known to be there. */
    private static QueryParams query(BatchOperation operation) {
        if (operation.method() == null) {
            throw ApiException.badRequest("Missing 'method'");
        }
        if (!operation.method().toUpperCase(Locale.ROOT).equals("GET")) {
            throw new ApiException(501, "Method not implemented");
        }
        if (operation.collection() == null) {
            throw ApiException.badRequest("Missing 'collection' (or 'resource')");
        }
        return QueryStringParser.parse(operation.query());
    }

    private Read read(BatchOperation operation, QueryParams params) {
        String name = operation.collection();
        if (operation.distinct() != null) {
            return distinct(operation, name, params);
        }
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

    /**
     * {@code distinct}: the field's distinct values in the collection, or with {@code count} and a
     * document naming a collection, how many there are there.
     */
    private Read distinct(BatchOperation operation, String name, QueryParams params) {
        List<String> ignored = new ArrayList<>();
        if (name.equals(COUNT)) {
            if (operation.document() == null) {
                throw ApiException.badRequest("'distinct' on 'count' needs the collection to count in 'document_id' (or 'document')");
            }
            Collection counted = QueryPlanner.counted(operation.document());
            return new Read.CountDistinct(planner.planDistinct(counted, operation.distinct(), params, ignored),
                    operation.document(), operation.distinct());
        }
        if (operation.document() != null) {
            throw ApiException.badRequest("'distinct' takes a 'document_id' (or 'document') only on the 'count' collection");
        }
        Collection collection = Collections.byName(name).orElseThrow(() -> ApiException.unknownCollection(name));
        return new Read.Distinct(planner.planDistinct(collection, operation.distinct(), params, ignored));
    }
}

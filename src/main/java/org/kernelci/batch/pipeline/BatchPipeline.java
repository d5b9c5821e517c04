package org.kernelci.batch.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Authorisation;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchExecutor;
import org.kernelci.batch.execute.BatchResult;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.execute.IdempotentWrite;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.metrics.ServiceMetrics;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.parse.JsonBody;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.render.ListShape;

/**
 * A JSON batch (kernelci's or Appery's dialect) from its body to its answer: parse, plan,
 * authorise, execute, each stage timed ({@link StageTimes}); the answer is rendered in the
 * dialect when the HTTP edge writes it ({@link BatchAnswer.Written#write}). Checks in the
 * contract's order: the body's JSON and structure, {@code atomic}, the number of operations, the
 * body's size. A batch of reads is answered conditionally ({@link ConditionalReads}) and kept
 * planned for its next request ({@link RecentBatches}); a batch that writes keeps its answer with
 * its Idempotency-Key, in its own transaction.
 */
public final class BatchPipeline {
    /** How many entries of an answer failed; kept with an idempotent answer, set by the HTTP edge on the others. */
    public static final String ERRORS_HEADER = "X-Batch-Errors";
    /** The content type of a kept answer, as the answers of the JSON dialects declare it (Jersey's spelling). */
    private static final String KEPT_CONTENT_TYPE = "application/json;charset=UTF-8";
    private static final String ATOMIC = "atomic";

    private final BatchPlanner planner;
    private final BatchExecutor executor;
    private final RecentBatches recent;
    private final ConditionalReads conditional;
    private final IdempotencyKeys keys;
    private final ServiceMetrics metrics;
    private final Dialect kernelci;
    private final Dialect appery = new ApperyDialect();
    private final int maxOperations;
    private final int maxBodyBytes;

    public BatchPipeline(BatchPlanner planner, BatchExecutor executor, RecentBatches recent, ConditionalReads conditional,
                         IdempotencyKeys keys, ServiceMetrics metrics, ListShape lists, int maxOperations, int maxBodyBytes) {
        this.planner = planner;
        this.executor = executor;
        this.recent = recent;
        this.conditional = conditional;
        this.keys = keys;
        this.metrics = metrics;
        this.kernelci = new KernelciDialect(lists);
        this.maxOperations = maxOperations;
        this.maxBodyBytes = maxBodyBytes;
    }

    public BatchAnswer run(BatchRequest request, StageTimes times) {
        Token token = request.token();
        RecentBatches.Planned planned = recent.get(request.identity(), request.body(), token);
        boolean atomic;
        long parsed;
        long plannedAt;
        long authorised;
        if (planned == null) {
            byte[] body = request.body();
            // A JSON array is Appery's batch (CONTRACT.md section 7), anything else kernelci's (section 4).
            Dialect dialect = JsonBody.isArray(body) ? appery : kernelci;
            List<BatchOperation> operations = dialect.operations(body);
            atomic = atomic(request.query());
            if (operations.size() > maxOperations) {
                throw ApiException.badRequest("Too many operations in the batch: " + operations.size()
                        + " (the limit is " + maxOperations + ")");
            }
            if (body.length > maxBodyBytes) {
                throw ApiException.tooLarge(maxBodyBytes);
            }
            parsed = System.nanoTime();
            BatchPlanner.Plans plans = planner.plans(operations);
            plannedAt = System.nanoTime();
            plans = authorise(token, plans);
            List<Read> allowed = plans.steps().stream().anyMatch(BatchStep.Writing.class::isInstance) ? null
                    : Authorisation.allowedReads(token, plans.steps());
            authorised = System.nanoTime();
            planned = recent.keep(request.identity(), body, token, dialect, operations, plans, allowed);
        } else {
            atomic = atomic(request.query());
            parsed = System.nanoTime();
            // Kept planned and authorised for this caller's permissions.
            plannedAt = parsed;
            authorised = parsed;
        }
        // The request took one operation of the caller's rate; its other operations count too.
        request.charge().accept(planned.operations().size());
        metrics.batch(planned.operations().size());
        times.end(Stage.PARSE, parsed);
        times.end(Stage.PLAN, plannedAt);
        times.end(Stage.AUTHORISE, authorised);
        // A batch of reads only is answered conditionally (CONTRACT.md section 9).
        List<Read> allowed = planned.allowed();
        if (allowed != null) {
            Optional<String> current = conditional.notModified(request.ifNoneMatch(), planned.asked(), allowed);
            if (current.isPresent()) {
                return new BatchAnswer.NotModified(current.get(), () -> { });
            }
        }
        return execute(request, planned, atomic, times);
    }

    private BatchAnswer execute(BatchRequest request, RecentBatches.Planned planned, boolean atomic, StageTimes times) {
        // A batch of reads only ignores a key: it changes nothing, so a repeat may run again.
        boolean writes = planned.steps().stream().anyMatch(BatchStep.Writing.class::isInstance);
        Optional<IdempotencyKeys.Key> key = writes ? request.key() : Optional.empty();
        Optional<IdempotencyKeys.Answer> replay = key.flatMap(keys::kept);
        if (replay.isPresent()) {
            return new BatchAnswer.Replayed(replay.get());
        }
        long start = System.nanoTime();
        Optional<KeptAnswer> keeping = key.map(present -> new KeptAnswer(present, planned));
        BatchResult result = executor.execute(request.token().id(), request.departure(), planned.steps(), atomic,
                keeping.<IdempotentWrite>map(kept -> kept).orElse(IdempotentWrite.NONE));
        try {
            metrics.databaseReads(System.nanoTime() - start);
            times.end(Stage.EXECUTE);
            Optional<IdempotencyKeys.Answer> kept = keeping.flatMap(KeptAnswer::answer);
            if (kept.isPresent()) {
                return new BatchAnswer.Kept(kept.get(), result);
            }
            List<Outcome> outcomes = StreamedRows.counted(metrics, result.outcomes());
            Optional<String> tag = planned.allowed() == null ? Optional.empty()
                    : ConditionalReads.tag(planned.asked(), result.changes(), result.outcomes());
            if (tag.isPresent() && ConditionalReads.notModified(request.ifNoneMatch(), tag.get())) {
                return new BatchAnswer.NotModified(tag.get(), result);
            }
            return new BatchAnswer.Written(planned.dialect(), planned.operations(), outcomes, result.failures(), tag, result);
        } catch (RuntimeException e) {
            closeQuietly(result, e);
            throw e;
        }
    }

    /**
     * Authorisation, one stage for every dialect ({@link Authorisation}): a step the caller may not
     * perform answers its 403 entry. A batch of reads only is kept so, by the caller's permissions.
     */
    private static BatchPlanner.Plans authorise(Token token, BatchPlanner.Plans plans) {
        return new BatchPlanner.Plans(Authorisation.authorise(token, plans.steps()), plans.until());
    }

    /** {@code atomic=true} or {@code false} (the default); another value is a 400. */
    public static boolean atomic(QueryParams params) {
        boolean atomic = false;
        for (QueryParams.Pair pair : params.pairs()) {
            if (pair.key().equals(ATOMIC)) {
                atomic = switch (pair.value()) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw ApiException.invalidValue(ATOMIC, pair.value(), "true or false");
                };
            }
        }
        return atomic;
    }

    private static void closeQuietly(BatchResult result, RuntimeException cause) {
        try {
            result.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** The answer a batch's outcomes make, rendered whole, as it is kept with its key. */
    private IdempotencyKeys.Answer rendered(RecentBatches.Planned planned, List<Outcome> outcomes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            planned.dialect().write(body, planned.operations(), StreamedRows.counted(metrics, outcomes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> headers = new ArrayList<>(List.of("Content-Type: " + KEPT_CONTENT_TYPE));
        int failures = (int) outcomes.stream().filter(BatchResult::failed).count();
        if (failures > 0) {
            headers.add(ERRORS_HEADER + ": " + failures);
        }
        return new IdempotencyKeys.Answer(200, headers, body.toByteArray());
    }

    /** What a batch's transaction does for its Idempotency-Key: claims it first, keeps the answer last. */
    private final class KeptAnswer implements IdempotentWrite {
        private final IdempotencyKeys.Key key;
        private final RecentBatches.Planned planned;
        private IdempotencyKeys.Answer answer;

        KeptAnswer(IdempotencyKeys.Key key, RecentBatches.Planned planned) {
            this.key = key;
            this.planned = planned;
        }

        @Override
        public void claim(Handle handle) {
            answer = null; // a batch run again after a conflict keeps the answer of its last run
            keys.claim(handle, key);
        }

        @Override
        public void keep(Handle handle, List<Outcome> outcomes) {
            IdempotencyKeys.Answer rendered = rendered(planned, outcomes);
            keys.keep(handle, key, rendered);
            answer = rendered;
        }

        /** The answer kept, once the write committed; empty when nothing was kept (it failed as a whole). */
        Optional<IdempotencyKeys.Answer> answer() {
            return Optional.ofNullable(answer);
        }
    }
}

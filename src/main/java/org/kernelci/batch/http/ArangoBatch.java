package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Authorisation;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchExecutor;
import org.kernelci.batch.execute.BatchResult;
import org.kernelci.batch.execute.Departure;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.execute.IdempotentWrite;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.ArangoEnvelope;
import org.kernelci.batch.parse.ArangoRequests;
import org.kernelci.batch.pipeline.BatchPipeline;
import org.kernelci.batch.pipeline.Stage;
import org.kernelci.batch.pipeline.StageTimes;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.WritePlanner;
import org.kernelci.batch.render.ArangoParts;
import org.kernelci.batch.schema.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ArangoDB's batch (CONTRACT.md section 8). Each part is read once ({@link ArangoRequests})
 * and routed:
 * <ul>
 * <li>a request of the shared operation model (a collection's listing, a document, a count,
 *     distinct values, a report, a PUT, a DELETE) that its plain resource would get to run
 *     (token allowed, JSON body, nothing conditional) becomes a {@link BatchOperation}: planned,
 *     authorised and run with the others by {@link BatchPlanner}, {@link Authorisation} and
 *     {@link BatchExecutor}, so reads share one snapshot and writes one transaction,
 *     {@code atomic} included;</li>
 * <li>anything else goes through the application itself ({@link InProcessRequests}) and so
 *     answers what it answers alone, refusals of the model's requests included;</li>
 * <li>a batch inside the batch, or a target that is no plain path, is a 400 in its part.</li>
 * </ul>
 * Parts keep their order: model parts run together until a part outside the model writes
 * (or follows a write), which runs in its place.
 */
final class ArangoBatch {
    private static final Logger LOG = LoggerFactory.getLogger(ArangoBatch.class);
    /**
     * What the answers from outside the shared model may hold in one batch, at most: the
     * multipart answer holds them again, so never more than one answer may ({@link WholeAnswers}).
     */
    static final long HELD_BYTES = 32L * 1024 * 1024;
    static final String ERRORS_HEADER = "x-arango-errors";

    private final BatchPlanner planner;
    private final BatchExecutor executor;
    private final Reads reads;
    private final InProcessRequests inProcess;
    private final int maxOperations;
    private final int maxBodyBytes;
    private final long heldBytes;
    private final OperationRates rates;
    private final IdempotentAnswers idempotent;
    /** How a segment's failure is answered in its parts: as the plain requests' would be. */
    private final ErrorMapper errors = new ErrorMapper();

    /** @param answerBytes the most bytes one answer may hold as sent ({@code KCI_BATCH_MAX_BYTES}) */
    ArangoBatch(BatchPlanner planner, BatchExecutor executor, Reads reads, InProcessRequests inProcess, int maxOperations,
                int maxBodyBytes, long answerBytes, IdempotentAnswers idempotent, OperationRates rates) {
        this.idempotent = idempotent;
        this.maxOperations = maxOperations;
        this.rates = rates;
        this.planner = planner;
        this.executor = executor;
        this.reads = reads;
        this.inProcess = inProcess;
        this.maxBodyBytes = maxBodyBytes;
        this.heldBytes = Math.min(HELD_BYTES, answerBytes);
    }

    /** How a segment of the model's parts runs, by where it stands in the batch. */
    private enum SegmentRun {
        /** An atomic batch's model parts: all or nothing; their rows stream while the answer is written. */
        ATOMIC,
        /**
         * Parts before a part outside the model that writes or follows a write: run apart, their
         * answers rendered now and the snapshot closed, so that the part runs after them.
         */
        BEFORE_PART,
        /** The last segment of a batch that is not atomic: run apart; rows stream while the answer is written. */
        LAST
    }

    /** The answer of one part, its body written when the response is (a listing streams from its snapshot). */
    private record Pending(int status, Supplier<ArangoParts.Answer> answer) {
    }

    /**
     * A batch that is not atomic: its parts in order, each as its plain request would run. Model
     * parts run together until a part outside the model writes (or follows a write): what came
     * before is done before that part runs, and what comes after sees it.
     */
    private Response runApart(Token token, HttpServletRequest request, URI baseUri, SecurityContext security,
                              String boundary, List<ArangoEnvelope.Part> parts, CloseableService closer) {
        List<ArangoRequests.Request> routes = new ArrayList<>(parts.size());
        for (ArangoEnvelope.Part part : parts) {
            routes.add(route(part, token));
        }
        InProcessRequests.HeldBytes held = new InProcessRequests.HeldBytes(heldBytes);
        Pending[] answers = new Pending[parts.size()];
        List<Integer> segment = new ArrayList<>();
        boolean segmentWrites = false;
        // Once a part wrote, the batch's answer must say so: a later segment's failure is its parts'.
        boolean wrote = false;
        for (int i = 0; i < parts.size(); i++) {
            ArangoEnvelope.Part part = parts.get(i);
            ArangoRequests.Request route = routes.get(i);
            if (route instanceof ArangoRequests.Refused refused) {
                answers[i] = refusal(part, refused);
            } else if (route instanceof ArangoRequests.Operation modelled) {
                segment.add(i);
                segmentWrites |= !modelled.operation().method().equals("GET");
            } else {
                ArangoRequests.Alone plain = (ArangoRequests.Alone) route;
                if (plain.writes() || segmentWrites) {
                    if (wrote) {
                        runSegmentAfterWrites(SegmentRun.BEFORE_PART, token, parts, routes, segment, answers, closer);
                    } else {
                        runSegment(SegmentRun.BEFORE_PART, token, parts, routes, segment, answers, closer,
                                IdempotentWrite.NONE);
                    }
                    wrote |= segmentWrites;
                    segment.clear();
                    segmentWrites = false;
                }
                answers[i] = fixed(inProcess.send(request, baseUri, security, part, plain.path(), plain.query(),
                        tokenValue(request), held));
                wrote |= plain.writes();
            }
        }
        if (wrote) {
            runSegmentAfterWrites(SegmentRun.LAST, token, parts, routes, segment, answers, closer);
        } else {
            runSegment(SegmentRun.LAST, token, parts, routes, segment, answers, closer, IdempotentWrite.NONE);
        }
        return answer(boundary, answers);
    }

    /**
     * An atomic batch (CONTRACT.md section 7): a part outside the model that writes is refused (a
     * rollback would not undo it); those that read run first, then the model's parts all or nothing.
     *
     * @param key the envelope's Idempotency-Key, of an atomic batch that writes: its answer is kept
     *            with the batch's one transaction
     */
    private Response runAtomic(Token token, HttpServletRequest request, URI baseUri, SecurityContext security,
                               String boundary, List<ArangoEnvelope.Part> parts, CloseableService closer,
                               Optional<IdempotencyKeys.Key> key) {
        List<ArangoRequests.Request> routes = new ArrayList<>(parts.size());
        for (ArangoEnvelope.Part part : parts) {
            ArangoRequests.Request route = route(part, token);
            boolean ownKey = part.header(IdempotentAnswers.KEY_HEADER) != null;
            if (route instanceof ArangoRequests.Alone plain && plain.writes() && ownKey) {
                route = new ArangoRequests.Refused(400, "part[" + part.index() + "]: a part with its own Idempotency-Key"
                        + " runs alone, so it cannot be part of an atomic batch"
                        + " (the envelope's key covers the whole batch)");
            } else if (route instanceof ArangoRequests.Alone plain && plain.writes()) {
                route = new ArangoRequests.Refused(400, "part[" + part.index() + "]: " + part.method() + " "
                        + plain.path() + " is not undone by a rollback, so it cannot be part of an atomic batch");
            }
            routes.add(route);
        }
        InProcessRequests.HeldBytes held = new InProcessRequests.HeldBytes(heldBytes);
        Pending[] answers = new Pending[parts.size()];
        List<Integer> segment = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            ArangoEnvelope.Part part = parts.get(i);
            ArangoRequests.Request route = routes.get(i);
            if (route instanceof ArangoRequests.Refused refused) {
                answers[i] = refusal(part, refused);
            } else if (route instanceof ArangoRequests.Operation) {
                segment.add(i);
            } else {
                ArangoRequests.Alone plain = (ArangoRequests.Alone) route;
                answers[i] = fixed(inProcess.send(request, baseUri, security, part, plain.path(), plain.query(),
                        tokenValue(request), held));
            }
        }
        Optional<IdempotentAnswers.Keeping> keeping = key.map(present -> idempotent.keeping(present,
                outcomes -> answer(boundary, filled(parts, segment, outcomes, answers.clone()))));
        runAllOrNothing(token, parts, routes, segment, answers, closer,
                keeping.isPresent() ? keeping.get() : IdempotentWrite.NONE);
        Optional<Response> kept = keeping.flatMap(IdempotentAnswers.Keeping::answer);
        return kept.isPresent() ? kept.get() : answer(boundary, answers);
    }

    /** The caller's token as sent, for the parts run as requests alone. */
    private static String tokenValue(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) != null
                ? request.getHeader(HttpHeaders.AUTHORIZATION) : request.getHeader(Access.APPERY_TOKEN);
    }

    private static Pending refusal(ArangoEnvelope.Part part, ArangoRequests.Refused refused) {
        return fixed(ArangoParts.Answer.error(part.contentId(), refused.status(), refused.reason()));
    }

    /**
     * ArangoDB's batch, its token and body read by {@link BatchResource}: the checks of the JSON
     * dialects in their order (the envelope's structure, {@code atomic}, the number of parts, the
     * body's size), the envelope's Idempotency-Key, then its parts ({@link #runAtomic}, {@link #runApart}).
     */
    Response post(Token token, HttpServletRequest request, CloseableService closer, UriInfo uri,
                  SecurityContext security, byte[] bytes, StageTimes times) {
        ArangoEnvelope.Envelope envelope = ArangoEnvelope.parse(bytes, boundary(request.getContentType()));
        List<ArangoEnvelope.Part> parts = envelope.parts();
        boolean atomic = BatchPipeline.atomic(CollectionResource.query(request));
        if (parts.size() > maxOperations) {
            throw ApiException.badRequest("Too many parts in the batch: " + parts.size() + " (the limit is "
                    + maxOperations + ")");
        }
        if (bytes.length > maxBodyBytes) {
            throw ApiException.tooLarge(maxBodyBytes);
        }
        // The envelope's key keeps the answer of an atomic batch that writes, which runs in one
        // transaction; a batch that does not is parts run apart: each writing part takes its own key.
        boolean writes = parts.stream().anyMatch(part -> !part.method().equals("GET") && !part.method().equals("HEAD"));
        Optional<IdempotencyKeys.Key> key = writes ? IdempotentAnswers.key(request, token, bytes) : Optional.empty();
        if (key.isPresent() && !atomic) {
            throw ApiException.badRequest("Idempotency-Key: on an ArangoDB batch, the envelope's key needs atomic=true;"
                    + " else send a key with each writing part");
        }
        Optional<Response> replay = key.flatMap(idempotent::replay);
        if (replay.isPresent()) {
            return replay.get();
        }
        rates.chargeBatch(request, parts.size());
        reads.metrics().batch(parts.size());
        times.end(Stage.PARSE);
        long start = System.nanoTime();
        Response response = atomic
                ? runAtomic(token, request, uri.getBaseUri(), security, envelope.boundary(), parts, closer, key)
                : runApart(token, request, uri.getBaseUri(), security, envelope.boundary(), parts, closer);
        reads.metrics().databaseReads(System.nanoTime() - start);
        times.end(Stage.EXECUTE);
        return response;
    }

    /** The {@code boundary} parameter of a multipart Content-Type, or null. */
    private static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            return MediaType.valueOf(contentType).getParameters().get("boundary");
        } catch (IllegalArgumentException e) {
            return null; // MalformedMediaTypes hides such a header; kept for a container without it
        }
    }

    /** The multipart answer of the parts' answers. */
    private static Response answer(String boundary, Pending[] answers) {
        int errors = (int) Arrays.stream(answers).filter(answer -> answer.status() >= 400).count();
        StreamingOutput body = stream -> write(stream, boundary, answers);
        Response.ResponseBuilder response = Response.ok(body).header(HttpHeaders.CONTENT_TYPE, ArangoParts.contentType(boundary));
        if (errors > 0) {
            response.header(ERRORS_HEADER, errors).header(BatchPipeline.ERRORS_HEADER, errors);
        }
        return response.build();
    }

    /**
     * Atomic (CONTRACT.md section 7): parts outside the model are reads, already answered; if one
     * of them failed nothing is written, else the model's operations run all or nothing. Either
     * way, when a part failed every other part is a 424 naming it.
     */
    private void runAllOrNothing(Token token, List<ArangoEnvelope.Part> parts, List<ArangoRequests.Request> routes,
                                 List<Integer> segment, Pending[] answers, CloseableService closer, IdempotentWrite key) {
        int failed = firstFailed(answers);
        if (failed < 0) {
            runSegment(SegmentRun.ATOMIC, token, parts, routes, segment, answers, closer, key);
            failed = firstFailed(answers);
        }
        if (failed < 0) {
            return;
        }
        String reason = "Not applied: operation " + failed + " failed and the batch is atomic";
        for (int i = 0; i < answers.length; i++) {
            boolean ownFailure = answers[i] != null && answers[i].status() >= 400 && answers[i].status() != 424;
            if (!ownFailure) {
                answers[i] = fixed(ArangoParts.Answer.error(parts.get(i).contentId(), 424, reason));
            }
        }
    }

    /**
     * A segment of a batch that is not atomic, after earlier parts wrote: a failure of the whole
     * segment (the database lost, a COMMIT's outcome unknown) is each of its parts' answer, as
     * their plain requests would have had it: the batch's own answer tells what the earlier parts did.
     */
    private void runSegmentAfterWrites(SegmentRun run, Token token, List<ArangoEnvelope.Part> parts,
                                       List<ArangoRequests.Request> routes, List<Integer> segment, Pending[] answers,
                                       CloseableService closer) {
        try {
            runSegment(run, token, parts, routes, segment, answers, closer, IdempotentWrite.NONE);
        } catch (RuntimeException e) {
            Response failure = errors.toResponse(e);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                ((StreamingOutput) failure.getEntity()).write(body);
            } catch (IOException written) {
                throw new UncheckedIOException(written);
            }
            List<ArangoEnvelope.Header> headers = new ArrayList<>(List.of(
                    new ArangoEnvelope.Header(HttpHeaders.CONTENT_TYPE, ArangoParts.JSON_TYPE)));
            if (failure.getHeaderString(HttpHeaders.RETRY_AFTER) != null) {
                headers.add(new ArangoEnvelope.Header(HttpHeaders.RETRY_AFTER, failure.getHeaderString(HttpHeaders.RETRY_AFTER)));
            }
            for (int i : segment) {
                answers[i] = fixed(new ArangoParts.Answer(parts.get(i).contentId(), failure.getStatus(), headers,
                        body.toByteArray()));
            }
        }
    }

    /** The first part answered with a failure of its own (not a 424 of the atomic rollback); -1 if none. */
    private static int firstFailed(Pending[] answers) {
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] != null && answers[i].status() >= 400 && answers[i].status() != 424) {
                return i;
            }
        }
        return -1;
    }

    /** Plans and runs the model's parts of a segment in one {@link BatchExecutor#execute}, as {@code run} says. */
    private void runSegment(SegmentRun run, Token token, List<ArangoEnvelope.Part> parts,
                            List<ArangoRequests.Request> routes, List<Integer> segment, Pending[] answers,
                            CloseableService closer, IdempotentWrite key) {
        if (segment.isEmpty()) {
            return;
        }
        List<BatchOperation> operations = new ArrayList<>(segment.size());
        for (int i : segment) {
            operations.add(((ArangoRequests.Operation) routes.get(i)).operation());
        }
        List<BatchStep> steps = planner.plan(operations);
        BatchResult result = executor.execute(token.id(), Departure.NONE, Authorisation.authorise(token, steps),
                run == SegmentRun.ATOMIC, key);
        boolean eager = run == SegmentRun.BEFORE_PART;
        if (!eager) {
            closer.add(result); // its rows stream while the answer is written
        }
        List<Outcome> outcomes = reads.counted(result.outcomes());
        try {
            for (int k = 0; k < segment.size(); k++) {
                int i = segment.get(k);
                Outcome outcome = outcomes.get(k);
                String contentId = parts.get(i).contentId();
                Supplier<ArangoParts.Answer> answer = () -> answer(contentId, outcome);
                answers[i] = eager ? fixed(answer.get()) : new Pending(ArangoParts.status(outcome), answer);
            }
        } finally {
            if (eager) {
                try {
                    result.close();
                } catch (IOException e) {
                    LOG.debug("Closing a batch segment's snapshot failed", e);
                }
            }
        }
    }

    /** The answers with the segment's, from its outcomes, rendered now (to be kept with an Idempotency-Key). */
    private Pending[] filled(List<ArangoEnvelope.Part> parts, List<Integer> segment, List<Outcome> outcomes,
                             Pending[] answers) {
        List<Outcome> counted = reads.counted(outcomes);
        for (int k = 0; k < segment.size(); k++) {
            int i = segment.get(k);
            answers[i] = fixed(answer(parts.get(i).contentId(), counted.get(k)));
        }
        return answers;
    }

    /** The answer of a part run through the model. */
    private static ArangoParts.Answer answer(String contentId, Outcome outcome) {
        return new ArangoParts.Answer(contentId, ArangoParts.status(outcome),
                List.of(new ArangoEnvelope.Header(HttpHeaders.CONTENT_TYPE, ArangoParts.JSON_TYPE)), ArangoParts.body(outcome));
    }

    private static Pending fixed(ArangoParts.Answer answer) {
        return new Pending(answer.status(), () -> answer);
    }

    /** Writes the parts in order; each part's bytes go once they are in the answer, which holds them now. */
    private static void write(OutputStream stream, String boundary, Pending[] answers) throws IOException {
        OutputStream out = new BufferedOutputStream(stream, 16384);
        for (int i = 0; i < answers.length; i++) {
            ArangoParts.writePart(out, boundary, i == 0, answers[i].answer().get());
            answers[i] = null;
        }
        ArangoParts.writeEnd(out, boundary);
        out.flush();
    }

    /**
     * How a part runs: through the model when its plain resource would run it as the model does
     * (every check the resource makes before that already passed), else as a request alone.
     */
    private ArangoRequests.Request route(ArangoEnvelope.Part part, Token token) {
        ArangoRequests.Request request = ArangoRequests.read(part, maxBodyBytes);
        if (request instanceof ArangoRequests.Operation operation && !modelRuns(operation, token)) {
            return operation.alone(); // its resource answers the refusal
        }
        return request;
    }

    /**
     * Whether the operation's plain resource would get to run it as the model does: the caller may,
     * a report is one its collection takes, a body's Content-Type reads as the container reads one.
     */
    private static boolean modelRuns(ArangoRequests.Operation operation, Token token) {
        List<Collection> collections = operation.collections();
        if (!MalformedMediaTypes.isMediaType(operation.contentType())) {
            return false;
        }
        return switch (operation.operation().method()) {
            case "GET" -> collections.stream().allMatch(token::mayRead);
            case "POST" -> collections.stream().allMatch(collection -> WritePlanner.takesReports(collection)
                    && token.mayReport(collection));
            case "PUT" -> collections.stream().allMatch(token::mayUpdate);
            default -> collections.stream().allMatch(token::mayDelete); // DELETE, the model's last method
        };
    }
}

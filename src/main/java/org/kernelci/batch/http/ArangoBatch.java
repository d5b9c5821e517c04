package org.kernelci.batch.http;

import jakarta.json.JsonValue;
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
import org.glassfish.jersey.server.internal.ContainerUtils;
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
import org.kernelci.batch.pipeline.BatchPipeline;
import org.kernelci.batch.pipeline.EntityTags;
import org.kernelci.batch.pipeline.Stage;
import org.kernelci.batch.pipeline.StageTimes;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.parse.JsonBody;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.plan.WritePlanner;
import org.kernelci.batch.render.ArangoParts;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ArangoDB's batch (CONTRACT.md section 8). Each part is routed once:
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

    /** How a part runs. */
    private sealed interface Route {
        /** Through the shared model. */
        record Modelled(BatchOperation operation) implements Route {
        }

        /** Through the application, as a request alone; {@code writes} unless GET or HEAD. */
        record Plain(String path, String query, boolean writes) implements Route {
        }

        /** Not run: its part answers this. */
        record Refused(int status, String reason) implements Route {
        }
    }

    /** The answer of one part, its body written when the response is (a listing streams from its snapshot). */
    private record Pending(int status, Supplier<ArangoParts.Answer> answer) {
    }

    /**
     * @param key the envelope's Idempotency-Key, of an atomic batch that writes: its answer is kept
     *            with the batch's one transaction
     */
    private Response run(Token token, HttpServletRequest request, URI baseUri, SecurityContext security, String boundary,
                 List<ArangoEnvelope.Part> parts, boolean atomic, CloseableService closer,
                 Optional<IdempotencyKeys.Key> key) {
        String tokenValue = request.getHeader(HttpHeaders.AUTHORIZATION) != null
                ? request.getHeader(HttpHeaders.AUTHORIZATION) : request.getHeader(Access.APPERY_TOKEN);
        List<Route> routes = new ArrayList<>(parts.size());
        for (ArangoEnvelope.Part part : parts) {
            Route route = route(part, token);
            boolean ownKey = part.header(IdempotentAnswers.KEY_HEADER) != null;
            if (atomic && route instanceof Route.Plain plain && plain.writes() && ownKey) {
                route = new Route.Refused(400, "part[" + part.index() + "]: a part with its own Idempotency-Key runs alone,"
                        + " so it cannot be part of an atomic batch (the envelope's key covers the whole batch)");
            } else if (atomic && route instanceof Route.Plain plain && plain.writes()) {
                route = new Route.Refused(400, "part[" + part.index() + "]: " + part.method() + " " + plain.path()
                        + " is not undone by a rollback, so it cannot be part of an atomic batch");
            }
            routes.add(route);
        }
        InProcessRequests.HeldBytes held = new InProcessRequests.HeldBytes(heldBytes);
        Pending[] answers = new Pending[parts.size()];
        List<Integer> segment = new ArrayList<>();
        boolean segmentWrites = false;
        // Once a part wrote, the batch's answer must say so: a later segment's failure is its parts'.
        boolean wrote = false;
        for (int i = 0; i < parts.size(); i++) {
            ArangoEnvelope.Part part = parts.get(i);
            Route route = routes.get(i);
            if (route instanceof Route.Refused refused) {
                answers[i] = fixed(ArangoParts.Answer.error(part.contentId(), refused.status(), refused.reason()));
            } else if (route instanceof Route.Modelled modelled) {
                segment.add(i);
                segmentWrites |= !modelled.operation().method().equals("GET");
            } else {
                Route.Plain plain = (Route.Plain) route;
                if (!atomic && (plain.writes() || segmentWrites)) {
                    // What came before is done before this part runs, and what comes after sees it.
                    runSegmentAfter(wrote, token, parts, routes, segment, answers, closer, true);
                    wrote |= segmentWrites;
                    segment.clear();
                    segmentWrites = false;
                }
                answers[i] = fixed(inProcess.send(request, baseUri, security, part, plain.path(), plain.query(),
                        tokenValue, held));
                wrote |= plain.writes();
            }
        }
        if (atomic) {
            Optional<IdempotentAnswers.Keeping> keeping = key.map(present -> idempotent.keeping(present,
                    outcomes -> answer(boundary, filled(parts, segment, outcomes, answers.clone()))));
            runAtomic(token, parts, routes, segment, answers, closer,
                    keeping.isPresent() ? keeping.get() : IdempotentWrite.NONE);
            Optional<Response> kept = keeping.flatMap(IdempotentAnswers.Keeping::answer);
            if (kept.isPresent()) {
                return kept.get();
            }
        } else {
            runSegmentAfter(wrote, token, parts, routes, segment, answers, closer, false);
        }
        return answer(boundary, answers);
    }

    /**
     * ArangoDB's batch, its token and body read by {@link BatchResource}: the checks of the JSON
     * dialects in their order (the envelope's structure, {@code atomic}, the number of parts, the
     * body's size), the envelope's Idempotency-Key, then its parts ({@link #run}).
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
        Response response = run(token, request, uri.getBaseUri(), security,
                envelope.boundary(), parts, atomic, closer, key);
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
    private void runAtomic(Token token, List<ArangoEnvelope.Part> parts, List<Route> routes, List<Integer> segment,
                           Pending[] answers, CloseableService closer, IdempotentWrite key) {
        int failed = firstFailed(answers);
        if (failed < 0) {
            runSegment(token, parts, routes, segment, true, answers, closer, false, key);
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
     * A segment of a batch that is not atomic. When earlier parts wrote, a failure of the whole
     * segment (the database lost, a COMMIT's outcome unknown) is each of its parts' answer, as
     * their plain requests would have had it: the batch's own answer tells what the earlier parts did.
     */
    private void runSegmentAfter(boolean wrote, Token token, List<ArangoEnvelope.Part> parts, List<Route> routes,
                                 List<Integer> segment, Pending[] answers, CloseableService closer, boolean eager) {
        try {
            runSegment(token, parts, routes, segment, false, answers, closer, eager, IdempotentWrite.NONE);
        } catch (RuntimeException e) {
            if (!wrote) {
                throw e;
            }
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

    /**
     * Plans and runs the model's parts of a segment in one {@link BatchExecutor#execute}; eager:
     * their bodies are rendered now and the snapshot closed (a part outside the model runs next).
     */
    private void runSegment(Token token, List<ArangoEnvelope.Part> parts, List<Route> routes, List<Integer> segment,
                            boolean atomic, Pending[] answers, CloseableService closer, boolean eager,
                            IdempotentWrite key) {
        if (segment.isEmpty()) {
            return;
        }
        List<BatchOperation> operations = new ArrayList<>(segment.size());
        for (int i : segment) {
            operations.add(((Route.Modelled) routes.get(i)).operation());
        }
        List<BatchStep> steps = planner.plan(operations);
        BatchResult result = executor.execute(token.id(), Departure.NONE, Authorisation.authorise(token, steps), atomic,
                key);
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
    private Route route(ArangoEnvelope.Part part, Token token) {
        String where = "part[" + part.index() + "]: ";
        String target = part.target();
        int mark = target.indexOf('?');
        String path = mark < 0 ? target : target.substring(0, mark);
        String query = mark < 0 ? null : target.substring(mark + 1);
        if (!path.startsWith("/")) {
            path = "/" + path; // relative to the service's root, as ArangoDB reads it
        }
        URI uri;
        try {
            uri = URI.create(path + (query == null ? "" : "?" + ContainerUtils.encodeUnsafeCharacters(query)));
        } catch (IllegalArgumentException e) {
            return new Route.Refused(400, where + "the target '" + target + "' is not a path with an optional query");
        }
        if (target.contains("#") || uri.getRawPath() == null) {
            return new Route.Refused(400, where + "the target '" + target + "' is not a path with an optional query");
        }
        String[] split = uri.getPath().split("/", -1);
        List<String> segments = new ArrayList<>(Arrays.asList(split).subList(1, split.length));
        if (segments.size() > 1 && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1); // a trailing '/' is the same route
        }
        if (segments.stream().anyMatch(s -> s.equals(".") || s.equals(".."))
                || segments.subList(0, Math.max(0, segments.size() - 1)).stream().anyMatch(String::isEmpty)) {
            return new Route.Refused(400, where + "the target '" + target + "' is not a plain path ('//', '.' or '..')");
        }
        if (isBatch(segments)) {
            return new Route.Refused(400, where + "a batch cannot hold a batch");
        }
        boolean writes = !(part.method().equals("GET") || part.method().equals("HEAD"));
        Route plain = new Route.Plain(uri.getRawPath(), query, writes);
        if (writes && part.header(IdempotentAnswers.KEY_HEADER) != null) {
            return plain; // its own key: it runs as its plain request, which keeps its answer with its key
        }
        boolean simple = uri.getRawPath().matches("[A-Za-z0-9._~/-]*")
                && part.header(EntityTags.IF_NONE_MATCH) == null
                && part.header("Content-Encoding") == null
                && (part.header(HttpHeaders.ACCEPT) == null || part.header(HttpHeaders.ACCEPT).equals("*/*")
                    || part.header(HttpHeaders.ACCEPT).equals("application/json"));
        if (!simple) {
            return plain;
        }
        Optional<BatchOperation> operation = operation(part, token, segments, query);
        return operation.<Route>map(Route.Modelled::new).orElse(plain);
    }

    private static boolean isBatch(List<String> segments) {
        return segments.equals(List.of("batch")) || segments.equals(List.of("_api", "batch"));
    }

    /** The part as an operation of the model, when its plain resource would get to run it so. */
    private Optional<BatchOperation> operation(ArangoEnvelope.Part part, Token token, List<String> segments, String query) {
        String method = part.method();
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        String first = segments.get(0);
        if (first.equals(BatchPlanner.COUNT)) {
            if (!method.equals("GET") || segments.size() > 2) {
                return Optional.empty();
            }
            List<Collection> counted = segments.size() == 1 ? Collections.COUNTED_BY_DEFAULT
                    : Collections.byName(segments.get(1)).map(List::of).orElse(List.of());
            if (counted.isEmpty() || !counted.stream().allMatch(token::mayRead)) {
                return Optional.empty();
            }
            return Optional.of(operation(part, "GET", BatchPlanner.COUNT, segments.size() == 2 ? segments.get(1) : null,
                    query, null, null));
        }
        // A collection's path is one segment or two (test/group): the segments after it are the route's.
        Optional<Collection> found = segments.size() > 1 ? Collections.atPath(first + "/" + segments.get(1))
                : Optional.empty();
        if (found.isPresent()) {
            segments = segments.subList(1, segments.size());
        } else {
            found = Collections.atPath(first);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Collection collection = found.get();
        // The name an entry answers with: an alias as requested (build), else the collection's (a path
        // such as statistics or test/group is no name).
        String name = collection.answersTo(first) ? first : collection.name();
        if (segments.size() == 1 && method.equals("GET")) {
            return token.mayRead(collection) ? Optional.of(operation(part, method, name, null, query, null, null))
                    : Optional.empty();
        }
        if (segments.size() == 1 && method.equals("POST")) {
            return WritePlanner.takesReports(collection) && token.mayReport(collection)
                    ? jsonBody(part).map(data -> operation(part, method, name, null, null, null, data)) : Optional.empty();
        }
        if (segments.size() == 3 && segments.get(1).equals("distinct") && method.equals("GET")) {
            return token.mayRead(collection)
                    ? Optional.of(operation(part, method, name, null, query, segments.get(2), null)) : Optional.empty();
        }
        if (segments.size() != 2 || QueryPlanner.isOtherRoute(segments.get(1))) {
            return Optional.empty();
        }
        String id = segments.get(1);
        return switch (method) {
            case "GET" -> token.mayRead(collection)
                    ? Optional.of(operation(part, method, name, id, query, null, null)) : Optional.empty();
            case "PUT" -> token.mayUpdate(collection)
                    ? jsonBody(part).map(data -> operation(part, method, name, id, null, null, data)) : Optional.empty();
            case "DELETE" -> token.mayDelete(collection)
                    ? Optional.of(operation(part, method, name, id, null, null, null)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** The JSON a PUT or a report sends, when its resource would read it: JSON content type, size, syntax. */
    private Optional<JsonValue> jsonBody(ArangoEnvelope.Part part) {
        String contentType = part.header(HttpHeaders.CONTENT_TYPE);
        if (!MediaTypes.is(contentType, MediaTypes.JSON) || !MalformedMediaTypes.isMediaType(contentType)
                || part.body().length > maxBodyBytes) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonBody.read(part.body()));
        } catch (ApiException e) {
            return Optional.empty(); // its resource answers the mistake
        }
    }

    private static BatchOperation operation(ArangoEnvelope.Part part, String method, String collection, String document,
                                            String query, String distinct, JsonValue data) {
        return new BatchOperation(part.index(), null, method, collection, document, query, distinct, "collection", data,
                null);
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Authorisation;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchExecutor;
import org.kernelci.batch.execute.BatchResult;
import org.kernelci.batch.execute.Departure;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.ArangoEnvelope;
import org.kernelci.batch.parse.BatchBody;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.render.ApperyResults;
import org.kernelci.batch.render.ArangoParts;
import org.kernelci.batch.render.KernelciEntries;
import org.kernelci.batch.render.ListShape;

/**
 * {@code /batch}: the kernelci dialect (CONTRACT.md section 4), Appery's (section 7) and
 * ArangoDB's (section 8, {@code multipart/form-data}); {@link ApiBatchResource} answers the same
 * at {@code /_api/batch}.
 */
@Path("/batch")
public final class BatchResource {
    static final String ERRORS_HEADER = "X-Batch-Errors";
    private static final String ATOMIC = "atomic";
    /** Bodies are read up to this many times the limit, so that the checks keep their order. */
    static final int READ_AHEAD = 8;

    private final BatchPlanner planner;
    private final BatchExecutor executor;
    private final Reads reads;
    private final Access access;
    private final int maxOperations;
    private final int maxBodyBytes;
    private final ArangoBatch arango;
    private final RecentBatches recent;
    private final ListShape lists;
    private final IdempotentAnswers idempotent;
    private final OperationRates rates;

    BatchResource(BatchPlanner planner, BatchExecutor executor, Reads reads, Access access, int maxOperations,
                  int maxBodyBytes, ArangoBatch arango, RecentBatches recent, ListShape lists,
                  IdempotentAnswers idempotent, OperationRates rates) {
        this.idempotent = idempotent;
        this.rates = rates;
        this.arango = arango;
        this.recent = recent;
        this.lists = lists;
        this.planner = planner;
        this.executor = executor;
        this.reads = reads;
        this.access = access;
        this.maxOperations = maxOperations;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Checks in the contract's order: token, content type, JSON, structure (and {@code atomic}),
     * size; then plans, authorises and runs the operations, whatever the dialect, and answers in
     * the body's dialect.
     */
    @POST
    public Response post(@Context HttpServletRequest request, @Context CloseableService closer, @Context UriInfo uri,
                         @Context SecurityContext security, InputStream body) throws IOException {
        return post(request, closer, uri, security, body, false);
    }

    /**
     * @param arangoEndpoint whether the request came to ArangoDB's own path, {@code /_api/batch},
     *                       where a body without a Content-Type is ArangoDB's, as ArangoDB reads it
     */
    Response post(HttpServletRequest request, CloseableService closer, UriInfo uri, SecurityContext security,
                  InputStream body, boolean arangoEndpoint) throws IOException {
        if (request.getAttribute(InProcessRequests.PART) != null) {
            throw ApiException.badRequest("A batch cannot hold a batch");
        }
        ServerTiming.Marks timing = ServerTiming.marks(request);
        Token token = access.batchCaller(request);
        IdempotentAnswers.header(request);
        String contentType = request.getContentType();
        if (MediaTypes.is(contentType, ArangoParts.MEDIA_TYPE) || (contentType == null && arangoEndpoint)) {
            return arango(token, request, closer, uri, security, readBody(body), timing);
        }
        if (!MediaTypes.is(contentType, MediaTypes.JSON)) {
            throw ApiException.wrongContentType(MediaTypes.JSON);
        }
        byte[] bytes = readBody(body);
        String identity = EntityTags.identity(request);
        RecentBatches.Planned planned = recent.get(identity, bytes, token);
        boolean atomic;
        if (planned == null) {
            BatchBody batch = BatchBody.parse(bytes);
            atomic = atomic(CollectionResource.query(request));
            if (batch.operations().size() > maxOperations) {
                throw ApiException.badRequest("Too many operations in the batch: " + batch.operations().size()
                        + " (the limit is " + maxOperations + ")");
            }
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            planned = recent.keep(identity, bytes, token, batch, planner.plans(batch.operations()));
        } else {
            atomic = atomic(CollectionResource.query(request));
        }
        BatchBody batch = planned.batch();
        // The request took one operation of the caller's rate; its other operations count too.
        rates.chargeBatch(request, batch.operations().size());
        reads.metrics().batch(batch.operations().size());
        timing.end(ServerTiming.PARSE);
        // A batch of reads only is answered conditionally (CONTRACT.md section 9).
        List<Read> allowed = planned.allowed();
        if (allowed != null) {
            Response notModified = reads.notModified(request, planned.asked(), allowed);
            if (notModified != null) {
                return notModified;
            }
        }
        // A batch of reads only ignores a key: it changes nothing, so a repeat may run again.
        boolean writes = planned.steps().stream().anyMatch(step -> step instanceof BatchStep.Writing);
        Optional<IdempotencyKeys.Key> key = writes ? IdempotentAnswers.key(request, token, bytes) : Optional.empty();
        Optional<Response> replay = key.flatMap(idempotent::replay);
        if (replay.isPresent()) {
            return replay.get();
        }
        long start = System.nanoTime();
        Optional<IdempotentAnswers.Keeping> keeping = key.map(present -> idempotent.keeping(present,
                outcomes -> answer(batch, new BatchResult(outcomes, () -> { }), reads.counted(outcomes)).build()));
        Departure departure = reads.departure(request);
        List<BatchStep> steps = Authorisation.authorise(token, planned.steps());
        BatchResult result = keeping.isPresent() ? executor.execute(token.id(), departure, steps, atomic, keeping.get())
                : executor.execute(token.id(), departure, steps, atomic);
        closer.add(result);
        reads.metrics().databaseReads(System.nanoTime() - start);
        timing.end(ServerTiming.DATABASE);
        Optional<Response> kept = keeping.flatMap(IdempotentAnswers.Keeping::answer);
        if (kept.isPresent()) {
            return kept.get();
        }
        Response.ResponseBuilder response = answer(batch, result, reads.counted(result.outcomes()));
        return allowed == null ? response.build()
                : reads.conditional(request, planned.asked(), result.changes(), result.outcomes(), response);
    }

    /** The answer in the batch's dialect. */
    private Response.ResponseBuilder answer(BatchBody batch, BatchResult result, List<Outcome> outcomes) {
        Response.ResponseBuilder response = switch (batch.dialect()) {
            case KERNELCI -> JsonResponses.envelope(200,
                    json -> KernelciEntries.write(json, batch.operations(), outcomes, lists));
            case APPERY -> JsonResponses.array(json -> ApperyResults.write(json, outcomes));
            case ARANGO -> throw new IllegalStateException("ArangoDB's batch is not JSON");
        };
        if (result.failures() > 0) {
            response.header(ERRORS_HEADER, result.failures());
        }
        return response;
    }

    /**
     * ArangoDB's batch: the checks of the JSON dialects in their order (the envelope's structure,
     * {@code atomic}, the number of parts, the body's size), then {@link ArangoBatch}.
     */
    private Response arango(Token token, HttpServletRequest request, CloseableService closer, UriInfo uri,
                            SecurityContext security, byte[] bytes, ServerTiming.Marks timing) {
        ArangoEnvelope.Envelope envelope = ArangoEnvelope.parse(bytes, boundary(request.getContentType()));
        List<ArangoEnvelope.Part> parts = envelope.parts();
        boolean atomic = atomic(CollectionResource.query(request));
        if (parts.size() > maxOperations) {
            throw ApiException.badRequest("Too many parts in the batch: " + parts.size() + " (the limit is "
                    + maxOperations + ")");
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
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
        timing.end(ServerTiming.PARSE);
        long start = System.nanoTime();
        Response response = arango.run(token, request, uri.getBaseUri(), security,
                envelope.boundary(), parts, atomic, closer, key);
        reads.metrics().databaseReads(System.nanoTime() - start);
        timing.end(ServerTiming.DATABASE);
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

    /** {@code atomic=true} or {@code false} (the default); another value is a 400. */
    private static boolean atomic(QueryParams params) {
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

    @GET
    public Response get() {
        return notImplemented();
    }

    @PUT
    public Response put() {
        return notImplemented();
    }

    @DELETE
    public Response delete() {
        return notImplemented();
    }

    private byte[] readBody(InputStream body) throws IOException {
        long cap = (long) maxBodyBytes * READ_AHEAD;
        byte[] bytes = body.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > cap) {
            throw tooLarge();
        }
        return bytes;
    }

    private ApiException tooLarge() {
        return ApiException.tooLarge(maxBodyBytes);
    }

    private static Response notImplemented() {
        return JsonResponses.error(501, "Method not implemented").build();
    }
}

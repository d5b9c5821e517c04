package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchExecutor;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.CollectionRoutes;
import org.kernelci.batch.parse.JsonBody;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.plan.Write;
import org.kernelci.batch.plan.WritePlanner;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.render.IngestWriter;
import org.kernelci.batch.render.OutcomeWriter;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * {@code GET /<collection>} and {@code GET /<collection>/<id>} (CONTRACT.md section 3);
 * {@code POST /<collection>}: the original's reports of jobs, builds, boots and test groups;
 * {@code PUT} and {@code DELETE /<collection>/<id>} (section 6).
 */
@Path(CollectionResource.PATH)
public final class CollectionResource {
    /**
     * A collection's path: one segment, or one of the declared paths of two ({@code test/group});
     * those come first, so that {@code /test/group/<id>} is a group by id and {@code /build/<id>} a
     * build (CollectionResourceTest checks the list against the declarations).
     */
    static final String PATH = "/{collection: test/group|test/case|test/regression|build/logs|job/logs|boot/regressions"
            + "|[^/]+}";
    /** Names the keys and field names a plain request's query ignored. */
    static final String IGNORED_HEADER = "X-Kci-Ignored";

    private final Reads reads;
    private final QueryPlanner planner;
    private final WritePlanner writes;
    private final BatchExecutor executor;
    private final Access access;
    private final int maxBodyBytes;
    private final Set<String> otherRoutes;
    private final IdempotentAnswers idempotent;

    CollectionResource(Reads reads, QueryPlanner planner, WritePlanner writes, BatchExecutor executor,
                       Access access, int maxBodyBytes, Set<String> otherRoutes, IdempotentAnswers idempotent) {
        this.idempotent = idempotent;
        this.reads = reads;
        this.planner = planner;
        this.writes = writes;
        this.executor = executor;
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
        this.otherRoutes = Set.copyOf(otherRoutes);
    }

    @GET
    public Response list(@PathParam("collection") String name, @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        Token token = access.reader(request, collection);
        List<String> ignored = new ArrayList<>();
        Read read = new Read.Listing(planner.plan(collection, query(request), ignored));
        return reads.one(token, request, read, closer, outcome -> answer(outcome, ignored));
    }

    @GET
    @Path("/{id}")
    public Response byId(@PathParam("collection") String name, @PathParam("id") String id,
                         @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        if (CollectionRoutes.isOtherRoute(id)) {
            throw ApiException.notFound("Resource not found");
        }
        Token token = access.reader(request, collection);
        List<String> ignored = new ArrayList<>();
        Read read = new Read.ById(planner.planById(collection, id, query(request), ignored), id);
        return reads.one(token, request, read, closer, outcome -> answer(outcome, ignored));
    }

    /**
     * A build's error log ({@code /build/<id>/logs}: the newest that names the build) or a job's
     * log summary ({@code /job/<id>/logs}), CONTRACT.md section 12.1; {@code field} and
     * {@code nfield} apply. Another collection has no logs: 404.
     */
    @GET
    @Path("/{id}/logs")
    public Response logs(@PathParam("collection") String name, @PathParam("id") String id,
                         @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        List<String> ignored = new ArrayList<>();
        if (collection == Collections.JOB) {
            Token token = access.reader(request, Collections.ERRORS_SUMMARY);
            Read read = new Read.ById(planner.planById(Collections.ERRORS_SUMMARY, id, query(request), ignored), id);
            return reads.one(token, request, read, closer, outcome -> answer(outcome, ignored));
        }
        if (collection != Collections.DEFCONFIG) {
            throw ApiException.notFound("Resource not found");
        }
        Token token = access.reader(request, Collections.ERROR_LOGS);
        Read read = new Read.ById(planner.planNewest(Collections.ERROR_LOGS, "build_id", id, query(request), ignored), id);
        return reads.one(token, request, read, closer, outcome -> answer(outcome, ignored));
    }

    /**
     * A boot's regression ({@code /boot/<id>/regressions}, CONTRACT.md section 12.3): its
     * documents, oldest first, with their count; {@code []} when it does not regress. {@code field}
     * and {@code nfield} apply to the documents. Another collection has no regressions: 404.
     */
    @GET
    @Path("/{id}/regressions")
    public Response regressions(@PathParam("collection") String name, @PathParam("id") String id,
                                @Context HttpServletRequest request, @Context CloseableService closer) {
        if (collection(name) != Collections.BOOT) {
            throw ApiException.notFound("Resource not found");
        }
        Token token = access.reader(request, Collections.BOOT);
        List<String> ignored = new ArrayList<>();
        Read read = new Read.BootRegression(planner.planById(Collections.BOOT, id, query(request), ignored), id);
        return reads.one(token, request, read, closer, outcome -> answer(outcome, ignored));
    }

    /** The distinct values of a field among the documents the query selects (the original's later API). */
    @GET
    @Path("/distinct/{field}")
    public Response distinct(@PathParam("collection") String name, @PathParam("field") String field,
                             @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        Token token = access.reader(request, collection);
        List<String> ignored = new ArrayList<>();
        Read read = new Read.Distinct(planner.planDistinct(collection, field, query(request), ignored));
        return reads.one(token, request, read, closer, outcome -> answer(outcome, ignored));
    }

    /** A plain GET's answer, naming what its query ignored (CONTRACT.md section 2). */
    static Response.ResponseBuilder answer(Outcome outcome, List<String> ignored) {
        Response.ResponseBuilder response = JsonResponses.envelope(200,
                json -> OutcomeWriter.writeMembers(json, outcome, "collection", false));
        if (!ignored.isEmpty()) {
            response.header(IGNORED_HEADER, IgnoredHeader.value(ignored));
        }
        return response;
    }

    /**
     * One report or an array of them (test groups: with what they hold), stored all or none
     * through the write model as a batch's are. Checks in order: token, Idempotency-Key, content
     * type, size, JSON, then every member of every report. A request with a key whose first
     * request is done gets its answer replayed, before any of the body's checks.
     */
    @POST
    public Response report(@PathParam("collection") String name, @Context HttpServletRequest request,
                           @Context UriInfo uriInfo, InputStream body) throws IOException {
        if (otherRoutes.contains(name)) {
            throw new NotAllowedException("GET", new String[] {"HEAD", "OPTIONS"});
        }
        Collection collection = collection(name);
        if (!WritePlanner.takesReports(collection)) {
            throw new NotAllowedException("GET", new String[] {"HEAD", "OPTIONS"});
        }
        Token token = access.reporter(request, collection);
        IdempotentAnswers.header(request);
        byte[] bytes = RequestBodies.json(request, body, maxBodyBytes);
        Optional<IdempotencyKeys.Key> key = IdempotentAnswers.key(request, token, bytes);
        Optional<Response> replay = key.flatMap(idempotent::replay);
        if (replay.isPresent()) {
            return replay.get();
        }
        Write write = writes.create(collection, JsonBody.read(bytes));
        return written(write, name, key, outcome -> {
            List<String> ids = ((Outcome.Created) outcome).ids();
            Response.ResponseBuilder response = JsonResponses.envelope(201, json -> IngestWriter.writeIds(json, ids));
            // One test group run is at its document's address (section 12.6); the original's reports name none.
            if (write instanceof Write.TestReport && ids.size() == 1) {
                response.header(HttpHeaders.LOCATION, uriInfo.getBaseUri().getRawPath() + collection.path() + "/"
                        + ids.get(0));
            }
            return response.build();
        });
    }

    /**
     * The answer of a write through the executor; with a key, kept with the write in its
     * transaction, or (when another request with the key just finished) a 409.
     */
    private Response written(Write write, String name, Optional<IdempotencyKeys.Key> key,
                             Function<Outcome, Response> answer) {
        if (key.isEmpty()) {
            return answer.apply(written(executor.writeOne(write, name)));
        }
        IdempotentAnswers.Keeping keeping = idempotent.keeping(key.get(), outcomes -> answer.apply(outcomes.get(0)));
        written(executor.writeOne(write, name, keeping));
        return keeping.answer().orElseThrow();
    }

    /**
     * Sets the members the body names (CONTRACT.md section 6). Checks in the order of the
     * reports: collection, token, content type, size, JSON, then the id and the members.
     */
    @PUT
    @Path("/{id}")
    public Response update(@PathParam("collection") String name, @PathParam("id") String id,
                           @Context HttpServletRequest request, InputStream body) throws IOException {
        Collection collection = collection(name);
        Token token = access.updater(request, collection);
        IdempotentAnswers.header(request);
        byte[] bytes = RequestBodies.json(request, body, maxBodyBytes);
        Optional<IdempotencyKeys.Key> key = IdempotentAnswers.key(request, token, bytes);
        Optional<Response> replay = key.flatMap(idempotent::replay);
        if (replay.isPresent()) {
            return replay.get();
        }
        JsonValue document = JsonBody.read(bytes);
        return written(writes.update(collection, id, document), name, key, outcome -> {
            Outcome.Document after = ((Outcome.Updated) outcome).document();
            return JsonResponses.ok(json -> OutcomeWriter.writeMembers(json, after, "collection", false));
        });
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("collection") String name, @PathParam("id") String id,
                           @Context HttpServletRequest request) {
        Collection collection = collection(name);
        Token token = access.deleter(request, collection);
        Optional<IdempotencyKeys.Key> key = IdempotentAnswers.key(request, token, new byte[0]);
        Optional<Response> replay = key.flatMap(idempotent::replay);
        if (replay.isPresent()) {
            return replay.get();
        }
        Write.Delete delete = writes.delete(collection, id);
        return written(delete, name, key, outcome -> JsonResponses.envelope(200,
                json -> json.name("reason").value("Resource '" + delete.id() + "' deleted")).build());
    }

    /** A write's outcome, or the 404 of a document that is not there. */
    private static Outcome written(Outcome outcome) {
        if (outcome instanceof Outcome.Missing missing) {
            throw ApiException.missing(missing.id());
        }
        return outcome;
    }

    /** The raw query string, as the container received it (not decoded). */
    static QueryParams query(HttpServletRequest request) {
        return QueryStringParser.parse(request.getQueryString());
    }

    /** The collection a route's path names, or a 404 like any unknown route. */
    static Collection collection(String path) {
        return Collections.atPath(path).orElseThrow(() -> ApiException.notFound("Resource not found"));
    }
}

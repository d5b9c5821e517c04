package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.CompareRequests;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.JsonBody;
import org.kernelci.batch.plan.CompareKind;
import org.kernelci.batch.plan.ComparePlan;
import org.kernelci.batch.plan.ComparePlanner;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.render.CompareWriter;
import org.kernelci.batch.schema.FieldType;

/**
 * Comparisons of jobs, builds and boots (CONTRACT.md section 12.5): {@code POST /<r>/compare}
 * keeps the request and answers the comparison; {@code GET /<r>/compare/<id>} computes it again
 * from the current documents. Its path's literal segment makes Jersey prefer it to the
 * collections' {@code /<collection>/<id>}. Both need the get permission: a comparison only reads.
 * A GET's answer carries an ETag, of the request and the tables read (the kept request never
 * changes); a POST's none.
 */
@Path(CompareResource.PATH)
public final class CompareResource {
    static final String PATH = "/{collection: job|build|defconfig|boot}/compare";
    /** The kept request's id, which kernelci-frontend follows to the comparison's page. */
    static final String COMPARE_ID = "X-Kernelci-Compare-Id";

    private final Reads reads;
    private final ComparePlanner planner;
    private final CompareRequests requests;
    private final Access access;
    private final int maxBodyBytes;

    CompareResource(Reads reads, ComparePlanner planner, CompareRequests requests, Access access, int maxBodyBytes) {
        this.reads = reads;
        this.planner = planner;
        this.requests = requests;
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Checks in the order of section 6 (token, content type, size, JSON, members), computes the
     * comparison (404 when a baseline or target finds nothing), then keeps the request: 201, or
     * 200 when it was kept before.
     */
    @POST
    public Response compare(@PathParam("collection") String name, @Context HttpServletRequest request,
                            @Context UriInfo uri, InputStream body) throws IOException {
        CompareKind kind = kind(name);
        Token token = access.reader(request, kind.collection());
        byte[] bytes = RequestBodies.json(request, body, maxBodyBytes);
        ComparePlan plan = planner.plan(kind, JsonBody.read(bytes));
        Outcome.Comparison comparison = reads.whole(token, new Read.Compare(plan));
        int status = requests.keep(plan) ? 201 : 200;
        return JsonResponses.envelope(status, json -> CompareWriter.write(json, plan.id(), comparison))
                // A path from the host's root, the context's path first, as the original wrote it.
                .header(HttpHeaders.LOCATION, uri.getBaseUri().getRawPath() + name + "/compare/" + plan.id() + "/")
                .header(COMPARE_ID, plan.id())
                .build();
    }

    /** The original's answer to a GET without an id. */
    @GET
    public Response noId(@PathParam("collection") String name, @Context HttpServletRequest request) {
        access.reader(request, kind(name).collection());
        throw ApiException.badRequest("No ID specified");
    }

    /** The comparison of the request kept under the id, computed from the current documents. */
    @GET
    @Path("/{id}")
    public Response byId(@PathParam("collection") String name, @PathParam("id") String id,
                         @Context HttpServletRequest request, @Context CloseableService closer) {
        CompareKind kind = kind(name);
        Token token = access.reader(request, kind.collection());
        String keptId;
        try {
            keptId = (String) FieldType.OBJECT_ID.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong ID value provided");
        }
        String kept = requests.find(kind, keptId)
                .orElseThrow(() -> ApiException.missing(id));
        ComparePlan plan = planner.kept(kind, JsonBody.read(kept.getBytes(StandardCharsets.UTF_8)));
        return reads.one(token, request, new Read.Compare(plan), closer, outcome -> JsonResponses.envelope(200,
                json -> CompareWriter.write(json, keptId, (Outcome.Comparison) outcome)));
    }

    private static CompareKind kind(String name) {
        return CompareKind.at(name).orElseThrow(() -> ApiException.notFound("Resource not found"));
    }
}

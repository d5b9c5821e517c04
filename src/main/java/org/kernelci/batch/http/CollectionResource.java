package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.render.OutcomeWriter;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/** {@code GET /<collection>} and {@code GET /<collection>/<id>} (CONTRACT.md section 3). */
@Path("/{collection}")
public final class CollectionResource {
    private final BatchRunner runner;
    private final QueryPlanner planner;
    private final Access access;

    CollectionResource(BatchRunner runner, QueryPlanner planner, Access access) {
        this.runner = runner;
        this.planner = planner;
        this.access = access;
    }

    @GET
    public Response list(@PathParam("collection") String name, @Context UriInfo uri,
                         @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        access.reader(request, collection);
        Read read = new Read.Listing(planner.plan(collection, query(uri)));
        Outcome outcome = Reads.one(runner, read, closer);
        return JsonResponses.ok(json -> OutcomeWriter.writeMembers(json, outcome, "collection", false));
    }

    @GET
    @Path("/{id}")
    public Response byId(@PathParam("collection") String name, @PathParam("id") String id,
                         @Context UriInfo uri, @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        access.reader(request, collection);
        Read read = new Read.ById(planner.planById(collection, id, query(uri)));
        Outcome.Document outcome = (Outcome.Document) Reads.one(runner, read, closer);
        if (outcome.row() == null) {
            throw ApiException.notFound("Resource '" + id + "' not found");
        }
        return JsonResponses.ok(json -> OutcomeWriter.writeMembers(json, outcome, "collection", false));
    }

    static QueryParams query(UriInfo uri) {
        return QueryStringParser.parse(uri.getRequestUri().getRawQuery());
    }

    private static Collection collection(String name) {
        return Collections.byName(name).orElseThrow(() -> ApiException.notFound("Resource not found"));
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.CloseableService;
import java.util.Optional;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.render.OutcomeWriter;

/** {@code GET /count} and {@code GET /count/<collection>} (CONTRACT.md section 3). */
@Path("/count")
public final class CountResource {
    private final Reads reads;
    private final QueryPlanner planner;
    private final Access access;

    CountResource(Reads reads, QueryPlanner planner, Access access) {
        this.reads = reads;
        this.planner = planner;
        this.access = access;
    }

    @GET
    public Response all(@Context HttpServletRequest request, @Context CloseableService closer) {
        return count(Optional.empty(), request, closer);
    }

    @GET
    @Path("/{collection}")
    public Response one(@PathParam("collection") String name,
                        @Context HttpServletRequest request, @Context CloseableService closer) {
        return count(Optional.of(name), request, closer);
    }

    private Response count(Optional<String> name, HttpServletRequest request, CloseableService closer) {
        CountPlan plan = planner.planCount(name, CollectionResource.query(request));
        for (CountPlan.Target target : plan.targets()) {
            access.reader(request, target.collection());
        }
        Outcome outcome = reads.one(new Read.Count(plan), closer);
        return JsonResponses.ok(json -> OutcomeWriter.writeMembers(json, outcome, "collection", false));
    }
}

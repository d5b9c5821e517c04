package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.plan.CountPlan;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

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
        // The token first: a caller who may not count learns nothing from the planner's 400s.
        List<Collection> counted = name.map(requested -> List.of(Collections.byName(requested)
                .orElseThrow(() -> ApiException.unknownCollection(requested))))
                .orElse(Collections.COUNTED_BY_DEFAULT);
        Token token = access.caller(request);
        if (!counted.stream().allMatch(token::mayRead)) {
            throw ApiException.forbidden();
        }
        List<String> ignored = new ArrayList<>();
        CountPlan plan = planner.planCount(name, CollectionResource.query(request), ignored);
        for (CountPlan.Target target : plan.targets()) {
            if (!token.mayRead(target.collection())) {
                throw ApiException.forbidden();
            }
        }
        return reads.one(token, request, new Read.Count(plan), closer,
                outcome -> CollectionResource.answer(outcome, ignored));
    }
}

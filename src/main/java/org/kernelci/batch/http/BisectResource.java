package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.plan.BisectPlanner;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.schema.Collections;

/**
 * {@code GET /bisect} (CONTRACT.md section 12.4): a bisection of a failed build or boot, computed
 * at each read in its snapshot, with the ETag of the tables it reads. Nothing is kept, so
 * {@code /bisect/<id>} finds nothing (404).
 */
@Path("/bisect")
public final class BisectResource {
    private final Reads reads;
    private final BisectPlanner planner;
    private final Access access;

    BisectResource(Reads reads, BisectPlanner planner, Access access) {
        this.reads = reads;
        this.planner = planner;
        this.access = access;
    }

    @GET
    public Response bisect(@Context HttpServletRequest request, @Context CloseableService closer) {
        // The get permission (builds' and boots' alike) first: a caller who may not read learns
        // nothing from the planner's 400s.
        Token token = access.reader(request, Collections.DEFCONFIG);
        List<String> ignored = new ArrayList<>();
        Read read = new Read.Bisection(planner.plan(CollectionResource.query(request), ignored));
        return reads.one(token, request, read, closer, outcome -> CollectionResource.answer(outcome, ignored));
    }

    /** The original took its labs' bisection results here; this service does not provide that (section 12). */
    @POST
    public Response results() {
        throw ApiException.notFound("Resource not found");
    }
}

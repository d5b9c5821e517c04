package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Permission;
import org.kernelci.batch.metrics.ServiceMetrics;

/** {@code GET /metrics}: every meter in the Prometheus text format; admin tokens only. */
@Path("/metrics")
public final class MetricsResource {
    private final ServiceMetrics metrics;
    private final Access access;

    MetricsResource(ServiceMetrics metrics, Access access) {
        this.metrics = metrics;
        this.access = access;
    }

    @GET
    public Response scrape(@Context HttpServletRequest request) {
        if (!access.caller(request).has(Permission.ADMIN)) {
            throw ApiException.forbidden();
        }
        return Response.ok(metrics.scrape(), ServiceMetrics.PROMETHEUS_CONTENT_TYPE).build();
    }
}

package org.kernelci.batch.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.kernelci.batch.execute.Database;

/**
 * {@code GET /metrics}: whether the database is taken to be up, the 503s answered so far for a
 * full service ("busy") and for an unreachable database, and the pool's connections; open to
 * everyone, like {@code /health}.
 */
@Path("/metrics")
public final class MetricsResource {
    private final Database database;

    MetricsResource(Database database) {
        this.database = database;
    }

    @GET
    public Response metrics() {
        Database.Metrics metrics = database.metrics();
        return JsonResponses.ok(json -> {
            json.name("result").beginArray().beginObject()
                    .name("database").value(metrics.up() ? "up" : "down")
                    .name("refused_busy").value(metrics.busyRefusals())
                    .name("refused_unavailable").value(metrics.unavailableRefusals());
            metrics.pool().ifPresent(pool -> json.name("pool").beginObject()
                    .name("active").value(pool.active()).name("idle").value(pool.idle())
                    .name("waiting").value(pool.waiting()).name("maximum").value(pool.maximum()).endObject());
            json.endObject().endArray();
        });
    }
}

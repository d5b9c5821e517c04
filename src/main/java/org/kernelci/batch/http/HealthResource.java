package org.kernelci.batch.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.kernelci.batch.execute.Database;

/**
 * {@code GET /health}: whether the database answers, as the probe last saw it (it asks every
 * 250 ms and gives up within a second): answered at once whatever the database does; open to
 * everyone.
 */
@Path("/health")
public final class HealthResource {
    private final Database database;

    HealthResource(Database database) {
        this.database = database;
    }

    @GET
    public Response health() {
        if (database.answers()) {
            return JsonResponses.ok(json -> json.name("result").beginArray()
                    .beginObject().name("database").value("up").endObject().endArray());
        }
        return JsonResponses.error(503, "Database unavailable, retry later")
                .header(HttpHeaders.RETRY_AFTER, ErrorMapper.RETRY_AFTER_SECONDS).build();
    }
}

package org.kernelci.batch.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.kernelci.batch.execute.Database;

/** {@code GET /health}: whether the database answers; open to everyone. */
@Path("/health")
public final class HealthResource {
    private final Database database;

    HealthResource(Database database) {
        this.database = database;
    }

    @GET
    public Response health() {
        if (database.isUp()) {
            return JsonResponses.ok(json -> json.name("result").beginArray()
                    .beginObject().name("database").value("up").endObject().endArray());
        }
        return JsonResponses.error(503, "Database unavailable, retry later")
                .header(HttpHeaders.RETRY_AFTER, ErrorMapper.RETRY_AFTER_SECONDS).build();
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import org.glassfish.jersey.server.CloseableService;

/**
 * {@code /_api/batch}, ArangoDB's path: the same resource as {@code /batch}, every dialect, and
 * there a body without a Content-Type is ArangoDB's (CONTRACT.md section 8).
 */
@Path("/_api/batch")
public final class ApiBatchResource {
    private final BatchResource batch;

    ApiBatchResource(BatchResource batch) {
        this.batch = batch;
    }

    @POST
    public Response post(@Context HttpServletRequest request, @Context CloseableService closer, @Context UriInfo uri,
                         @Context SecurityContext security, InputStream body) throws IOException {
        return batch.postAtArangoPath(request, closer, uri, security, body);
    }

    @GET
    public Response get() {
        return batch.get();
    }

    @PUT
    public Response put() {
        return batch.put();
    }

    @DELETE
    public Response delete() {
        return batch.delete();
    }
}

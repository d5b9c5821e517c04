package org.kernelci.batch.http;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** {@code /batch} (CONTRACT.md section 4). */
@Path("/batch")
public final class BatchResource {

    @GET
    public Response get() {
        return notImplemented();
    }

    @PUT
    public Response put() {
        return notImplemented();
    }

    @DELETE
    public Response delete() {
        return notImplemented();
    }

    private static Response notImplemented() {
        return JsonResponses.error(501, "Method not implemented").build();
    }
}

package org.kernelci.batch.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of every route (the resource file
 * {@code openapi.json}, checked against the routes by {@code OpenApiIT}); open to everyone.
 */
@Path("/openapi.json")
public final class OpenApiResource {
    private final byte[] description;

    OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the classpath");
            }
            description = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    public Response description() {
        return Response.ok(description, JsonResponses.CONTENT_TYPE).build();
    }
}

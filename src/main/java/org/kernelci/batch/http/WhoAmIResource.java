package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.kernelci.batch.auth.Permission;

/**
 * {@code GET /whoami}: who the caller is (the container's user, or the token's id), how it was
 * established ({@code container} or {@code token}) and its permissions; a 403 without credentials.
 * The dashboard asks it to know whether it needs a token at all.
 */
@Path("/whoami")
public final class WhoAmIResource {
    private final Access access;

    WhoAmIResource(Access access) {
        this.access = access;
    }

    @GET
    public Response whoami(@Context HttpServletRequest request) {
        Access.Identity identity = access.identity(request);
        return JsonResponses.ok(json -> {
            json.name("result").beginArray().beginObject()
                    .name("user").value(identity.user())
                    .name("auth").value(identity.auth())
                    .name("permissions").beginArray();
            for (Permission permission : identity.token().permissions()) {
                json.value(permission.member());
            }
            json.endArray().endObject().endArray();
        });
    }
}

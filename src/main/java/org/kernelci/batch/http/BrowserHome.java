package org.kernelci.batch.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.List;

/**
 * {@code GET /} from a browser moves to the dashboard. Only that exact request, and only when
 * the client's first choice is an explicit {@code text/html} (browsers send it; API clients send
 * {@code application/json}, {@code *}{@code /*} or nothing), so every API answer stays as it was.
 */
@Provider
@PreMatching
public final class BrowserHome implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (request.getMethod().equals("GET") && (path.isEmpty() || path.equals("/"))
                && prefersHtml(request.getAcceptableMediaTypes())) {
            request.abortWith(Response.seeOther(URI.create(request.getUriInfo().getBaseUri().getRawPath() + "dashboard/"))
                    .build());
        }
    }

    /** Jersey orders the acceptable types by quality, then by how specific they are. */
    private static boolean prefersHtml(List<MediaType> acceptable) {
        return !acceptable.isEmpty() && acceptable.get(0).isCompatible(MediaType.TEXT_HTML_TYPE)
                && !acceptable.get(0).isWildcardType() && !acceptable.get(0).isWildcardSubtype();
    }
}

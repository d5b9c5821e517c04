package org.kernelci.batch.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** {@code GET /version}: the service's name and version; open to everyone. */
@Path("/version")
public final class VersionResource {
    private final String version;

    VersionResource(String version) {
        this.version = version;
    }

    @GET
    public Response version() {
        return JsonResponses.ok(json -> json.name("result").beginArray()
                .beginObject().name("name").value("kci-batch").name("version").value(version).endObject()
                .endArray());
    }
}

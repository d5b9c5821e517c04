package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.execute.DocumentImport;
import org.kernelci.batch.ingest.ImportSummary;
import org.kernelci.batch.render.IngestWriter;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * {@code POST /import/<collection>}: a MongoDB export of the original's data, one document per
 * line ({@code application/x-ndjson}), streamed into the collection's table and upserted by id.
 * Admin or superuser tokens only.
 */
@Path("/import")
public final class ImportResource {
    private final Database database;
    private final Access access;
    private final Clock clock;

    ImportResource(Database database, Access access, Clock clock) {
        this.database = database;
        this.access = access;
        this.clock = clock;
    }

    @POST
    @Path("/{collection}")
    public Response importDump(@PathParam("collection") String name, @Context HttpServletRequest request,
                               InputStream body) {
        // By name (test_group); views are computed, never imported (CONTRACT.md section 12).
        Collection collection = Collections.byName(name).filter(found -> !found.isView())
                .orElseThrow(() -> ApiException.notFound("Resource not found"));
        access.importer(request);
        if (!MediaTypes.is(request.getContentType(), MediaTypes.NDJSON)) {
            throw ApiException.wrongContentType(MediaTypes.NDJSON);
        }
        ImportSummary summary = database.withConnection(connection -> {
            try {
                return DocumentImport.run(connection, collection, body, clock.instant(), bytes -> { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return JsonResponses.ok(json -> IngestWriter.writeImport(json, summary));
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.ingest.ReportForm;
import org.kernelci.batch.ingest.ReportForms;
import org.kernelci.batch.ingest.ReportReader;
import org.kernelci.batch.ingest.ReportWriter;
import org.kernelci.batch.ingest.StoredDocument;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.parse.QueryParams;
import org.kernelci.batch.parse.QueryStringParser;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.render.IngestWriter;
import org.kernelci.batch.render.OutcomeWriter;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * {@code GET /<collection>} and {@code GET /<collection>/<id>} (CONTRACT.md section 3);
 * {@code POST /<collection>}: the original's reports of jobs, builds and boots.
 */
@Path("/{collection}")
public final class CollectionResource {
    private final Reads reads;
    private final QueryPlanner planner;
    private final Access access;
    private final Database database;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Set<String> otherRoutes;

    CollectionResource(Reads reads, QueryPlanner planner, Access access, Database database, Clock clock,
                       int maxBodyBytes, Set<String> otherRoutes) {
        this.reads = reads;
        this.planner = planner;
        this.access = access;
        this.database = database;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.otherRoutes = Set.copyOf(otherRoutes);
    }

    @GET
    public Response list(@PathParam("collection") String name, @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        access.reader(request, collection);
        Read read = new Read.Listing(planner.plan(collection, query(request)));
        Outcome outcome = reads.one(read, closer);
        return JsonResponses.ok(json -> OutcomeWriter.writeMembers(json, outcome, "collection", false));
    }

    @GET
    @Path("/{id}")
    public Response byId(@PathParam("collection") String name, @PathParam("id") String id,
                         @Context HttpServletRequest request, @Context CloseableService closer) {
        Collection collection = collection(name);
        access.reader(request, collection);
        Read read = new Read.ById(planner.planById(collection, id, query(request)), id);
        Outcome outcome = reads.one(read, closer);
        return JsonResponses.ok(json -> OutcomeWriter.writeMembers(json, outcome, "collection", false));
    }

    /**
     * One report or an array of them, stored all or none. Checks in order: token,
     * content type, size, JSON, then every member of every report.
     */
    @POST
    public Response report(@PathParam("collection") String name, @Context HttpServletRequest request,
                           InputStream body) throws IOException {
        if (otherRoutes.contains(name)) {
            throw new NotAllowedException("GET", new String[] {"HEAD", "OPTIONS"});
        }
        Collection collection = collection(name);
        ReportForm form = ReportForms.of(collection)
                .orElseThrow(() -> new NotAllowedException("GET", new String[] {"HEAD", "OPTIONS"}));
        access.reporter(request, collection);
        if (!MediaTypes.is(request.getContentType(), MediaTypes.JSON)) {
            throw new ApiException(415, "Wrong content type defined: use " + MediaTypes.JSON);
        }
        byte[] bytes = body.readNBytes(maxBodyBytes + 1);
        if (bytes.length > maxBodyBytes) {
            throw new ApiException(413, "Request body larger than " + maxBodyBytes + " bytes");
        }
        List<StoredDocument> reports = ReportReader.read(form, bytes, clock.instant());
        List<String> ids = database.writeWithConnection(connection -> ReportWriter.write(connection, reports));
        return JsonResponses.envelope(201, json -> IngestWriter.writeIds(json, ids)).build();
    }

    /** The raw query string, as the container received it (not decoded). */
    static QueryParams query(HttpServletRequest request) {
        return QueryStringParser.parse(request.getQueryString());
    }

    /** The collection a route names, or a 404 like any unknown route. */
    static Collection collection(String name) {
        return Collections.byName(name).orElseThrow(() -> ApiException.notFound("Resource not found"));
    }
}

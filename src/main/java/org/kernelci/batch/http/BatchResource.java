package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.parse.BatchRequestParser;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.render.BatchEntry;
import org.kernelci.batch.render.OutcomeWriter;

/** {@code /batch} (CONTRACT.md section 4). */
@Path("/batch")
public final class BatchResource {
    static final String ERRORS_HEADER = "X-Batch-Errors";
    /** Bodies are read up to this many times the limit, so that the checks keep their order. */
    private static final int READ_AHEAD = 8;

    private final BatchPlanner planner;
    private final Reads reads;
    private final Access access;
    private final int maxOperations;
    private final int maxBodyBytes;

    BatchResource(BatchPlanner planner, Reads reads, Access access, int maxOperations, int maxBodyBytes) {
        this.planner = planner;
        this.reads = reads;
        this.access = access;
        this.maxOperations = maxOperations;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Checks in the contract's order: token, content type, JSON, structure, size; then runs. */
    @POST
    public Response post(@Context HttpServletRequest request, @Context CloseableService closer, InputStream body)
            throws IOException {
        ServerTiming.Marks timing = ServerTiming.marks(request);
        Token token = access.caller(request);
        if (!MediaTypes.is(request.getContentType(), MediaTypes.JSON)) {
            throw new ApiException(415, "Wrong content type defined: use application/json");
        }
        byte[] bytes = readBody(body);
        List<BatchOperation> operations = BatchRequestParser.parse(bytes);
        if (operations.size() > maxOperations) {
            throw ApiException.badRequest("Too many operations in the batch: " + operations.size()
                    + " (the limit is " + maxOperations + ")");
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
        }

        reads.metrics().batch(operations.size());
        List<BatchStep> steps = planner.plan(operations);
        timing.end(ServerTiming.PARSE);
        List<Read> allowed = new ArrayList<>();
        List<BatchEntry> entries = new ArrayList<>(steps.size());
        for (BatchStep step : steps) {
            BatchOperation operation = step.operation();
            if (step instanceof BatchStep.Planned planned
                    && planned.read().collections().stream().allMatch(token::mayRead)) {
                allowed.add(planned.read());
                entries.add(null);
            } else {
                ApiException failure = step instanceof BatchStep.Rejected rejected
                        ? rejected.failure() : ApiException.forbidden();
                entries.add(new BatchEntry(operation.operationId(), failure.status(),
                        new Outcome.Failure(failure.status(), failure.reason()), operation.countKey()));
            }
        }
        List<Outcome> outcomes = allowed.isEmpty() ? List.of() : reads.run(allowed, closer);
        timing.end(ServerTiming.DATABASE);
        int next = 0;
        int failed = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) == null) {
                Outcome outcome = outcomes.get(next++);
                BatchOperation operation = steps.get(i).operation();
                int code = outcome instanceof Outcome.Failure failure ? failure.status() : 200;
                entries.set(i, new BatchEntry(operation.operationId(), code, outcome, operation.countKey()));
            }
            if (entries.get(i).code() >= 400) {
                failed++;
            }
        }
        Response.ResponseBuilder response = JsonResponses.envelope(200, json -> OutcomeWriter.writeBatch(json, entries));
        if (failed > 0) {
            response.header(ERRORS_HEADER, failed);
        }
        return response.build();
    }

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

    private byte[] readBody(InputStream body) throws IOException {
        long cap = (long) maxBodyBytes * READ_AHEAD;
        byte[] bytes = body.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > cap) {
            throw tooLarge();
        }
        return bytes;
    }

    private ApiException tooLarge() {
        return new ApiException(413, "Request body larger than " + maxBodyBytes + " bytes");
    }

    private static Response notImplemented() {
        return JsonResponses.error(501, "Method not implemented").build();
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.pipeline.BatchAnswer;
import org.kernelci.batch.pipeline.BatchPipeline;
import org.kernelci.batch.pipeline.BatchRequest;
import org.kernelci.batch.pipeline.EntityTags;
import org.kernelci.batch.pipeline.StageTimes;
import org.kernelci.batch.render.ArangoParts;

/**
 * {@code /batch}: the kernelci dialect (CONTRACT.md section 4), Appery's (section 7) and
 * ArangoDB's (section 8, {@code multipart/form-data}); {@link ApiBatchResource} answers the same
 * at {@code /_api/batch}.
 */
@Path("/batch")
public final class BatchResource {
    static final String ERRORS_HEADER = BatchPipeline.ERRORS_HEADER;

    private final BatchPipeline pipeline;
    private final Reads reads;
    private final Access access;
    private final int maxBodyBytes;
    private final ArangoBatch arango;
    private final OperationRates rates;

    BatchResource(BatchPipeline pipeline, Reads reads, Access access, int maxBodyBytes, ArangoBatch arango,
                  OperationRates rates) {
        this.pipeline = pipeline;
        this.reads = reads;
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
        this.arango = arango;
        this.rates = rates;
    }

    /**
     * Checks in the contract's order: token, content type, then the pipeline's (JSON, structure
     * and {@code atomic}, size), which plans, authorises and runs the operations, whatever the
     * dialect; the answer in the body's dialect.
     */
    @POST
    public Response post(@Context HttpServletRequest request, @Context CloseableService closer, @Context UriInfo uri,
                         @Context SecurityContext security, InputStream body) throws IOException {
        return post(request, closer, uri, security, body, request.getContentType());
    }

    /**
     * The batch at ArangoDB's own path, {@code /_api/batch}: there a body without a Content-Type is
     * ArangoDB's, as ArangoDB reads it.
     */
    Response postAtArangoPath(HttpServletRequest request, CloseableService closer, UriInfo uri, SecurityContext security,
                              InputStream body) throws IOException {
        String contentType = request.getContentType();
        return post(request, closer, uri, security, body, contentType == null ? ArangoParts.MEDIA_TYPE : contentType);
    }

    /** @param contentType the body's media type: as declared, or what the path assumes when none is */
    private Response post(HttpServletRequest request, CloseableService closer, UriInfo uri, SecurityContext security,
                          InputStream body, String contentType) throws IOException {
        if (request.getAttribute(InProcessRequests.PART) != null) {
            throw ApiException.badRequest("A batch cannot hold a batch");
        }
        StageTimes times = ServerTiming.times(request);
        Token token = access.batchCaller(request);
        IdempotentAnswers.header(request);
        if (MediaTypes.is(contentType, ArangoParts.MEDIA_TYPE)) {
            return arango.post(token, request, closer, uri, security, readBody(body), times);
        }
        if (!MediaTypes.is(contentType, MediaTypes.JSON)) {
            throw ApiException.wrongContentType(MediaTypes.JSON);
        }
        byte[] bytes = readBody(body);
        BatchRequest batch = new BatchRequest(token, Reads.identity(request), CollectionResource.query(request), bytes,
                request.getHeader(EntityTags.IF_NONE_MATCH), IdempotentAnswers.key(request, token, bytes),
                reads.departure(request), operations -> rates.chargeBatch(request, operations));
        BatchAnswer answer = pipeline.run(batch, times);
        closer.add(answer.open());
        return answer.sendTo(responses);
    }

    /** The pipeline's answers as responses. */
    private final BatchAnswer.Edge<Response> responses = new BatchAnswer.Edge<>() {
        @Override
        public Response notModified(BatchAnswer.NotModified answer) {
            return Response.notModified().header(HttpHeaders.ETAG, answer.tag()).build();
        }

        @Override
        public Response kept(BatchAnswer.Kept answer) {
            return IdempotentAnswers.sent(answer.answer());
        }

        @Override
        public Response replayed(BatchAnswer.Replayed answer) {
            return IdempotentAnswers.replayed(answer.answer());
        }

        @Override
        public Response written(BatchAnswer.Written answer) {
            Response.ResponseBuilder response = Response.ok((StreamingOutput) answer::write).type(JsonResponses.CONTENT_TYPE);
            if (answer.failures() > 0) {
                response.header(ERRORS_HEADER, answer.failures());
            }
            answer.tag().ifPresent(tag -> response.header(HttpHeaders.ETAG, tag));
            return response.build();
        }
    };

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
        return RequestBodies.read(body, (long) maxBodyBytes * RequestBodies.BATCH_READ_AHEAD, maxBodyBytes);
    }

    private static Response notImplemented() {
        return JsonResponses.error(501, "Method not implemented").build();
    }
}

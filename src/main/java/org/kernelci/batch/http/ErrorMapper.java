package org.kernelci.batch.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;
import org.kernelci.batch.execute.PartlyStoredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as {@code {"code": N, "reason": "..."}}: a {@link Problem} (thrown as an
 * {@link ApiException}: a client mistake, or a database failure its classifier told) as its
 * status, reason and Retry-After; Jersey's own refusals (404, 405, 406, 415) with fixed reasons;
 * anything else as a 500 that tells the client only an id under which the details were logged.
 * What the operator must act on is logged by the {@code Database} that met it (an outage: a line
 * when it goes, one when it is back; a missing grant once; a missing resource once a minute),
 * not per answer here.
 */
@Provider
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    /** An outage's Retry-After, which {@code /health} answers too. */
    static final String RETRY_AFTER_SECONDS =
            Integer.toString(new Problem(Problem.Kind.UNAVAILABLE, "").retryAfterSeconds());
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof PartlyStoredException partly) {
            return answer(partly.failure(), "; " + partly.stored());
        }
        return answer(failure, "");
    }

    /** @param stored appended to the reason: what a write that stopped had stored, or nothing */
    private Response answer(Throwable failure, String stored) {
        if (failure instanceof ApiException api) {
            return problem(api.problem().followedBy(stored));
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            Response original = web.getResponse();
            int status = original.getStatus();
            Response.ResponseBuilder response = JsonResponses.error(status, reason(status));
            String allow = original.getHeaderString(HttpHeaders.ALLOW);
            if (allow != null) {
                response.header(HttpHeaders.ALLOW, allow);
            }
            return response.build();
        }
        String id = UUID.randomUUID().toString();
        LOG.error("Internal error {}", id, failure);
        return problem(Problem.internal(id).followedBy(stored));
    }

    private static Response problem(Problem problem) {
        Response.ResponseBuilder response = JsonResponses.error(problem.status(), problem.reason());
        if (problem.retryAfterSeconds() > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Integer.toString(problem.retryAfterSeconds()));
        }
        return response.build();
    }

    private static String reason(int status) {
        return switch (status) {
            case 404 -> "Resource not found";
            case 405 -> "Operation not allowed";
            case 406 -> "Not acceptable: this service answers application/json";
            case 415 -> "Wrong content type defined";
            default -> Response.Status.fromStatusCode(status) == null
                    ? "Request failed" : Response.Status.fromStatusCode(status).getReasonPhrase();
        };
    }
}

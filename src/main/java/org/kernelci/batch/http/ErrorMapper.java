package org.kernelci.batch.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.CallerLimitException;
import org.kernelci.batch.execute.CommitOutcomeUnknownException;
import org.kernelci.batch.execute.DatabaseUnavailableException;
import org.kernelci.batch.execute.MissingGrantException;
import org.kernelci.batch.execute.PartlyStoredException;
import org.kernelci.batch.execute.ResourceExhaustedException;
import org.kernelci.batch.execute.ServiceBusyException;
import org.kernelci.batch.execute.StatementTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as {@code {"code": N, "reason": "..."}}. A 500 tells the client only an
 * id under which the details were logged. A database outage is logged by the {@code Database}
 * (a line when it goes, one when it is back), not per 503 answered here. A grant the service's database role lacks is a 503 whose reason
 * names it; a resource the database lacks (disk space…), a 503 with Retry-After naming it; a
 * COMMIT whose outcome is unknown, a 502; a caller past its share or its rate, a 429 with
 * Retry-After naming the limit.
 */
@Provider
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    static final String RETRY_AFTER_SECONDS = "5";
    /** A busy service frees up in moments: come back sooner than after an outage. */
    static final String BUSY_RETRY_AFTER_SECONDS = "1";
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
            Response.ResponseBuilder response = JsonResponses.error(api.status(), api.reason() + stored);
            if (api.retryAfterSeconds() > 0) {
                response.header(HttpHeaders.RETRY_AFTER, Integer.toString(api.retryAfterSeconds()));
            }
            return response.build();
        }
        if (failure instanceof DatabaseUnavailableException) {
            return JsonResponses.error(503, "Database unavailable, retry later" + stored)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        if (failure instanceof ServiceBusyException) {
            return JsonResponses.error(503, "Service busy, retry later" + stored)
                    .header(HttpHeaders.RETRY_AFTER, BUSY_RETRY_AFTER_SECONDS).build();
        }
        if (failure instanceof CallerLimitException limited) {
            // The caller's own share, not the service's state: others keep their answers.
            return JsonResponses.error(429, limited.getMessage() + stored)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(limited.retryAfterSeconds())).build();
        }
        if (failure instanceof MissingGrantException missing) {
            // Logged once per grant by the Database that met it; no Retry-After: an operator decides when.
            return JsonResponses.error(503, missing.getMessage() + stored).build();
        }
        if (failure instanceof StatementTimeoutException timeout) {
            return JsonResponses.error(504, timeout.getMessage() + stored).build();
        }
        if (failure instanceof ResourceExhaustedException exhausted) {
            // Logged once per cause by the Database that met it, with PostgreSQL's words (a file path).
            return JsonResponses.error(503, exhausted.getMessage() + stored)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(exhausted.retryAfterSeconds())).build();
        }
        if (failure instanceof CommitOutcomeUnknownException unknown) {
            // 502: the database's answer to COMMIT never came; not 503, which says "not stored".
            return JsonResponses.error(502, unknown.getMessage() + stored).build();
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
        return JsonResponses.error(500, "Internal error (logged as " + id + ")" + stored).build();
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

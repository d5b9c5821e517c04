package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.OpenReads;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.plan.Read;

/**
 * Runs reads for a request, conditionally (CONTRACT.md section 9). Their transaction stays open
 * while the response streams out, and closes when the request ends.
 */
final class Reads {
    private Reads() {
    }

    /**
     * The answer to reads: 304 when the request's {@code If-None-Match} holds the current tag
     * (checked on the change counts alone, before anything runs), else {@code answer} of the
     * outcomes with the tag of their snapshot.
     */
    static Response answer(BatchRunner runner, Token token, HttpServletRequest request, String identity,
                           List<Read> reads, CloseableService closer,
                           Function<List<Outcome>, Response.ResponseBuilder> answer) {
        if (reads.isEmpty()) {
            return answer.apply(List.of()).header(HttpHeaders.ETAG, EntityTags.of(token, identity, reads, Map.of())).build();
        }
        Response notModified = notModified(runner, token, request, identity, reads);
        if (notModified != null) {
            return notModified;
        }
        OpenReads open = runner.open(reads);
        closer.add(open);
        String tag = EntityTags.of(token, identity, reads, open.changes());
        return answer.apply(open.outcomes()).header(HttpHeaders.ETAG, tag).build();
    }

    /**
     * The 304 of a request whose {@code If-None-Match} holds the current tag, checked on the change
     * counts alone before anything runs; null when there is none or it is not current.
     */
    static Response notModified(BatchRunner runner, Token token, HttpServletRequest request, String identity,
                                List<Read> reads) {
        String ifNoneMatch = request.getHeader(EntityTags.IF_NONE_MATCH);
        if (ifNoneMatch == null) {
            return null;
        }
        String current = EntityTags.of(token, identity, reads, reads.isEmpty() ? Map.of() : runner.changeCounts(reads));
        return EntityTags.matches(ifNoneMatch, current)
                ? Response.notModified().header(HttpHeaders.ETAG, current).build() : null;
    }

    /** A plain GET is a batch of one read whose failure is the response's. */
    static Response one(BatchRunner runner, Token token, HttpServletRequest request, Read read, CloseableService closer,
                        Function<Outcome, Response.ResponseBuilder> answer) {
        return answer(runner, token, request, EntityTags.identity(request), List.of(read), closer, outcomes -> {
            Outcome outcome = outcomes.get(0);
            if (outcome instanceof Outcome.Failure failure) {
                throw new ApiException(failure.status(), failure.reason());
            }
            return answer.apply(outcome);
        });
    }
}

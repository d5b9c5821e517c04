package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.Departure;
import org.kernelci.batch.execute.OpenReads;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.metrics.ServiceMetrics;
import org.kernelci.batch.pipeline.ConditionalReads;
import org.kernelci.batch.pipeline.EntityTags;
import org.kernelci.batch.pipeline.StreamedRows;
import org.kernelci.batch.plan.Read;

/**
 * Runs reads for a request, conditionally (CONTRACT.md section 9) and measured (database time,
 * rows streamed). Their transaction stays open while the response streams out, and closes when
 * the request ends.
 */
final class Reads {
    private final BatchRunner runner;
    private final ServiceMetrics metrics;
    private final ClientConnections clients;
    private final ConditionalReads conditional;

    Reads(BatchRunner runner, ServiceMetrics metrics, ClientConnections clients, ConditionalReads conditional) {
        this.runner = runner;
        this.conditional = conditional;
        this.metrics = metrics;
        this.clients = clients;
    }

    /** How the reads of this request learn that its client has gone. */
    Departure departure(HttpServletRequest request) {
        return clients.of(request);
    }

    ServiceMetrics metrics() {
        return metrics;
    }

    /**
     * The answer to reads: 304 when the request's {@code If-None-Match} holds the current tag
     * (checked on the change counts alone, before anything runs), else {@code answer} of the
     * outcomes with the tag of their snapshot.
     */
    Response answer(Token token, HttpServletRequest request, String identity, List<Read> reads, CloseableService closer,
                    Function<List<Outcome>, Response.ResponseBuilder> answer) {
        MessageDigest asked = EntityTags.asked(token, identity, reads);
        if (reads.isEmpty()) {
            return tagged(request, asked, Optional.of(Map.of()), List.of(), answer.apply(List.of()));
        }
        Optional<String> current = conditional.notModified(request.getHeader(EntityTags.IF_NONE_MATCH), asked, reads);
        if (current.isPresent()) {
            return Response.notModified().header(HttpHeaders.ETAG, current.get()).build();
        }
        long start = System.nanoTime();
        OpenReads open = runner.open(token.id(), clients.of(request), reads);
        closer.add(open);
        metrics.databaseReads(System.nanoTime() - start);
        return tagged(request, asked, open.changes(), open.outcomes(), answer.apply(counted(open.outcomes())));
    }

    /**
     * An answer of reads with its tag, or a 304 when {@code If-None-Match} names that tag (or is
     * {@code *}: the answer exists); without a tag when {@link ConditionalReads#tag} makes none.
     */
    private static Response tagged(HttpServletRequest request, MessageDigest asked,
                                   Optional<Map<String, Long>> changes, List<Outcome> outcomes,
                                   Response.ResponseBuilder answer) {
        Optional<String> tag = ConditionalReads.tag(asked, changes, outcomes);
        if (tag.isEmpty()) {
            return answer.build();
        }
        if (ConditionalReads.notModified(request.getHeader(EntityTags.IF_NONE_MATCH), tag.get())) {
            return Response.notModified().header(HttpHeaders.ETAG, tag.get()).build();
        }
        return answer.header(HttpHeaders.ETAG, tag.get()).build();
    }

    /** What identifies a GET or a batch's request: its method, path and raw query string. */
    static String identity(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI() + "?" + Objects.toString(request.getQueryString(), "");
    }

    /** A plain GET is a batch of one read whose failure is the response's. */
    Response one(Token token, HttpServletRequest request, Read read, CloseableService closer,
                 Function<Outcome, Response.ResponseBuilder> answer) {
        return answer(token, request, identity(request), List.of(read), closer, outcomes -> {
            Outcome outcome = outcomes.get(0);
            if (outcome.failure().isPresent()) {
                throw new ApiException(outcome.failure().get());
            }
            return answer.apply(outcome);
        });
    }

    /**
     * A comparison's outcome, its transaction ended (its rows are all read with it): the answer
     * to a POST, which carries no tag. Its failure is the response's.
     */
    Outcome.Comparison whole(Token token, Read.Compare read) {
        long start = System.nanoTime();
        try (OpenReads open = runner.open(token.id(), Departure.NONE, List.of(read))) {
            metrics.databaseReads(System.nanoTime() - start);
            Outcome outcome = open.outcomes().get(0);
            if (outcome.failure().isPresent()) {
                throw new ApiException(outcome.failure().get());
            }
            return (Outcome.Comparison) outcome;
        }
    }

    /** The same outcomes, each document counted as it is written out. */
    List<Outcome> counted(List<Outcome> outcomes) {
        return StreamedRows.counted(metrics, outcomes);
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.Departure;
import org.kernelci.batch.execute.OpenReads;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.metrics.ServiceMetrics;
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

    Reads(BatchRunner runner, ServiceMetrics metrics, ClientConnections clients) {
        this.runner = runner;
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
            return conditional(request, asked, Optional.of(Map.of()), List.of(), answer.apply(List.of()));
        }
        Response notModified = notModified(request, asked, reads);
        if (notModified != null) {
            return notModified;
        }
        long start = System.nanoTime();
        OpenReads open = runner.open(token.id(), clients.of(request), reads);
        closer.add(open);
        metrics.databaseReads(System.nanoTime() - start);
        return conditional(request, asked, open.changes(), open.outcomes(), answer.apply(counted(open.outcomes())));
    }

    /**
     * An answer of reads with its tag, or a 304 when {@code If-None-Match} names that tag (or is
     * {@code *}: the answer exists). An answer with a failure of the service (5xx entries), or
     * whose change counts could not be read, has no tag: it is not one to keep.
     */
    Response conditional(HttpServletRequest request, MessageDigest asked, Optional<Map<String, Long>> changes,
                         List<Outcome> outcomes, Response.ResponseBuilder answer) {
        boolean failed = outcomes.stream().anyMatch(outcome -> outcome.failure()
                .filter(problem -> problem.status() >= 500).isPresent());
        if (changes.isEmpty() || failed) {
            return answer.build();
        }
        String tag = EntityTags.of(asked, changes.get());
        if (EntityTags.matches(request.getHeader(EntityTags.IF_NONE_MATCH), tag)) {
            return Response.notModified().header(HttpHeaders.ETAG, tag).build();
        }
        return answer.header(HttpHeaders.ETAG, tag).build();
    }

    /**
     * The 304 of a request whose {@code If-None-Match} holds the current tag, checked on the change
     * counts alone before anything runs; null when there is none or it is not current.
     */
    Response notModified(HttpServletRequest request, MessageDigest asked, List<Read> reads) {
        String current = currentTag(request.getHeader(EntityTags.IF_NONE_MATCH), asked, reads);
        return current == null ? null : Response.notModified().header(HttpHeaders.ETAG, current).build();
    }

    /**
     * The current tag of what was asked when {@code ifNoneMatch} names it, from the change counts
     * alone; else (no header, {@code *}, another tag) null.
     */
    String currentTag(String ifNoneMatch, MessageDigest asked, List<Read> reads) {
        // "*" asks whether the answer exists: known only once it has run.
        if (ifNoneMatch == null || ifNoneMatch.strip().equals("*")) {
            return null;
        }
        return matching(ifNoneMatch, EntityTags.of(asked, reads.isEmpty() ? Map.of() : runner.changeCounts(reads)));
    }

    /** The same, for reads of these tables, with every table's change counts already read ({@link #latestChanges}). */
    String currentTag(String ifNoneMatch, MessageDigest asked, List<String> tables, Map<String, Long> allChanges) {
        return matching(ifNoneMatch, EntityTags.of(asked, BatchRunner.ofTables(allChanges, tables)));
    }

    private static String matching(String ifNoneMatch, String current) {
        return EntityTags.matches(ifNoneMatch, current) ? current : null;
    }

    /** Every table's change counts as of a moment after this call began, without waiting for them. */
    CompletableFuture<Map<String, Long>> latestChanges() {
        return runner.latestChanges();
    }

    /** A plain GET is a batch of one read whose failure is the response's. */
    Response one(Token token, HttpServletRequest request, Read read, CloseableService closer,
                 Function<Outcome, Response.ResponseBuilder> answer) {
        return answer(token, request, EntityTags.identity(request), List.of(read), closer, outcomes -> {
            Outcome outcome = outcomes.get(0);
            if (outcome.failure().isPresent()) {
                throw outcome.failure().get().exception();
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
                throw outcome.failure().get().exception();
            }
            return (Outcome.Comparison) outcome;
        }
    }

    /** The same outcomes, each document counted as it is written out. */
    List<Outcome> counted(List<Outcome> outcomes) {
        List<Outcome> counted = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            counted.add(outcome instanceof Outcome.Documents documents ? counted(documents) : outcome);
        }
        return counted;
    }

    private Outcome.Documents counted(Outcome.Documents documents) {
        Iterable<Object[]> rows = () -> {
            Iterator<Object[]> iterator = documents.rows().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public Object[] next() {
                    Object[] row = iterator.next();
                    metrics.rowStreamed();
                    return row;
                }
            };
        };
        return new Outcome.Documents(documents.count(), documents.limit(), documents.skip(), documents.projection(),
                documents.shape(), rows);
    }
}

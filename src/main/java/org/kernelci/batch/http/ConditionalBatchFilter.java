package org.kernelci.batch.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.metrics.ServiceMetrics;
import org.kernelci.batch.pipeline.ConditionalReads;
import org.kernelci.batch.pipeline.EntityTags;
import org.kernelci.batch.pipeline.RecentBatches;

/**
 * Answers a conditional {@code POST /batch} of a kept batch ({@link RecentBatches}) whose tag is
 * still current with its 304 before the request reaches Jersey: what is left of such a 304 is the
 * token, the body, the change counts and the tag, and Jersey's own work (routing, injection,
 * filters) was most of it. Such a request waits for its change counts asynchronously, holding no
 * thread (the counts' reading thread answers it). Any other request, and any doubt (a bad token,
 * a batch not kept, a tag not current, a failure), passes on to Jersey with its body replayed,
 * and is answered there as if this filter did not exist; so does every request when the chain is
 * not async-supported. Declared in {@code webapp/WEB-INF/web.xml} on {@link #PATHS}, with the
 * servlet and the other filter async-supported; the application it serves publishes its parts
 * into the servlet context when Jersey starts it.
 */
public final class ConditionalBatchFilter implements Filter {
    /** The paths of the JSON batch dialects. */
    public static final List<String> PATHS = List.of("/batch", "/_api/batch");
    private static final String ATTRIBUTE = ConditionalBatchFilter.class.getName();
    private static final String TRIED = ATTRIBUTE + ".tried";

    /** What the filter needs of the application it stands in front of. */
    record Answers(Access access, RecentBatches recent, ConditionalReads conditional, ServiceMetrics metrics,
                   int maxBodyBytes) {
        void publish(ServletContext context) {
            context.setAttribute(ATTRIBUTE, this);
        }

        void withdraw(ServletContext context) {
            context.removeAttribute(ATTRIBUTE);
        }

        /** Whether the request may be a kept batch's conditional request; its body is not read yet. */
        boolean candidate(HttpServletRequest request) {
            String ifNoneMatch = request.getHeader(EntityTags.IF_NONE_MATCH);
            long length = request.getContentLengthLong();
            // "*" is answered only once the reads ran; a compressed body is Jersey's to inflate.
            return request.getMethod().equals("POST") && ifNoneMatch != null && !ifNoneMatch.strip().equals("*")
                    && MediaTypes.is(request.getContentType(), MediaTypes.JSON)
                    && request.getHeader(HttpHeaders.CONTENT_ENCODING) == null
                    && length >= 0 && length <= maxBodyBytes;
        }

        /**
         * The kept batch of this caller's that the body is, when it only reads; else null, and
         * null on any doubt (the database down: Jersey answers that its way).
         */
        RecentBatches.Planned kept(HttpServletRequest request, byte[] body, Token token) {
            try {
                RecentBatches.Planned planned = recent.get(Reads.identity(request), body, token);
                return planned == null || planned.allowed() == null ? null : planned;
            } catch (RuntimeException doubt) {
                return null;
            }
        }

        /** Writes the 304 when the kept batch's tag, with these change counts, is current; else false. */
        boolean notModified(HttpServletRequest request, HttpServletResponse response, RecentBatches.Planned planned,
                            Map<String, Long> allChanges, long started) {
            Optional<String> tag = conditional.notModified(request.getHeader(EntityTags.IF_NONE_MATCH), planned.asked(),
                    planned.tables(), allChanges);
            if (tag.isEmpty()) {
                return false;
            }
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            response.setHeader(HttpHeaders.ETAG, tag.get());
            response.setHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            metrics.batch(planned.operations().size());
            metrics.keptBatchAnswered();
            metrics.request(request.getMethod(), request.getServletPath() + Objects.toString(request.getPathInfo(), ""),
                    HttpServletResponse.SC_NOT_MODIFIED, System.nanoTime() - started);
            return true;
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        // Once per request: it is mapped to the ASYNC dispatch too (RequestBodies dispatches the
        // bodies it read), and sees its own dispatch to Jersey again there.
        if (!(http.getServletContext().getAttribute(ATTRIBUTE) instanceof Answers answers) || http.getAttribute(TRIED) != null
                || !answers.candidate(http) || !http.isAsyncSupported()) {
            chain.doFilter(request, response);
            return;
        }
        http.setAttribute(TRIED, Boolean.TRUE);
        long started = System.nanoTime();
        Token token;
        try {
            token = answers.access().batchCaller(http);
        } catch (RuntimeException doubt) {
            // A bad token, whose body is not read (Jersey answers the 403), or the database down.
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try {
            body = http.getInputStream().readNBytes((int) http.getContentLengthLong());
        } catch (RuntimeException refused) {
            // The body RequestBodies refused (it came too slowly): Jersey answers that in its order.
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest replayed = RequestBodies.replayed(http, body);
        RecentBatches.Planned planned = answers.kept(http, body, token);
        if (planned == null) {
            chain.doFilter(replayed, response);
            return;
        }
        // The request waits for its change counts without its thread; the thread that read them
        // writes the 304, or sends the request on to Jersey (the body replayed) when the tag is
        // not current or the counts failed (the database, say: Jersey answers that its way).
        AsyncContext async = http.startAsync(replayed, response);
        async.setTimeout(0); // as long as a request answered by Jersey would wait for its counts
        answers.conditional().latestChanges().whenComplete((allChanges, failure) -> {
            boolean answered;
            try {
                answered = failure == null && answers.notModified(replayed, (HttpServletResponse) async.getResponse(),
                        planned, allChanges, started);
            } catch (RuntimeException e) {
                answered = false;
            }
            if (answered) {
                async.complete();
            } else {
                async.dispatch();
            }
        });
    }
}

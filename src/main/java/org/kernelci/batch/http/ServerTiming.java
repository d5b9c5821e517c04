package org.kernelci.batch.http;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code Server-Timing} header of {@code POST /batch} answers, for portal developers:
 * {@code parse} (from the request's arrival to a planned batch: token, body, parsing, planning),
 * {@code db} (the batch's reads in the database: one round trip, up to the first rows) and
 * {@code render} (writing the whole body, which {@link WholeAnswers} holds before anything is
 * sent: rows fetched from cursors and gzip count here, the client's reading does not).
 * Durations are in milliseconds.
 */
@Provider
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
final class ServerTiming implements ContainerRequestFilter, WriterInterceptor {
    static final String HEADER = "Server-Timing";
    static final String PARSE = "parse";
    static final String DATABASE = "db";
    static final String RENDER = "render";
    private static final String ATTRIBUTE = ServerTiming.class.getName();

    /** The phases a resource ended so far, with their durations. */
    static final class Marks {
        private final Map<String, Long> nanos = new LinkedHashMap<>();
        private long last = System.nanoTime();

        /** Ends the phase that began when the previous one ended. */
        synchronized void end(String phase) {
            long now = System.nanoTime();
            nanos.put(phase, now - last);
            last = now;
        }

        synchronized boolean isEmpty() {
            return nanos.isEmpty();
        }

        synchronized String header() {
            StringJoiner header = new StringJoiner(", ");
            nanos.forEach((phase, duration) ->
                    header.add(String.format(Locale.ROOT, "%s;dur=%.3f", phase, duration / 1e6)));
            return header.toString();
        }
    }

    /** The marks of this request, begun when it arrived. */
    static Marks marks(HttpServletRequest request) {
        Object marks = request.getAttribute(ATTRIBUTE);
        if (marks instanceof Marks found) {
            return found;
        }
        Marks started = new Marks();
        request.setAttribute(ATTRIBUTE, started);
        return started;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(ATTRIBUTE, new Marks());
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        context.proceed();
        if (context.getProperty(ATTRIBUTE) instanceof Marks marks && !marks.isEmpty()) {
            marks.end(RENDER);
            context.getHeaders().putSingle(HEADER, marks.header());
        }
    }
}

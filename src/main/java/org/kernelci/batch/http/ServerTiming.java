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
import org.kernelci.batch.pipeline.Stage;
import org.kernelci.batch.pipeline.StageTimes;

/**
 * The {@code Server-Timing} header of {@code POST /batch} answers, for portal developers:
 * the batch pipeline's {@link StageTimes}, in the entries {@link Stage#entry} names: {@code parse}
 * (from the request's arrival to a planned batch: token, body, parsing, planning), {@code db}
 * (authorising and running the batch: one round trip for reads, up to the first rows) and
 * {@code render} (writing the whole body, which {@link WholeAnswers} holds before anything is
 * sent: rows fetched from cursors and gzip count here, the client's reading does not).
 * Durations are in milliseconds.
 */
@Provider
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
final class ServerTiming implements ContainerRequestFilter, WriterInterceptor {
    static final String HEADER = "Server-Timing";
    private static final String ATTRIBUTE = ServerTiming.class.getName();

    /** The stage times of this request, begun when it arrived. */
    static StageTimes times(HttpServletRequest request) {
        Object times = request.getAttribute(ATTRIBUTE);
        if (times instanceof StageTimes found) {
            return found;
        }
        StageTimes started = new StageTimes();
        request.setAttribute(ATTRIBUTE, started);
        return started;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(ATTRIBUTE, new StageTimes());
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        context.proceed();
        if (context.getProperty(ATTRIBUTE) instanceof StageTimes times && !times.isEmpty()) {
            times.end(Stage.RENDER);
            context.getHeaders().putSingle(HEADER, times.header());
        }
    }
}

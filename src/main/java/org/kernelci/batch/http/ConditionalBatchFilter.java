package org.kernelci.batch.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.metrics.ServiceMetrics;

/**
 * Answers a conditional {@code POST /batch} of a kept batch ({@link RecentBatches}) whose tag is
 * still current with its 304 before the request reaches Jersey: what is left of such a 304 is the
 * token, the body, the change counts and the tag, and Jersey's own work (routing, injection,
 * filters) was most of it. Any other request, and any doubt (a bad token, a batch not kept, a tag
 * not current, a failure), passes on to Jersey with its body replayed, and is answered there as
 * if this filter did not exist. Declared in {@code webapp/WEB-INF/web.xml} on {@link #PATHS}; the
 * application it serves publishes its parts into the servlet context when Jersey starts it.
 */
public final class ConditionalBatchFilter implements Filter {
    /** The paths of the JSON batch dialects. */
    public static final List<String> PATHS = List.of("/batch", "/_api/batch");
    private static final String ATTRIBUTE = ConditionalBatchFilter.class.getName();

    /** What the filter needs of the application it stands in front of. */
    record Answers(Access access, RecentBatches recent, Reads reads, int maxBodyBytes) {
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

        /** Writes the 304 when the body is a kept batch of this caller's and its tag is current. */
        boolean answered(HttpServletRequest request, byte[] body, HttpServletResponse response, long started) {
            Token token;
            try {
                token = access.batchCaller(request);
            } catch (ApiException refused) {
                return false;
            }
            RecentBatches.Planned planned = recent.get(EntityTags.identity(request), body, token);
            if (planned == null || planned.allowed() == null) {
                return false;
            }
            String tag = reads.currentTag(request.getHeader(EntityTags.IF_NONE_MATCH), planned.asked(),
                    planned.allowed());
            if (tag == null) {
                return false;
            }
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            response.setHeader(HttpHeaders.ETAG, tag);
            response.setHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            ServiceMetrics metrics = reads.metrics();
            metrics.batch(planned.batch().operations().size());
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
        if (!(http.getServletContext().getAttribute(ATTRIBUTE) instanceof Answers answers) || !answers.candidate(http)) {
            chain.doFilter(request, response);
            return;
        }
        long started = System.nanoTime();
        byte[] body = http.getInputStream().readNBytes((int) http.getContentLengthLong());
        boolean answered;
        try {
            answered = answers.answered(http, body, (HttpServletResponse) response, started);
        } catch (RuntimeException failure) {
            answered = false; // the database, say: Jersey runs the request again and answers the failure its way
        }
        if (!answered) {
            chain.doFilter(new ReplayedBody(http, body), response);
        }
    }

    /** The request with its body, already read, to be read again. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("The body was read already");
                }

                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return bytes.read(buffer, offset, length);
                }
            };
        }
    }
}

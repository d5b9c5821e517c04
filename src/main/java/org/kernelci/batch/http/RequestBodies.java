package org.kernelci.batch.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
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
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.render.ArangoParts;

/**
 * Reads request bodies without a thread waiting on the client (issue 33): a client that sends its
 * body slowly, or never, holds a connection, not one of the container's worker threads.
 *
 * <p>A request with a body is first judged by its head alone: without a valid credential (a
 * token, or the container's signed-in user; an importer's for {@code /import}), with a
 * {@code Content-Type} no route reads, or with a {@code Content-Length} past what any route reads,
 * its body is never read. Otherwise the body is read with the Servlet's non-blocking I/O into
 * memory, bounded in size and in time (the whole body within {@code KCI_BODY_TIMEOUT_MS}). Either
 * way the request then goes on to Jersey (an asynchronous dispatch) with the body held, or with a
 * body whose first read throws the refusal (403, 413, 415, or 408 when time ran out): the
 * resources' own checks keep their order (a 404 or a 403 still comes before a 413), and a refusal
 * is answered with {@code Connection: close}, which, after an asynchronous cycle, makes Tomcat and
 * Jetty close the connection rather than read ("swallow") the rest of the body on a worker thread.
 *
 * <p>Dumps to {@code /import} are streamed, never held: an importer's (admin) body is read by the
 * import as it comes. Declared in {@code webapp/WEB-INF/web.xml} for the REQUEST and ASYNC
 * dispatches; the application publishes its {@link Gate} into the servlet context when Jersey
 * starts it, and until then (or when the chain is not async-supported) requests pass as they are.
 */
public final class RequestBodies implements Filter {
    /**
     * {@code POST /batch} reads its body up to this many times its limit, so that its checks of
     * the JSON come before its size's (CONTRACT.md section 4).
     */
    static final int BATCH_READ_AHEAD = 8;
    private static final String ATTRIBUTE = RequestBodies.class.getName();
    /** The request attribute that carries the held body from the reading to the dispatch. */
    private static final String HELD = ATTRIBUTE + ".held";
    private static final String IMPORT_PATH = "/import/";
    private static final int CHUNK = 8192;

    /** What the filter needs of the application: who may send a body, and how much, how fast. */
    record Gate(Access access, int maxBodyBytes, Duration timeout) {
        void publish(ServletContext context) {
            context.setAttribute(ATTRIBUTE, this);
        }

        void withdraw(ServletContext context) {
            context.removeAttribute(ATTRIBUTE);
        }

        /**
         * The most bytes held: what {@code POST /batch} reads before its checks of the JSON, which
         * come before its size's (CONTRACT.md section 4); every other route reads less.
         */
        long cap() {
            return (long) maxBodyBytes * BATCH_READ_AHEAD;
        }

        /** Why the body is not worth reading, from the request's head; null when it is. */
        RuntimeException refusal(HttpServletRequest request) {
            try {
                access.batchCaller(request);
            } catch (RuntimeException refused) {
                return refused; // a 403, or the 503 of a database that does not answer: the resource's own
            }
            String type = request.getContentType();
            if (type != null && !MediaTypes.is(type, MediaTypes.JSON)
                    && !MediaTypes.is(type, ArangoParts.MEDIA_TYPE)) {
                return ApiException.wrongContentType(MediaTypes.JSON);
            }
            if (request.getContentLengthLong() > cap()) {
                return tooLarge();
            }
            return null;
        }

        ApiException tooLarge() {
            return ApiException.tooLarge(maxBodyBytes);
        }

        ApiException tooSlow() {
            return new ApiException(408, "Request body not received within " + timeout.toMillis()
                    + " ms: send the whole body at once");
        }
    }

    /**
     * A resource's JSON body, read whole: another Content-Type is a 415, a body past
     * {@code maxBytes} a 413; the checks every resource that reads JSON makes, in this order.
     */
    static byte[] json(HttpServletRequest request, InputStream body, int maxBytes) throws IOException {
        if (!MediaTypes.is(request.getContentType(), MediaTypes.JSON)) {
            throw ApiException.wrongContentType(MediaTypes.JSON);
        }
        return read(body, maxBytes, maxBytes);
    }

    /** A body read up to {@code readUpTo} bytes, whole; a longer one is a 413 naming the limit, {@code maxBytes}. */
    static byte[] read(InputStream body, long readUpTo, int maxBytes) throws IOException {
        byte[] bytes = body.readNBytes((int) Math.min(readUpTo + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > readUpTo) {
            throw ApiException.tooLarge(maxBytes);
        }
        return bytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (http.getDispatcherType() == DispatcherType.ASYNC && http.getAttribute(HELD) instanceof Held held) {
            chain.doFilter(new HeldBody(http, held), response);
            return;
        }
        if (http.getDispatcherType() != DispatcherType.REQUEST || !hasBody(http) || !http.isAsyncSupported()
                || !(http.getServletContext().getAttribute(ATTRIBUTE) instanceof Gate gate)) {
            chain.doFilter(request, response);
            return;
        }
        if (isImport(http)) {
            RuntimeException refused = importRefusal(gate, http);
            if (refused == null) {
                chain.doFilter(request, response);
            } else {
                dispatch(http, (HttpServletResponse) response, http.startAsync(http, response), Held.refused(refused));
            }
            return;
        }
        RuntimeException refused = gate.refusal(http);
        AsyncContext async = http.startAsync(http, response);
        if (refused != null) {
            dispatch(http, (HttpServletResponse) response, async, Held.refused(refused));
            return;
        }
        new Reading(gate, http, (HttpServletResponse) response, async).start();
    }

    /** A body announced by its length, or chunked. */
    private static boolean hasBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
    }

    private static boolean isImport(HttpServletRequest request) {
        String path = request.getServletPath() + Objects.toString(request.getPathInfo(), "");
        return path.startsWith(IMPORT_PATH);
    }

    /** An import's body is read by the import, as it comes: only an importer may send one. */
    private static RuntimeException importRefusal(Gate gate, HttpServletRequest request) {
        try {
            gate.access().importer(request);
            return null;
        } catch (RuntimeException refused) {
            return refused;
        }
    }

    /**
     * Sends the request on to Jersey with what was held. A refusal closes the connection: the
     * rest of the body, unread, is not worth a thread.
     */
    private static void dispatch(HttpServletRequest request, HttpServletResponse response, AsyncContext async, Held held) {
        if (held.refusal() != null) {
            response.setHeader("Connection", "close");
        }
        request.setAttribute(HELD, held);
        async.dispatch();
    }

    /** The request with its body, already read (by {@link ConditionalBatchFilter}), to be read again. */
    static HttpServletRequest replayed(HttpServletRequest request, byte[] body) {
        return new HeldBody(request, new Held(body, body.length, null));
    }

    /** The body's bytes, or the refusal its first read throws. */
    private record Held(byte[] bytes, int length, RuntimeException refusal) {
        static Held refused(RuntimeException refusal) {
            return new Held(new byte[0], 0, refusal);
        }
    }

    /** One body read without blocking, until it is whole, too large, or too late. */
    private static final class Reading implements ReadListener, AsyncListener {
        private final Gate gate;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        private final AtomicBoolean settled = new AtomicBoolean();
        private final ByteArrayOutputStream body;
        private final byte[] chunk = new byte[CHUNK];
        private ServletInputStream input;

        Reading(Gate gate, HttpServletRequest request, HttpServletResponse response, AsyncContext async) {
            this.gate = gate;
            this.request = request;
            this.response = response;
            this.async = async;
            long length = request.getContentLengthLong();
            this.body = new ByteArrayOutputStream((int) Math.min(length > 0 ? length : CHUNK, 64 * 1024));
        }

        void start() throws IOException {
            async.setTimeout(gate.timeout().toMillis());
            async.addListener(this);
            input = request.getInputStream();
            input.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!settled.get() && input.isReady()) {
                int read = input.read(chunk);
                if (read < 0) {
                    return; // onAllDataRead follows
                }
                body.write(chunk, 0, read);
                if (body.size() > gate.cap()) {
                    settle(Held.refused(gate.tooLarge()));
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            settle(new Held(body.toByteArray(), body.size(), null));
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away or broke the stream: nobody is left to answer; end the cycle.
            if (settled.compareAndSet(false, true)) {
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            settle(Held.refused(gate.tooSlow()));
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void settle(Held held) {
            if (settled.compareAndSet(false, true)) {
                dispatch(request, response, async, held);
            }
        }
    }

    /** The request with its body held: read from memory, or refused at the first read. */
    private static final class HeldBody extends HttpServletRequestWrapper {
        private final Held held;

        HeldBody(HttpServletRequest request, Held held) {
            super(request);
            this.held = held;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(held.bytes(), 0, held.length());
            RuntimeException refusal = held.refusal();
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return refusal == null && bytes.available() == 0;
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
                public int available() {
                    // A refused body has bytes on the wire: a reader that asks first reads, and meets the refusal.
                    return refusal == null ? bytes.available() : 1;
                }

                @Override
                public int read() {
                    if (refusal != null) {
                        throw refusal;
                    }
                    return bytes.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    if (refusal != null) {
                        throw refusal;
                    }
                    return bytes.read(buffer, offset, length);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }
    }
}

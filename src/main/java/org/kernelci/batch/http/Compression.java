package org.kernelci.batch.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * gzip for every response whose client accepts it and whose body is not tiny (CONTRACT.md
 * section 3): kernelci-frontend's server parses a backend's answer only when it comes gzipped.
 * The body is held back until it reaches {@link #MIN_SIZE} bytes, then the {@code
 * Content-Encoding} header is set and the rest goes through the compressor into the answer
 * {@link WholeAnswers} holds; every response carries {@code Vary: Accept-Encoding}.
 */
@Provider
@Priority(Priorities.ENTITY_CODER)
public final class Compression implements ContainerResponseFilter, WriterInterceptor {
    /** Bodies shorter than this go out as they are, as the original's server sent them. */
    static final int MIN_SIZE = 5;
    private static final String ACCEPTS_GZIP = Compression.class.getName() + ".gzip";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        if (acceptsGzip(request.getHeaderString(HttpHeaders.ACCEPT_ENCODING))) {
            request.setProperty(ACCEPTS_GZIP, Boolean.TRUE);
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (context.getProperty(ACCEPTS_GZIP) == null) {
            context.proceed();
            return;
        }
        DeferredGzip deferred = new DeferredGzip(context.getOutputStream(), context.getHeaders());
        context.setOutputStream(deferred);
        context.proceed();
        deferred.finish();
    }

    /** Whether an Accept-Encoding header admits gzip (q-values respected, {@code *} included). */
    static boolean acceptsGzip(String header) {
        if (header == null) {
            return false;
        }
        Float gzip = null;
        Float any = null;
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            if (pieces.length == 0) {
                continue;
            }
            String coding = pieces[0].strip().toLowerCase(Locale.ROOT);
            float quality = 1f;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    quality = quality(parameter.substring(2));
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = quality;
            } else if (coding.equals("*")) {
                any = quality;
            }
        }
        float chosen = gzip != null ? gzip : any != null ? any : 0f;
        return chosen > 0f;
    }

    /**
     * An HTTP q-value ({@code 0} to {@code 1}, at most three decimals, RFC 9110 section 12.4.2);
     * anything else (NaN, exponents, hex) refuses the coding.
     */
    private static float quality(String text) {
        String value = text.strip();
        if (!value.matches("(0(\\.[0-9]{0,3})?|1(\\.0{0,3})?)")) {
            return 0f;
        }
        return Float.parseFloat(value);
    }

    /** Holds the first bytes back; switches to gzip once the body is worth compressing. */
    static final class DeferredGzip extends OutputStream {
        private final OutputStream target;
        private final MultivaluedMap<String, Object> headers;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream(MIN_SIZE);
        private Gzip gzip;
        private boolean finished;

        DeferredGzip(OutputStream target, MultivaluedMap<String, Object> headers) {
            this.target = target;
            this.headers = headers;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (gzip != null) {
                gzip.write(bytes, offset, length);
                return;
            }
            head.write(bytes, offset, length);
            if (head.size() >= MIN_SIZE) {
                headers.putSingle(HttpHeaders.CONTENT_ENCODING, "gzip");
                gzip = new Gzip(target);
                head.writeTo(gzip);
            }
        }

        @Override
        public void close() throws IOException {
            finish();
        }

        /** Ends the body: the compressor's last bytes, or the few bytes held back. */
        void finish() throws IOException {
            if (finished) {
                return;
            }
            finished = true;
            if (gzip != null) {
                gzip.end();
            } else {
                head.writeTo(target);
            }
        }
    }

    /**
     * gzip that lets its compressor's native memory go as soon as the body ends (most answers are
     * small and many: the collector would free it late), without closing the stream it writes to.
     */
    private static final class Gzip extends GZIPOutputStream {
        Gzip(OutputStream target) throws IOException {
            super(target, 8192);
        }

        void end() throws IOException {
            finish();
            def.end();
        }
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.internal.util.collection.Ref;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.internal.ContainerUtils;
import org.glassfish.jersey.server.spi.AbstractContainerLifecycleListener;
import org.glassfish.jersey.server.spi.Container;
import org.kernelci.batch.parse.ArangoEnvelope;
import org.kernelci.batch.render.ArangoParts;

/**
 * Sends a batch part's request through this application itself, as if it had come alone: every
 * route, filter and the error mapper answer it, so that a route the shared operation model does
 * not express ({@code /version}, {@code /token}, an unknown one) answers exactly its plain
 * answer. What the part cannot choose comes from the envelope: the caller's address, its token
 * ({@code Authorization} is the envelope's, the part's own is dropped), and no compression (the
 * envelope is compressed as a whole).
 *
 * <p>The one in-process dispatch of the service, and only for ArangoDB parts that the shared
 * model does not run ({@link ArangoBatch} routes the others through the planner and executor).
 * It goes through Jersey's server API ({@link ApplicationHandler#apply} with a
 * {@link ContainerRequest} over a {@link PartRequest}) rather than the servlet container's
 * dispatcher: a {@code RequestDispatcher} cannot run a request within a response that is still
 * being built, nor hand back the answer's status, headers and bytes for a part. Jersey's
 * {@code ContainerUtils.encodeUnsafeCharacters} builds the part's URI as Jersey's servlet
 * container builds a plain request's, so the two route the same.
 */
final class InProcessRequests extends AbstractContainerLifecycleListener {
    /** Marks a part's request, so that a batch inside a batch is refused whatever its spelling. */
    static final String PART = InProcessRequests.class.getName() + ".part";
    private static final Type REQUEST = new GenericType<Ref<HttpServletRequest>>() { }.getType();
    /** Headers of the part that the envelope decides, or that describe the part's framing. */
    private static final Set<String> ENVELOPE_HEADERS = Set.of("authorization", Access.APPERY_TOKEN.toLowerCase(Locale.ROOT),
            Access.FORWARDED_FOR.toLowerCase(Locale.ROOT), "accept-encoding", "content-length", "host", "connection");
    /** Headers of an answer that framing or compression set, not the resource. */
    private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding", "content-encoding");

    private volatile ApplicationHandler application;

    @Override
    public void onStartup(Container container) {
        application = container.getApplicationHandler();
    }

    @Override
    public void onReload(Container container) {
        application = container.getApplicationHandler();
    }

    /**
     * The plain answer to a part's request.
     *
     * @param envelope the batch request, whose address, token and host the part takes
     * @param baseUri  the application's base URI, which the part's target is resolved against
     * @param path     the part's path, with its leading {@code /}, as sent
     * @param query    the raw query, or null
     * @param token    the envelope's token as sent (its {@code Authorization} or Appery header)
     * @param held     the bytes answers may still hold; an answer past them is cut off (413)
     */
    ArangoParts.Answer send(HttpServletRequest envelope, URI baseUri, SecurityContext security, ArangoEnvelope.Part part,
                            String path, String query, String token, HeldBytes held) {
        // As Jersey's servlet container builds it: characters a URI may not hold in a query ('|', '{'...) encoded;
        // the resources read the query as sent, from the servlet request.
        URI requestUri = URI.create(baseUri.toString().replaceAll("/$", "") + path
                + (query == null ? "" : "?" + ContainerUtils.encodeUnsafeCharacters(query)));
        ContainerRequest request = new ContainerRequest(baseUri, requestUri, part.method(), security,
                new MapPropertiesDelegate(), application.getConfiguration());
        PartRequest servlet = new PartRequest(envelope, part, path, query, token);
        for (String name : servlet.headerNames()) {
            request.getHeaders().put(name, Collections.list(servlet.getHeaders(name)));
        }
        request.setEntityStream(new ByteArrayInputStream(part.body()));
        request.setRequestScopedInitializer(injection ->
                injection.<Ref<HttpServletRequest>>getInstance(REQUEST).set(servlet));
        HeldBytes.Stream body = held.stream();
        ContainerResponse response;
        try {
            response = application.apply(request, body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a batch part ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A batch part failed outside the error mapper", e.getCause());
        }
        if (body.overflowed()) {
            return ArangoParts.Answer.error(part.contentId(), 413, "The answer to this part is larger than the "
                    + held.limit() + " bytes a batch holds for the answers outside its shared model: send it alone");
        }
        List<ArangoEnvelope.Header> headers = new ArrayList<>();
        response.getStringHeaders().forEach((name, values) -> {
            if (!FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> headers.add(new ArangoEnvelope.Header(name, value)));
            }
        });
        return new ArangoParts.Answer(part.contentId(), response.getStatus(), headers, body.bytes());
    }

    /** The bytes the in-process answers of one batch may hold in all. */
    static final class HeldBytes {
        private final long limit;
        private long remaining;

        HeldBytes(long limit) {
            this.limit = limit;
            this.remaining = limit;
        }

        long limit() {
            return limit;
        }

        Stream stream() {
            return new Stream();
        }

        /** Keeps what is written while the batch's bytes last, then only notes that more came. */
        final class Stream extends OutputStream {
            private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            private boolean overflowed;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (overflowed) {
                    return;
                }
                if (length > remaining) {
                    overflowed = true;
                    remaining += kept.size();
                    kept.reset();
                    return;
                }
                remaining -= length;
                kept.write(bytes, offset, length);
            }

            boolean overflowed() {
                return overflowed;
            }

            byte[] bytes() {
                return kept.toByteArray();
            }
        }
    }

    /**
     * The servlet request the resources see for a part: the part's method, target, headers and
     * body over the envelope's connection (its address, scheme and context).
     */
    private static final class PartRequest extends HttpServletRequestWrapper {
        private final ArangoEnvelope.Part part;
        private final String path;
        private final String query;
        private final Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final Map<String, Object> attributes = new HashMap<>();
        private final ByteArrayInputStream body;

        PartRequest(HttpServletRequest envelope, ArangoEnvelope.Part part, String path, String query, String token) {
            super(envelope);
            this.part = part;
            this.path = path;
            this.query = query;
            this.body = new ByteArrayInputStream(part.body());
            for (ArangoEnvelope.Header header : part.headers()) {
                if (!ENVELOPE_HEADERS.contains(header.name().toLowerCase(Locale.ROOT))) {
                    headers.computeIfAbsent(header.name(), name -> new ArrayList<>()).add(header.value());
                }
            }
            if (token != null) {
                headers.put(HttpHeaders.AUTHORIZATION, List.of(token));
            }
            List<String> forwarded = Collections.list(envelope.getHeaders(Access.FORWARDED_FOR));
            if (!forwarded.isEmpty()) {
                headers.put(Access.FORWARDED_FOR, forwarded);
            }
            if (envelope.getHeader(HttpHeaders.HOST) != null) {
                headers.put(HttpHeaders.HOST, List.of(envelope.getHeader(HttpHeaders.HOST)));
            }
            if (part.body().length > 0 || headers.containsKey(HttpHeaders.CONTENT_TYPE)) {
                headers.put(HttpHeaders.CONTENT_LENGTH, List.of(Integer.toString(part.body().length)));
            }
            // As the servlet filter MalformedMediaTypes does for a request that comes alone.
            if (!MalformedMediaTypes.isMediaType(getHeader(HttpHeaders.CONTENT_TYPE))) {
                headers.remove(HttpHeaders.CONTENT_TYPE);
            }
            List<String> accept = headers.getOrDefault(HttpHeaders.ACCEPT, List.of());
            if (accept.stream().anyMatch(value -> !MalformedMediaTypes.isAccept(value))) {
                headers.remove(HttpHeaders.ACCEPT);
            }
            attributes.put(PART, Boolean.TRUE);
        }

        Set<String> headerNames() {
            return new LinkedHashSet<>(headers.keySet());
        }

        @Override
        public String getMethod() {
            return part.method();
        }

        @Override
        public String getRequestURI() {
            return getContextPath() + path;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = new StringBuffer(getScheme()).append("://").append(getServerName());
            url.append(':').append(getServerPort()).append(getRequestURI());
            return url;
        }

        @Override
        public String getQueryString() {
            return query;
        }

        @Override
        public String getHeader(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return Collections.enumeration(headers.getOrDefault(name, List.of()));
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(headerNames());
        }

        @Override
        public int getIntHeader(String name) {
            String value = getHeader(name);
            return value == null ? -1 : Integer.parseInt(value);
        }

        @Override
        public long getDateHeader(String name) {
            return -1;
        }

        @Override
        public String getContentType() {
            return getHeader(HttpHeaders.CONTENT_TYPE);
        }

        @Override
        public int getContentLength() {
            return part.body().length;
        }

        @Override
        public long getContentLengthLong() {
            return part.body().length;
        }

        @Override
        public String getCharacterEncoding() {
            return null;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return body.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("A batch part's body is read at once");
                }

                @Override
                public int read() {
                    return body.read();
                }

                @Override
                public int read(byte[] bytes, int offset, int length) {
                    return body.read(bytes, offset, length);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.enumeration(attributes.keySet());
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }
    }
}

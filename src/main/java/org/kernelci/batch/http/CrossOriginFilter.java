package org.kernelci.batch.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.kernelci.batch.pipeline.EntityTags;
import org.kernelci.batch.render.JsonOutput;
import org.kernelci.batch.schema.Collection;

/**
 * CORS for the API's routes, for the pages of the listed origins ({@link CrossOrigins}): a preflight
 * is answered here, 204 with the methods the route takes, or 403 naming what it asked that the
 * route does not take; every other answer to a listed origin carries the CORS headers, 304s and
 * errors included. A request from an unlisted origin, or with no {@code Origin}, passes as if this
 * filter did not exist; one whose {@code Origin} is no origin is refused. The dashboard's files
 * take no CORS. The service's own filter rather than a container's (Tomcat's {@code CorsFilter}
 * exists only in Tomcat): the same answers in Tomcat, Jetty, the run command and any Servlet 6
 * container. Declared in {@code webapp/WEB-INF/web.xml} before {@link ConditionalBatchFilter},
 * whose 304s need the headers too.
 */
public final class CrossOriginFilter implements Filter {
    static final String ORIGIN = "Origin";
    static final String REQUEST_METHOD = "Access-Control-Request-Method";
    static final String REQUEST_HEADERS = "Access-Control-Request-Headers";
    /**
     * The request headers the API reads; Accept too, which browsers ask for when its value is not
     * one they send cross-origin unasked.
     */
    static final List<String> ALLOWED_HEADERS = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.CONTENT_ENCODING, EntityTags.IF_NONE_MATCH, Access.APPERY_TOKEN, HttpHeaders.ACCEPT,
            IdempotentAnswers.KEY_HEADER);
    /** The answer headers a client reads, beside the ones browsers show cross-origin unasked. */
    static final List<String> EXPOSED_HEADERS = List.of(HttpHeaders.ETAG, ServerTiming.HEADER,
            CollectionResource.IGNORED_HEADER, BatchResource.ERRORS_HEADER, HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION,
            IdempotentAnswers.REPLAYED_HEADER);
    /** An hour: under Chromium's cap (two hours), and a new version's methods reach browsers within it. */
    static final String MAX_AGE_SECONDS = "3600";
    private static final int QUOTED_MOST = 100;

    /** A route's path, and the methods it takes (those that answer something else than an error). */
    private record Route(Pattern path, List<String> methods) {
        Route(String path, String... methods) {
            this(Pattern.compile(path), List.of(methods));
        }
    }

    /** A collection's path: the declared paths of two segments, or any one segment ({@link CollectionResource#PATH}). */
    private static final String COLLECTION = "/(?:" + org.kernelci.batch.schema.Collections.ALL.stream()
            .map(Collection::path).filter(path -> path.contains("/")).distinct().map(Pattern::quote)
            .collect(Collectors.joining("|")) + "|[^/]+)";
    /** In the order Jersey prefers them: literal paths before a collection's, a collection's before a document's. */
    private static final List<Route> ROUTES = List.of(
            new Route("/batch|/_api/batch", "POST"),
            new Route("/count(?:/[^/]+)?", "GET"),
            new Route("/bisect", "GET"),
            new Route("/token", "GET", "POST"),
            new Route("/token/[^/]+", "GET", "POST", "PUT", "DELETE"),
            new Route("/import/[^/]+", "POST"),
            new Route("/version|/health|/metrics|/openapi\\.json", "GET"),
            new Route("/(?:job|build|defconfig|boot)/compare", "POST"),
            new Route("/(?:job|build|defconfig|boot)/compare/[^/]+", "GET"),
            new Route(COLLECTION, "GET", "POST"),
            new Route(COLLECTION + "/distinct/[^/]+", "GET"),
            new Route(COLLECTION + "/[^/]+", "GET", "PUT", "DELETE"),
            new Route(COLLECTION + "/[^/]+/(?:logs|regressions)", "GET"));

    /** The dashboard's files, which no other origin's page needs to read. */
    private static final Pattern DASHBOARD = Pattern.compile("/dashboard(?:/.*)?");

    /** The methods the API route at this path takes; none when it is no route. */
    static List<String> methods(String path) {
        String route = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Route candidate : ROUTES) {
            if (candidate.path().matcher(route).matches()) {
                return candidate.methods();
            }
        }
        return List.of();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        CrossOrigins listed = CrossOrigins.published(http.getServletContext());
        List<String> origins = listed.isEmpty() ? List.of() : Collections.list(http.getHeaders(ORIGIN));
        if (origins.isEmpty()) {
            // CORS off, or no Origin: what nearly every request is, at the cost of one lookup.
            chain.doFilter(request, response);
            return;
        }
        String path = http.getServletPath() + Objects.toString(http.getPathInfo(), "");
        if (DASHBOARD.matcher(path).matches()) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse answer = (HttpServletResponse) response;
        if (origins.size() > 1 || !CrossOrigins.wellFormed(origins.get(0))) {
            refuse(answer, "The Origin header is not one origin (scheme://host[:port]): " + quoted(String.join(", ", origins)));
            return;
        }
        String origin = origins.get(0);
        if (!listed.listed(origin)) {
            chain.doFilter(request, response);
            return;
        }
        if (!http.getMethod().equals("OPTIONS")) {
            chain.doFilter(request, new CrossOriginAnswer(answer, origin));
            return;
        }
        String method = http.getHeader(REQUEST_METHOD);
        if (method == null) {
            refuse(answer, "An OPTIONS request from " + origin + " without " + REQUEST_METHOD
                    + ": a CORS preflight names the method it asks for");
            return;
        }
        List<String> methods = methods(path);
        if (methods.isEmpty()) {
            refuse(answer, "No API route at " + quoted(path) + " takes a request from " + origin);
            return;
        }
        if (!methods.contains(method)) {
            refuse(answer, "Method " + quoted(method) + " is not allowed on " + quoted(path) + " from " + origin
                    + " (allowed: " + String.join(", ", methods) + ")");
            return;
        }
        for (String header : requestedHeaders(http)) {
            if (ALLOWED_HEADERS.stream().noneMatch(header::equalsIgnoreCase)) {
                refuse(answer, "Header " + quoted(header) + " is not allowed from " + origin + " (allowed: "
                        + String.join(", ", ALLOWED_HEADERS) + ")");
                return;
            }
        }
        answer.setStatus(HttpServletResponse.SC_NO_CONTENT);
        answerHeaders(origin).forEach(answer::setHeader);
        answer.setHeader("Access-Control-Allow-Methods", String.join(", ", methods));
        answer.setHeader("Access-Control-Allow-Headers", String.join(", ", ALLOWED_HEADERS));
        answer.setHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
        answer.setHeader(HttpHeaders.VARY, String.join(", ", ORIGIN, REQUEST_METHOD, REQUEST_HEADERS));
    }

    private static List<String> requestedHeaders(HttpServletRequest request) {
        return Collections.list(request.getHeaders(REQUEST_HEADERS)).stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .map(String::strip)
                .filter(header -> !header.isEmpty())
                .toList();
    }

    /** The headers of every answer to a listed origin; its {@code Origin} was checked well-formed. */
    private static Map<String, String> answerHeaders(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", origin);
        headers.put("Access-Control-Allow-Credentials", "true");
        headers.put(HttpHeaders.VARY, ORIGIN);
        return headers;
    }

    /** A 403 in the service's error shape, without CORS headers: the browser tells the page nothing more. */
    private static void refuse(HttpServletResponse response, String reason) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        JsonOutput json = new JsonOutput(body);
        json.beginObject().name("code").value(HttpServletResponse.SC_FORBIDDEN).name("reason").value(reason).endObject();
        json.flush();
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(JsonResponses.CONTENT_TYPE);
        response.setContentLength(body.size());
        response.getOutputStream().write(body.toByteArray());
    }

    /** A client's text in a reason: printable ASCII only, and not much of it. */
    static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("'");
        text.codePoints().limit(QUOTED_MOST)
                .forEach(c -> quoted.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return quoted.append(text.codePointCount(0, text.length()) > QUOTED_MOST ? "...'" : "'").toString();
    }

    /**
     * The answer to a listed origin's request: the CORS headers set first, kept through a reset,
     * and {@code Origin} kept in {@code Vary} when Jersey or {@link ConditionalBatchFilter} sets it.
     */
    private static final class CrossOriginAnswer extends HttpServletResponseWrapper {
        private final Map<String, String> headers;

        CrossOriginAnswer(HttpServletResponse response, String origin) {
            super(response);
            headers = answerHeaders(origin);
            headers.put("Access-Control-Expose-Headers", String.join(", ", EXPOSED_HEADERS));
            // Server-Timing reaches the portal's developer tools too.
            headers.put("Timing-Allow-Origin", origin);
            headers.forEach(super::setHeader);
        }

        @Override
        public void setHeader(String name, String value) {
            boolean vary = name.equalsIgnoreCase(HttpHeaders.VARY);
            super.setHeader(name, vary && value != null && !varies(value) ? value + ", " + ORIGIN : value);
        }

        private static boolean varies(String vary) {
            return List.of(vary.split(",")).stream().anyMatch(name -> name.strip().equalsIgnoreCase(ORIGIN));
        }

        @Override
        public void reset() {
            super.reset();
            headers.forEach(super::setHeader);
        }
    }
}

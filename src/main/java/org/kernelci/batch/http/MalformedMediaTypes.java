package org.kernelci.batch.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hides a {@code Content-Type} or {@code Accept} header that does not parse. Jersey would answer
 * such a request with the container's HTML 400 page before any check of ours; hidden, the header
 * counts as absent: no content type (so {@code POST /batch} still answers 403, then 415), any
 * media type accepted. Declared in {@code webapp/WEB-INF/web.xml}.
 */
public final class MalformedMediaTypes implements Filter {
    private static final Pattern QUALITY = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");
    /**
     * The verdicts on values seen lately, by header: clients send the same few values again and
     * again, and parsing one cost a 304 several percent. Bounded, as the values are the clients'.
     */
    private static final Cache<String, Boolean> MEDIA_TYPES = Caffeine.newBuilder().maximumSize(256).build();
    private static final Cache<String, Boolean> ACCEPTS = Caffeine.newBuilder().maximumSize(256).build();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        boolean badType = !isMediaType(http.getHeader(HttpHeaders.CONTENT_TYPE));
        boolean badAccept = false;
        for (Enumeration<String> values = http.getHeaders(HttpHeaders.ACCEPT); values.hasMoreElements(); ) {
            badAccept |= !isAccept(values.nextElement());
        }
        if (!badType && !badAccept) {
            chain.doFilter(request, response);
            return;
        }
        String hiddenType = badType ? HttpHeaders.CONTENT_TYPE.toLowerCase(Locale.ROOT) : null;
        String hiddenAccept = badAccept ? HttpHeaders.ACCEPT.toLowerCase(Locale.ROOT) : null;
        chain.doFilter(new HttpServletRequestWrapper(http) {
            private boolean hidden(String name) {
                String lower = name.toLowerCase(Locale.ROOT);
                return lower.equals(hiddenType) || lower.equals(hiddenAccept);
            }

            @Override
            public String getContentType() {
                return hiddenType != null ? null : super.getContentType();
            }

            @Override
            public String getHeader(String name) {
                return hidden(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                List<String> names = Collections.list(super.getHeaderNames());
                names.removeIf(this::hidden);
                return Collections.enumeration(names);
            }
        }, response);
    }

    static boolean isMediaType(String value) {
        return value == null || MEDIA_TYPES.get(value, MalformedMediaTypes::parsesAsMediaType);
    }

    static boolean isAccept(String value) {
        return ACCEPTS.get(value, MalformedMediaTypes::parsesAsAccept);
    }

    private static boolean parsesAsMediaType(String value) {
        try {
            MediaType.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean parsesAsAccept(String value) {
        for (String range : value.split(",")) {
            if (range.isBlank()) {
                continue;
            }
            MediaType type;
            try {
                type = MediaType.valueOf(range.strip());
            } catch (IllegalArgumentException e) {
                return false;
            }
            String quality = type.getParameters().get("q");
            if (quality != null && !QUALITY.matcher(quality).matches()) {
                return false;
            }
        }
        return true;
    }
}

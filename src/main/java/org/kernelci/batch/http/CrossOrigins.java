package org.kernelci.batch.http;

import jakarta.servlet.ServletContext;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origins whose pages may call the API from a browser, with credentials ({@code KCI_CORS_ORIGINS}):
 * each exactly as a browser writes it in {@code Origin} ({@code scheme://host[:port]}, lower case, no
 * default port), so that a request's origin is listed when it equals one. No wildcard: with
 * credentials CORS allows none. Empty: the API answers no cross-origin request (the default).
 * {@link CrossOriginFilter} reads it from the servlet context, where {@link Endpoints} publishes it.
 */
public record CrossOrigins(Set<String> origins) {
    public static final CrossOrigins NONE = new CrossOrigins(Set.of());
    private static final String ATTRIBUTE = CrossOrigins.class.getName();
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** An origin as browsers serialize it: a scheme, a DNS name, IPv4 address or [IPv6] address, a port. */
    private static final Pattern ORIGIN = Pattern.compile(
            "(https?)://(" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?", Pattern.CASE_INSENSITIVE);

    public CrossOrigins {
        origins = Set.copyOf(origins);
    }

    /**
     * The origins of a setting's value, separated by commas or white space; an entry that is no
     * origin throws, naming it: a wildcard, a path, anything but {@code http(s)://host[:port]}.
     */
    public static CrossOrigins parse(String value) {
        Set<String> origins = new LinkedHashSet<>();
        for (String entry : value.strip().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("*")) {
                throw new IllegalArgumentException("'" + entry + "' is a wildcard: CORS with credentials allows none, "
                        + "list each origin (scheme://host[:port])");
            }
            origins.add(normalized(entry));
        }
        return new CrossOrigins(origins);
    }

    private static String normalized(String entry) {
        Matcher origin = ORIGIN.matcher(entry);
        if (!origin.matches()) {
            int scheme = entry.indexOf("://");
            boolean path = scheme > 0 && entry.indexOf('/', scheme + 3) > 0;
            throw new IllegalArgumentException("'" + entry + "' is not an origin (scheme://host[:port], scheme http or https"
                    + (path ? "; no path: a page's origin ends before its path)" : ")"));
        }
        String scheme = origin.group(1).toLowerCase(Locale.ROOT);
        String host = origin.group(2).toLowerCase(Locale.ROOT);
        String port = origin.group(3);
        if (port == null) {
            return scheme + "://" + host;
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("'" + entry + "' has no valid port (1 to 65535)");
        }
        boolean defaultPort = number == (scheme.equals("https") ? 443 : 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + number);
    }

    /** Whether the header's value is an origin a browser could send (or {@code null}, an opaque one's). */
    static boolean wellFormed(String origin) {
        return origin.equals("null") || ORIGIN.matcher(origin).matches();
    }

    boolean listed(String origin) {
        return origins.contains(origin);
    }

    boolean isEmpty() {
        return origins.isEmpty();
    }

    void publish(ServletContext context) {
        context.setAttribute(ATTRIBUTE, this);
    }

    void withdraw(ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
    }

    /** What the application published; none before it starts. */
    static CrossOrigins published(ServletContext context) {
        return context.getAttribute(ATTRIBUTE) instanceof CrossOrigins published ? published : NONE;
    }
}

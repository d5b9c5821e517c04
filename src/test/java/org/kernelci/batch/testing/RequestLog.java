package org.kernelci.batch.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A servlet filter that notes each request's method and path: what a page cost, counted by the server. */
public final class RequestLog implements Filter {
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        requests.add(http.getMethod() + " " + http.getRequestURI());
        chain.doFilter(request, response);
    }

    /** The requests so far, in arrival order, as {@code "POST /batch"}. */
    public List<String> all() {
        return List.copyOf(requests);
    }

    /** How many requests so far had this method and path. */
    public long count(String method, String path) {
        String wanted = method + " " + path;
        return requests.stream().filter(wanted::equals).count();
    }

    public void clear() {
        requests.clear();
    }
}

package org.kernelci.batch.dashboard;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * A portal beside the service, for the tiles' browser tests: the pages of
 * {@code src/test/resources/portal/} at {@code /test-portal/}, on the service's own origin (or
 * another name of it: localhost beside 127.0.0.1); the test server frames the dashboard's pages
 * from there with {@code KCI_FRAME_ANCESTORS='self'}.
 */
final class PortalPages implements Filter {
    static final String PATH = "/test-portal/";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        String path = http.getRequestURI();
        if (!path.startsWith(PATH)) {
            chain.doFilter(request, response);
            return;
        }
        String name = path.substring(PATH.length());
        try (InputStream page = name.matches("[a-z-]+\\.(html|js)") ? PortalPages.class.getResourceAsStream("/portal/" + name) : null) {
            if (page == null) {
                answer.sendError(404);
                return;
            }
            answer.setContentType(name.endsWith(".html") ? "text/html; charset=UTF-8" : "text/javascript; charset=UTF-8");
            answer.setHeader("Cache-Control", "no-store");
            page.transferTo(answer.getOutputStream());
        }
    }
}

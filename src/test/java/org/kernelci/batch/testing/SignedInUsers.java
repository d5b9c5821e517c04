package org.kernelci.batch.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.security.Principal;
import java.util.Map;
import java.util.Set;

/**
 * Signs users in as a servlet container's authenticator does, through the Servlet API the service
 * reads ({@code getUserPrincipal}, {@code isUserInRole}, {@code getAuthType}): a request names its
 * user in {@value #USER}; the filter knows each user's roles. A user it does not know is not
 * signed in. The real containers' sign-in is TomcatSignInIT's.
 */
public final class SignedInUsers implements Filter {
    public static final String USER = "X-Test-User";

    private final Map<String, Set<String>> roles;
    /** The user every request is signed in as, as a browser's session is; null: the one {@value #USER} names. */
    private final String everyRequest;

    /** @param roles each user's roles in the container */
    public SignedInUsers(Map<String, Set<String>> roles) {
        this(roles, null);
    }

    private SignedInUsers(Map<String, Set<String>> roles, String everyRequest) {
        this.roles = Map.copyOf(roles);
        this.everyRequest = everyRequest;
    }

    /** Every request signed in as this user, as a browser's after a sign-in (its pages cannot add a header). */
    public static SignedInUsers always(String user, Set<String> roles) {
        return new SignedInUsers(Map.of(user, roles), user);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String user = everyRequest != null ? everyRequest : http.getHeader(USER);
        if (user == null || !roles.containsKey(user)) {
            chain.doFilter(request, response);
            return;
        }
        Set<String> held = roles.get(user);
        Principal principal = () -> user;
        chain.doFilter(new HttpServletRequestWrapper(http) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return held.contains(role);
            }

            @Override
            public String getAuthType() {
                return HttpServletRequest.FORM_AUTH;
            }
        }, response);
    }
}

package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.AddressRange;
import org.kernelci.batch.auth.RoleMapping;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.schema.Collection;

/**
 * Authorizes requests with the token their {@code Authorization} header carries, from the
 * client's address: {@code X-Forwarded-For} is believed only when it comes from a trusted proxy.
 * With container sign-in ({@code KCI_AUTH=container}), a request that carries no token and whose
 * user the servlet container signed in is authorised as a token holding its roles' permissions
 * ({@link RoleMapping}): every check below is then the same as for a token.
 */
final class Access {
    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String APPERY_TOKEN = "X-Appery-Session-Token";
    private static final String FETCH_SITE = "Sec-Fetch-Site";
    /** The schemes of the container's own sign-in: such an {@code Authorization} header is no token. */
    private static final Pattern CONTAINER_SCHEME = Pattern.compile("(?i)\\s*(basic|digest|negotiate)\\s.*");

    /** Who is asking, and how that was established ({@code GET /whoami}). */
    record Identity(String user, String auth, Token token) {
    }

    private final TokenStore tokens;
    private final List<AddressRange> trustedProxies;
    private final Optional<RoleMapping> containerRoles;

    /** @param containerRoles the mapping of the container's roles; empty: tokens only */
    Access(TokenStore tokens, List<AddressRange> trustedProxies, Optional<RoleMapping> containerRoles) {
        this.tokens = tokens;
        this.trustedProxies = List.copyOf(trustedProxies);
        this.containerRoles = containerRoles;
    }

    /** The caller's valid token, or a 403. */
    Token caller(HttpServletRequest request) {
        return identity(request).token();
    }

    /** The caller, with its name and the kind of its credentials, or a 403. */
    Identity identity(HttpServletRequest request) {
        return identify(request, request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    /**
     * The caller of {@code POST /batch}: the token of {@code Authorization}, or, when that is
     * absent, of Appery's {@code X-Appery-Session-Token}.
     */
    Token batchCaller(HttpServletRequest request) {
        String value = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (value == null) {
            value = request.getHeader(APPERY_TOKEN);
        }
        return identify(request, value).token();
    }

    /**
     * A token sent wins over the container's user: a script or a portal's page that sends one
     * acts with what it chose, and a bad token is refused rather than passed over. An empty header,
     * or the container's own {@code Basic}, {@code Digest} or {@code Negotiate} credentials, are
     * no token.
     */
    private Identity identify(HttpServletRequest request, String credential) {
        Principal user = containerRoles.isPresent() && !crossSite(request) ? request.getUserPrincipal() : null;
        if (user != null && (credential == null || credential.isBlank() || CONTAINER_SCHEME.matcher(credential).matches())) {
            RoleMapping roles = containerRoles.get();
            Token token = roles.token(user.getName(), request::isUserInRole).orElseThrow(() -> new ApiException(403,
                    "Operation not permitted: the signed-in user has none of the roles "
                            + String.join(", ", roles.names())));
            return new Identity(user.getName(), "container", token);
        }
        Token token = tokens.authenticate(credential, clientAddress(request));
        return new Identity(token.id(), "token", token);
    }

    /**
     * A browser's request that a page of another site made: the container's session signs it in
     * to nothing. Such a page may send a form's POST (an ArangoDB batch is multipart/form-data)
     * with the session's cookie, unasked and without a CORS preflight; it may still send a token.
     */
    private static boolean crossSite(HttpServletRequest request) {
        return "cross-site".equalsIgnoreCase(request.getHeader(FETCH_SITE));
    }

    /** The caller's token when it may PUT documents of the collection, or a 403. */
    Token updater(HttpServletRequest request, Collection collection) {
        return permitted(request, token -> token.mayUpdate(collection));
    }

    /** The caller's token when it may DELETE documents of the collection, or a 403. */
    Token deleter(HttpServletRequest request, Collection collection) {
        return permitted(request, token -> token.mayDelete(collection));
    }

    /** The caller's token when it may read the collection, or a 403. */
    Token reader(HttpServletRequest request, Collection collection) {
        return permitted(request, token -> token.mayRead(collection));
    }

    /** The caller's token when it may POST reports of the collection, or a 403. */
    Token reporter(HttpServletRequest request, Collection collection) {
        return permitted(request, token -> token.mayReport(collection));
    }

    /** The caller's token when it may import dumps, or a 403. */
    Token importer(HttpServletRequest request) {
        return permitted(request, Token::mayImport);
    }

    private Token permitted(HttpServletRequest request, Predicate<Token> allowed) {
        Token token = caller(request);
        if (!allowed.test(token)) {
            throw ApiException.forbidden();
        }
        return token;
    }

    /**
     * The address the request comes from: the peer, or, when the peer is a trusted proxy, the
     * nearest address in {@code X-Forwarded-For} that is not a trusted proxy.
     */
    String clientAddress(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        // Repeated header lines are one list, in order (RFC 9110 section 5.3).
        List<String> lines = java.util.Collections.list(request.getHeaders(FORWARDED_FOR));
        if (lines.isEmpty() || !trusted(address)) {
            return address;
        }
        String[] hops = String.join(",", lines).split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            address = hop;
            if (!trusted(hop)) {
                break;
            }
        }
        return address;
    }

    private boolean trusted(String address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }
}

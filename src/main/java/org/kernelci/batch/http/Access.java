package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.function.Predicate;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.AddressRange;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.schema.Collection;

/**
 * Authorizes requests with the token their {@code Authorization} header carries, from the
 * client's address: {@code X-Forwarded-For} is believed only when it comes from a trusted proxy.
 */
final class Access {
    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String APPERY_TOKEN = "X-Appery-Session-Token";

    private final TokenStore tokens;
    private final List<AddressRange> trustedProxies;

    Access(TokenStore tokens, List<AddressRange> trustedProxies) {
        this.tokens = tokens;
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The caller's valid token, or a 403. */
    Token caller(HttpServletRequest request) {
        return tokens.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION), clientAddress(request));
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
        return tokens.authenticate(value, clientAddress(request));
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

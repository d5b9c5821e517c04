package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.schema.Collection;

/** Authorizes requests with the token their {@code Authorization} header carries. */
final class Access {
    private final TokenStore tokens;

    Access(TokenStore tokens) {
        this.tokens = tokens;
    }

    /** The caller's valid token, or a 403. */
    Token caller(HttpServletRequest request) {
        return tokens.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION), request.getRemoteAddr());
    }

    /** The caller's token when it may read the collection, or a 403. */
    Token reader(HttpServletRequest request, Collection collection) {
        Token token = caller(request);
        if (!token.mayRead(collection)) {
            throw ApiException.forbidden();
        }
        return token;
    }

    /** The caller's token when it may POST reports of the collection, or a 403. */
    Token reporter(HttpServletRequest request, Collection collection) {
        Token token = caller(request);
        if (!token.mayReport(collection)) {
            throw ApiException.forbidden();
        }
        return token;
    }

    /** The caller's token when it may import dumps, or a 403. */
    Token importer(HttpServletRequest request) {
        Token token = caller(request);
        if (!token.mayImport()) {
            throw ApiException.forbidden();
        }
        return token;
    }
}

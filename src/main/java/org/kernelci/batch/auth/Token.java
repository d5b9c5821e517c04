package org.kernelci.batch.auth;

import java.time.Instant;
import java.util.List;
import org.kernelci.batch.schema.Collection;

/**
 * A stored token's permissions, as the original had them. The value of the token is never held
 * here: only its id.
 */
public record Token(
        String id,
        boolean admin,
        boolean superuser,
        boolean get,
        boolean post,
        boolean delete,
        boolean ipRestricted,
        boolean createToken,
        boolean lab,
        boolean upload,
        boolean testLab,
        boolean expired,
        Instant expiresOn,
        List<String> ipAddresses) {

    public Token {
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    }

    /** Whether the token may be used now, from this address. */
    public boolean isValid(Instant now, String remoteAddress) {
        if (expired || (expiresOn != null && !now.isBefore(expiresOn))) {
            return false;
        }
        return !ipRestricted || AddressRange.anyContains(ipAddresses, remoteAddress);
    }

    /** Whether the token may read the collection with a GET. */
    public boolean mayRead(Collection collection) {
        return switch (collection.readAccess()) {
            case GET -> get || admin || superuser;
            case ADMIN -> admin || superuser;
        };
    }
}

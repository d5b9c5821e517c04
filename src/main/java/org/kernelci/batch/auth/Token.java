package org.kernelci.batch.auth;

import java.time.Instant;
import java.util.List;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

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

    /**
     * Whether the token may POST reports of the collection: with the post permission, or as an
     * admin or superuser. A lab token reports boots only, whatever else it may do.
     */
    public boolean mayReport(Collection collection) {
        if (admin || superuser) {
            return true;
        }
        if (lab) {
            return collection == Collections.BOOT;
        }
        return post;
    }

    /** Whether the token may import dumps of the original's data: admin or superuser only. */
    public boolean mayImport() {
        return admin || superuser;
    }
}

package org.kernelci.batch.auth;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * A stored token: who it is for and what it may do. Its value is never held: only its id; the
 * store finds tokens by the hash of their value.
 */
public record Token(
        String id,
        String email,
        String username,
        Instant createdOn,
        Instant expiresOn,
        boolean expired,
        List<String> ipAddresses,
        Set<Permission> permissions) {

    public Token {
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
        // In declaration order, the order ETags hash them in.
        permissions = java.util.Collections.unmodifiableSet(permissions.isEmpty() ? EnumSet.noneOf(Permission.class)
                : EnumSet.copyOf(permissions));
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }

    /** Whether the token may be used now, from this client address. */
    public boolean isValid(Instant now, String clientAddress) {
        if (expired || (expiresOn != null && !now.isBefore(expiresOn))) {
            return false;
        }
        return !has(Permission.IP_RESTRICTED) || AddressRange.anyContains(ipAddresses, clientAddress);
    }

    /** Whether the token may read the collection with a GET (CONTRACT.md section 5). */
    public boolean mayRead(Collection collection) {
        return switch (collection.readAccess()) {
            case GET -> has(Permission.GET) || isAdministrator();
            case ADMIN -> isAdministrator();
        };
    }

    /** Admin or superuser: may read everything, including labs and tokens. */
    public boolean isAdministrator() {
        return has(Permission.ADMIN) || has(Permission.SUPERUSER);
    }

    /**
     * Whether the token may POST reports of the collection: with the post permission, or as an
     * admin or superuser. A lab token reports only what labs write (boots, test groups), whatever
     * else it may do.
     */
    public boolean mayReport(Collection collection) {
        if (isAdministrator()) {
            return true;
        }
        if (has(Permission.LAB)) {
            return collection.writtenByLabs();
        }
        return has(Permission.POST);
    }

    /**
     * Whether the token may change documents of the collection with a PUT: the post permission (or
     * admin, superuser); labs need admin or superuser. A lab token changes nothing: it may post
     * and delete what labs write only.
     */
    public boolean mayUpdate(Collection collection) {
        if (isAdministrator()) {
            return true;
        }
        return collection != Collections.LAB && !has(Permission.LAB) && has(Permission.POST);
    }

    /**
     * Whether the token may DELETE documents of the collection: the delete permission (or admin,
     * superuser); labs need admin or superuser; a lab token deletes what labs write only (boots,
     * test groups and cases).
     */
    public boolean mayDelete(Collection collection) {
        if (isAdministrator()) {
            return true;
        }
        if (collection == Collections.LAB) {
            return false;
        }
        if (has(Permission.LAB)) {
            return collection.writtenByLabs() && has(Permission.DELETE);
        }
        return has(Permission.DELETE);
    }

    /** Whether the token may import dumps of the original's data: admin or superuser only. */
    public boolean mayImport() {
        return isAdministrator();
    }
}

package org.kernelci.batch.execute;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.jdbc.BoundValue;

/**
 * The 64-bit key of a PostgreSQL advisory lock that writers of one thing (a job, a test run) take
 * so that they wait for each other: the first bytes of a hash of the thing's name, in a namespace
 * of its kind, so that different kinds never share a key by design.
 */
final class AdvisoryLock {
    private AdvisoryLock() {
    }

    /** Takes the lock of {@code name} in {@code namespace} until the transaction ends, waiting for its holder. */
    static void take(Handle handle, String namespace, String name) {
        handle.createQuery("SELECT 1 FROM pg_advisory_xact_lock(?)").bind(0, new BoundValue(key(namespace, name), null))
                .mapTo(Integer.class).one();
    }

    private static long key(String namespace, String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((namespace + "\0" + name).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = key << 8 | (hash[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

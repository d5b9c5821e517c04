package org.kernelci.batch.execute;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What a write's transaction does for the request's {@code Idempotency-Key}: claims the key first
 * and keeps the answer its outcomes make last, before the commit (see {@link IdempotencyKeys}).
 */
public interface IdempotentWrite {
    /** A write sent without a key. */
    IdempotentWrite NONE = new IdempotentWrite() {
        @Override
        public void claim(Handle handle) {
        }

        @Override
        public void keep(Handle handle, List<Outcome> outcomes) {
        }
    };

    void claim(Handle handle);

    /** Keeps the answer of these outcomes, which the transaction is about to commit. */
    void keep(Handle handle, List<Outcome> outcomes);
}

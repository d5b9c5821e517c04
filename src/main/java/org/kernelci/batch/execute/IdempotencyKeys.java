package org.kernelci.batch.execute;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.jdbc.BoundValue;

/**
 * The kept answers of writes sent with an {@code Idempotency-Key} (table {@code idempotency_key},
 * V15). A write claims its key first in its own transaction, under a transaction-scoped advisory
 * lock of the key that a concurrent repeat fails to take (a 409 at once, never a wait), and keeps
 * its answer last, so that the write and its key commit together, whichever node runs them.
 */
public final class IdempotencyKeys {
    /** Expired rows are deleted by one of this many keeps: cheap, and the table stays small. */
    private static final int CLEAN_EVERY = 256;

    private final Database database;
    private final Clock clock;
    private final Duration ttl;
    private final AtomicLong keeps = new AtomicLong();

    public IdempotencyKeys(Database database, Clock clock, Duration ttl) {
        this.database = database;
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * A key as its caller sent it.
     *
     * @param scope       whose key it is (a token's id, or a container's user)
     * @param value       the key
     * @param fingerprint what the request was (see the http layer), so that another request with the key is told apart
     */
    public record Key(String scope, String value, String fingerprint) {
    }

    /** An answer as kept: its status, the headers that matter ("Name: value" lines) and its body. */
    public record Answer(int status, List<String> headers, byte[] body) {
        public Answer {
            headers = List.copyOf(headers);
        }
    }

    /** The answer kept for the key and its request (outside any write); a 422 for another request. */
    public Optional<Answer> kept(Key key) {
        return database.withHandle(handle -> kept(handle, key));
    }

    /**
     * Claims the key in the caller's transaction: a 409 when another request with it is running
     * (it holds the lock) or has just kept its answer (a repeat then replays it), a 422 when
     * that was another request.
     */
    public void claim(Handle handle, Key key) {
        boolean locked = handle.createQuery("SELECT pg_try_advisory_xact_lock(?)")
                .bind(0, new BoundValue(lockKey(key), null)).mapTo(Boolean.class).one();
        if (!locked || kept(handle, key).isPresent()) {
            throw new ApiException(409, "A request with Idempotency-Key '" + key.value()
                    + "' is running or has just finished: send it again in a moment to get its answer");
        }
    }

    /** Keeps the answer of the key's write, in its transaction (which holds the key's lock). */
    public void keep(Handle handle, Key key, Answer answer) {
        Instant now = clock.instant();
        if (keeps.incrementAndGet() % CLEAN_EVERY == 0) {
            handle.createUpdate("DELETE FROM idempotency_key WHERE created_on < ?")
                    .bind(0, new BoundValue(expiry(now), null)).execute();
        }
        // An expired row of the key may remain: the key is free again, and this answer replaces it.
        handle.createUpdate("INSERT INTO idempotency_key (scope, key, fingerprint, status, headers, body, created_on)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint,"
                        + " status = excluded.status, headers = excluded.headers, body = excluded.body,"
                        + " created_on = excluded.created_on")
                .bind(0, key.scope()).bind(1, key.value()).bind(2, key.fingerprint()).bind(3, (short) answer.status())
                .bind(4, String.join("\n", answer.headers())).bind(5, answer.body())
                .bind(6, new BoundValue(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), null))
                .execute();
    }

    private Optional<Answer> kept(Handle handle, Key key) {
        Optional<Kept> kept = handle.createQuery("SELECT fingerprint, status, headers, body FROM idempotency_key"
                        + " WHERE scope = ? AND key = ? AND created_on >= ?")
                .bind(0, key.scope()).bind(1, key.value()).bind(2, new BoundValue(expiry(clock.instant()), null))
                .map((rs, ctx) -> new Kept(rs.getString(1), new Answer(rs.getInt(2),
                        rs.getString(3).isEmpty() ? List.of() : List.of(rs.getString(3).split("\n")), rs.getBytes(4))))
                .findFirst();
        if (kept.isPresent() && !kept.get().fingerprint().equals(key.fingerprint())) {
            throw new ApiException(422, "Idempotency-Key '" + key.value()
                    + "' was sent with another request: use a new key for another write");
        }
        return kept.map(Kept::answer);
    }

    private record Kept(String fingerprint, Answer answer) {
    }

    private OffsetDateTime expiry(Instant now) {
        return OffsetDateTime.ofInstant(now.minus(ttl), ZoneOffset.UTC);
    }

    /** The advisory lock's 64 bits: a hash of the scope and the key, in a namespace of its own. */
    private static long lockKey(Key key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("idempotency-key\0" + key.scope() + "\0" + key.value())
                    .getBytes(StandardCharsets.UTF_8));
            long lock = 0;
            for (int i = 0; i < 8; i++) {
                lock = lock << 8 | (hash[i] & 0xff);
            }
            return lock;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

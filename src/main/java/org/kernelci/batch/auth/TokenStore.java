package org.kernelci.batch.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.schema.ObjectId;

/**
 * Finds tokens by the SHA-256 hash of their value. Lookups are cached for a few seconds, so a
 * dashboard's burst of requests costs one query; changes made through this store clear the cache.
 */
public final class TokenStore {
    private static final long CACHE_NANOS = 5_000_000_000L;

    private final Database database;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Token> token, long loadedAt) {
    }

    public TokenStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * The valid token an {@code Authorization} header carries (a bare value, or one after
     * {@code Bearer } or {@code token }), or a 403.
     */
    public Token authenticate(String authorization, String remoteAddress) {
        String value = tokenValue(authorization);
        if (value == null) {
            throw ApiException.forbidden();
        }
        byte[] hash = hash(value);
        String key = java.util.HexFormat.of().formatHex(hash);
        long now = System.nanoTime();
        Cached cached = cache.get(key);
        if (cached == null || now - cached.loadedAt() > CACHE_NANOS) {
            cached = new Cached(load(hash), now);
            cache.put(key, cached);
        }
        Token token = cached.token().orElseThrow(ApiException::forbidden);
        if (!token.isValid(clock.instant(), remoteAddress)) {
            throw ApiException.forbidden();
        }
        return token;
    }

    /** Makes sure an admin token with exactly this value exists (start-up, KCI_ADMIN_TOKEN). */
    public static void ensureAdmin(Handle handle, String value, Instant now) {
        handle.createUpdate("""
                INSERT INTO token (id, token_hash, created_on, email, username, is_admin, is_superuser,
                                   can_get, can_post, can_delete, create_token, can_upload, version)
                VALUES (?, ?, ?, 'admin@localhost', 'admin', true, true, true, true, true, true, true, '1.0')
                ON CONFLICT (token_hash) DO UPDATE SET is_admin = true, expired = false, expires_on = NULL,
                    can_get = true, can_post = true, can_delete = true, create_token = true, can_upload = true""")
                .bind(0, ObjectId.generate(now))
                .bind(1, hash(value))
                .bind(2, now.atOffset(java.time.ZoneOffset.UTC))
                .execute();
    }

    /** Stores a token that may only read (the launcher's demo token). */
    public static void ensureReader(Handle handle, String value, Instant now) {
        handle.createUpdate("""
                INSERT INTO token (id, token_hash, created_on, email, username, can_get, version)
                VALUES (?, ?, ?, 'demo@localhost', 'demo', true, '1.0')
                ON CONFLICT (token_hash) DO NOTHING""")
                .bind(0, ObjectId.generate(now))
                .bind(1, hash(value))
                .bind(2, now.atOffset(java.time.ZoneOffset.UTC))
                .execute();
    }

    static String tokenValue(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bearer ")) {
            value = value.substring(7).strip();
        } else if (lower.startsWith("token ")) {
            value = value.substring(6).strip();
        }
        return value.isEmpty() ? null : value;
    }

    static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Token> load(byte[] hash) {
        return database.withHandle(handle -> handle.createQuery("""
                SELECT id, token_hash, is_admin, is_superuser, can_get, can_post, can_delete, ip_restricted,
                       create_token, is_lab, can_upload, is_test_lab, expired, expires_on, ip_address
                FROM token WHERE token_hash = ?""")
                .bind(0, hash)
                .map((rs, ctx) -> {
                    Timestamp expires = rs.getTimestamp("expires_on");
                    Array addresses = rs.getArray("ip_address");
                    Token token = new Token(rs.getString("id"), rs.getBoolean("is_admin"), rs.getBoolean("is_superuser"),
                            rs.getBoolean("can_get"), rs.getBoolean("can_post"), rs.getBoolean("can_delete"),
                            rs.getBoolean("ip_restricted"), rs.getBoolean("create_token"), rs.getBoolean("is_lab"),
                            rs.getBoolean("can_upload"), rs.getBoolean("is_test_lab"), rs.getBoolean("expired"),
                            expires == null ? null : expires.toInstant(),
                            addresses == null ? List.of() : List.of((String[]) addresses.getArray()));
                    // Found by hash; compare the hashes again in constant time before trusting the row.
                    return Map.entry(rs.getBytes("token_hash"), token);
                })
                .findFirst())
                .filter(found -> MessageDigest.isEqual(hash, found.getKey()))
                .map(Map.Entry::getValue);
    }
}

package org.kernelci.batch.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.execute.DatabaseUnavailableException;
import org.kernelci.batch.schema.ObjectId;

/**
 * Tokens, stored as the SHA-256 hash of their value and found by it. Lookups of tokens that exist
 * are cached (Caffeine: bounded, expiring {@link #CACHE_TIME} after the load, one load per token
 * however many requests ask at once) so that a dashboard's burst of requests costs one query.
 * Every change made here bumps a generation and clears the cache; an entry loaded under an older
 * generation (a lookup that raced the change) is never used, so a revoked token cannot come back.
 *
 * <p>Several nodes (CONTRACT.md section 10): a change made through another node is not seen by
 * this cache, so no entry is used once {@link #CACHE_TIME} has passed since its load <em>began</em>
 * (not since it ended): its row was read in a snapshot taken after that. A token revoked, expired
 * or changed through any node is therefore refused (or changed) by every node for each request
 * that authenticates {@link #CACHE_TIME} after the change was acknowledged. Tokens are always read
 * from the primary; only while it does not answer (an HA engine promoting its standby) from the
 * read replica that serves reads, within its lag bound, so that reads go on answering: a change
 * is then seen that bound later. An expiry time ({@code expires_on}) is compared with
 * the clock at every request: it holds at once on every node whose clock is right.
 */
public final class TokenStore {
    static final Duration CACHE_TIME = Duration.ofSeconds(5);
    private static final int MAX_CACHED = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS;

    static {
        StringJoiner columns = new StringJoiner(", ");
        columns.add("id").add("token_hash").add("email").add("username").add("created_on").add("expires_on")
                .add("expired").add("ip_address");
        for (Permission permission : Permission.values()) {
            columns.add(permission.column());
        }
        COLUMNS = columns.toString();
    }

    private final Database database;
    /** The read replica's database while it serves reads, asked when the primary does not answer. */
    private final Supplier<Optional<Database>> whilePrimaryAway;
    private final Clock clock;
    private final AsyncCache<String, Loaded> cache = Caffeine.newBuilder().maximumSize(MAX_CACHED)
            .expireAfterWrite(CACHE_TIME).buildAsync();
    private final AtomicLong generation = new AtomicLong();

    /** What a load of a token gave: the token, or why there is none for now. */
    private sealed interface Loaded permits Cached, Failed {
    }

    /** A load that failed (the database down): answered as thrown, never cached. */
    private record Failed(RuntimeException failure) implements Loaded {
    }

    /** A token as loaded, with the generation of the store and the {@link System#nanoTime} when the load began. */
    private record Cached(Token token, long generation, long loadBegan) implements Loaded {
        boolean current(long generationNow, long now) {
            return generation == generationNow && now - loadBegan < CACHE_TIME.toNanos();
        }
    }

    /** A token just made, with its value: the only time the value is known. */
    public record Created(Token token, String value) {
    }

    public TokenStore(Database database, Clock clock) {
        this(database, Optional::empty, clock);
    }

    /** @param whilePrimaryAway the read replica's database while it serves reads, if any */
    public TokenStore(Database database, Supplier<Optional<Database>> whilePrimaryAway, Clock clock) {
        this.database = database;
        this.whilePrimaryAway = whilePrimaryAway;
        this.clock = clock;
    }

    /**
     * The valid token an {@code Authorization} header carries (a bare value, or one after
     * {@code Bearer } or {@code token }), used from the client address; else a 403.
     */
    public Token authenticate(String authorization, String clientAddress) {
        String value = tokenValue(authorization);
        if (value == null) {
            throw ApiException.forbidden();
        }
        byte[] hash = hash(value);
        String key = HexFormat.of().formatHex(hash);
        CompletableFuture<Loaded> entry = entry(key, hash);
        Cached cached = result(entry);
        if (cached != null && !cached.current(generation.get(), System.nanoTime())) {
            cache.asMap().remove(key, entry);
            cached = load(hash);
        }
        if (cached == null) {
            throw ApiException.forbidden();
        }
        Token token = cached.token();
        if (!token.isValid(clock.instant(), clientAddress)) {
            throw ApiException.forbidden();
        }
        return token;
    }

    /**
     * The token's entry: loaded by this request on its own thread, or by the request that asked
     * first, whose load the others wait for. A load runs outside the cache's locks, so that a slow
     * one holds up only the requests for its own token. Unknown values load as null, which
     * Caffeine does not keep: they cannot fill the memory.
     */
    private CompletableFuture<Loaded> entry(String key, byte[] hash) {
        CompletableFuture<Loaded> loading = new CompletableFuture<>();
        CompletableFuture<Loaded> found = cache.get(key, (k, executor) -> loading);
        if (found != loading) {
            return found;
        }
        try {
            loading.complete(load(hash));
        } catch (RuntimeException e) {
            // Not kept (the next request tries again), and never an exceptional completion:
            // Caffeine logs each of those with a stack trace, through System.Logger (in Tomcat,
            // JULI's catalina.out), a flood of them per second during a database outage. The
            // requests waiting on this load get the failure as the value.
            cache.asMap().remove(key, loading);
            loading.complete(new Failed(e));
        }
        return loading;
    }

    /** The value of a load; its failure as thrown (a 503 stays a 503). */
    private static Cached result(CompletableFuture<Loaded> entry) {
        Loaded loaded = entry.join();
        if (loaded instanceof Failed failed) {
            throw failed.failure();
        }
        return (Cached) loaded;
    }

    private Cached load(byte[] hash) {
        try {
            return load(database, hash);
        } catch (DatabaseUnavailableException e) {
            Optional<Database> replica = whilePrimaryAway.get();
            if (replica.isEmpty()) {
                throw e;
            }
            return load(replica.get(), hash);
        }
    }

    private Cached load(Database from, byte[] hash) {
        long loadedUnder = generation.get();
        long began = System.nanoTime();
        return from.withHandle(handle -> handle
                        .createQuery("SELECT " + COLUMNS + " FROM token WHERE token_hash = ?")
                        .bind(0, hash)
                        .map((rs, ctx) -> Map.entry(rs.getBytes("token_hash"), token(rs)))
                        .findFirst())
                // Found by hash; compare the hashes again in constant time before trusting the row.
                .filter(found -> MessageDigest.isEqual(hash, found.getKey()))
                .map(found -> new Cached(found.getValue(), loadedUnder, began))
                .orElse(null);
    }

    /** After a change is committed: no lookup begun before it is used again. */
    private void changed() {
        generation.incrementAndGet();
        cache.synchronous().invalidateAll();
    }

    public List<Token> list() {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM token ORDER BY id")
                .map((rs, ctx) -> token(rs)).list());
    }

    public Optional<Token> find(String id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM token WHERE id = ?")
                .bind(0, id).map((rs, ctx) -> token(rs)).findFirst());
    }

    /** Makes a token with a new random value. */
    public Created create(TokenRequest request) {
        Instant now = clock.instant();
        String value = newValue();
        String id = ObjectId.generate(now);
        Set<Permission> permissions = request.permissionsForNewToken();
        database.write(handle -> {
            insert(handle, id, hash(value), now, request.email().orElse(null), request.username().orElse(null),
                    permissions);
            return update(handle, id, request.withoutGrants());
        });
        changed();
        return new Created(find(id).orElseThrow(), value);
    }

    /** Changes what the request names; empty when there is no such token. */
    public Optional<Token> update(String id, TokenRequest request) {
        int changed = database.write(handle -> update(handle, id, request));
        changed();
        return changed == 0 ? Optional.empty() : find(id);
    }

    public boolean delete(String id) {
        int deleted = database.write(handle -> handle.createUpdate("DELETE FROM token WHERE id = ?").bind(0, id).execute());
        changed();
        return deleted > 0;
    }

    /**
     * Makes sure an admin token with exactly this value exists (start-up, KCI_ADMIN_TOKEN), and
     * expires any token an earlier value of the setting made: rotating the setting revokes the
     * old value.
     */
    public static void ensureAdmin(Handle handle, String value, Instant now) {
        Set<Permission> admin = EnumSet.of(Permission.ADMIN, Permission.SUPERUSER, Permission.GET, Permission.POST,
                Permission.DELETE, Permission.CREATE_TOKEN, Permission.UPLOAD);
        byte[] hash = hash(value);
        handle.createUpdate("UPDATE token SET expired = true WHERE from_setting AND token_hash <> ?").bind(0, hash)
                .execute();
        int renewed = handle.createUpdate("UPDATE token SET expired = false, expires_on = NULL, from_setting = true, "
                        + setAll(admin) + " WHERE token_hash = ?").bind(0, hash).execute();
        if (renewed == 0) {
            String id = ObjectId.generate(now);
            insert(handle, id, hash, now, "admin@localhost", "admin", admin);
            handle.createUpdate("UPDATE token SET from_setting = true WHERE id = ?").bind(0, id).execute();
        }
    }

    /** Stores a token that may only read (the launcher's demo token), unless it exists. */
    public static void ensureReader(Handle handle, String value, Instant now) {
        byte[] hash = hash(value);
        boolean exists = handle.createQuery("SELECT count(*) FROM token WHERE token_hash = ?").bind(0, hash)
                .mapTo(Long.class).one() > 0;
        if (!exists) {
            insert(handle, ObjectId.generate(now), hash, now, "demo@localhost", "demo", EnumSet.of(Permission.GET));
        }
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

    private static String newValue() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void insert(Handle handle, String id, byte[] hash, Instant now, String email, String username,
                               Set<Permission> permissions) {
        handle.createUpdate("INSERT INTO token (id, token_hash, created_on, email, username, version) "
                        + "VALUES (?, ?, ?, ?, ?, '1.0')")
                .bind(0, id).bind(1, hash).bind(2, now.atOffset(ZoneOffset.UTC)).bind(3, email).bind(4, username)
                .execute();
        handle.createUpdate("UPDATE token SET " + setAll(permissions) + " WHERE id = ?").bind(0, id).execute();
    }

    /** {@code col = true} for each permission given, {@code false} for the others. */
    private static String setAll(Set<Permission> permissions) {
        StringJoiner set = new StringJoiner(", ");
        for (Permission permission : Permission.values()) {
            set.add(permission.column() + " = " + permissions.contains(permission));
        }
        return set.toString();
    }

    private static int update(Handle handle, String id, TokenRequest request) {
        StringJoiner set = new StringJoiner(", ");
        List<Object> binds = new java.util.ArrayList<>();
        request.email().ifPresent(email -> {
            set.add("email = ?");
            binds.add(email);
        });
        request.username().ifPresent(username -> {
            set.add("username = ?");
            binds.add(username);
        });
        request.expired().ifPresent(expired -> {
            set.add("expired = ?");
            binds.add(expired);
        });
        request.expiresOn().ifPresent(expiry -> {
            set.add("expires_on = ?");
            binds.add(expiry.map(instant -> instant.atOffset(ZoneOffset.UTC)).orElse(null));
        });
        request.grants().forEach((permission, granted) -> {
            set.add(permission.column() + " = ?");
            binds.add(granted);
        });
        boolean addresses = request.ipAddresses().isPresent();
        if (addresses) {
            set.add("ip_address = ?");
        }
        set.add("id = id");
        Update update = handle.createUpdate("UPDATE token SET " + set + " WHERE id = ?");
        int index = 0;
        for (Object bind : binds) {
            if (bind == null) {
                update.bindNull(index++, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                update.bind(index++, bind);
            }
        }
        if (addresses) {
            update.bind(index++, request.ipAddresses().get().toArray(new String[0]));
        }
        return update.bind(index, id).execute();
    }

    private static Token token(ResultSet rs) throws SQLException {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Permission permission : Permission.values()) {
            if (rs.getBoolean(permission.column())) {
                permissions.add(permission);
            }
        }
        Timestamp created = rs.getTimestamp("created_on");
        Timestamp expires = rs.getTimestamp("expires_on");
        Array addresses = rs.getArray("ip_address");
        return new Token(rs.getString("id"), rs.getString("email"), rs.getString("username"),
                created.toInstant(), expires == null ? null : expires.toInstant(), rs.getBoolean("expired"),
                addresses == null ? List.of() : List.of((String[]) addresses.getArray()), permissions);
    }
}

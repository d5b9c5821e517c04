package org.kernelci.batch.app;

import java.util.List;
import java.util.Locale;

/**
 * A setting of the service. Each is read from JNDI ({@code java:comp/env/kci.<key>}), then the Java
 * system property {@code kci.<key>}, then the environment variable {@code KCI_<KEY>} (dots as
 * underscores); the first that is set wins.
 */
public enum Setting {
    DB_URL("db.url", null, Kind.TEXT, "JDBC URL of the PostgreSQL database (unless JNDI jdbc/kci is bound)"),
    DB_USER("db.user", null, Kind.TEXT, "database user"),
    DB_PASSWORD("db.password", null, Kind.TEXT, "database password"),
    DB_READ_URL("db.read.url", null, Kind.TEXT,
            "JDBC URL of a streaming replica that serves reads (unless JNDI jdbc/kci-read is bound); unset: all on the primary"),
    DB_READ_USER("db.read.user", null, Kind.TEXT, "the replica's database user (default: the primary's)"),
    DB_READ_PASSWORD("db.read.password", null, Kind.TEXT, "the replica's database password (default: the primary's)"),
    READ_MAX_LAG_MS("read.max.lag.ms", "5000", Kind.POSITIVE_INT,
            "most a replica may be behind the primary, in ms, and still serve reads"),
    DB_POOL_SIZE("db.pool.size", "8", Kind.POSITIVE_INT, "connections in the pool (each pool, with a replica)"),
    DB_POOL_WAIT_MS("db.pool.wait.ms", "1000", Kind.POSITIVE_INT,
            "longest wait for a free connection of the pool before a 503 busy, in ms (at least 250)"),
    MIGRATE("migrate", "true", Kind.FLAG, "apply the migrations in sql/ at start-up"),
    ADMIN_TOKEN("admin.token", null, Kind.TEXT, "an admin token that must exist (stored hashed)"),
    TRUSTED_PROXIES("trusted.proxies", null, Kind.TEXT,
            "addresses or CIDR ranges of proxies whose X-Forwarded-For is believed, comma-separated"),
    MAX_ROWS("max.rows", "10000", Kind.POSITIVE_INT, "most documents one operation returns"),
    MAX_OPERATIONS("max.operations", "1000", Kind.POSITIVE_INT,
            "most operations in one batch (kernelci-frontend's job pages send 120 counts in one)"),
    BATCH_MAX_ROWS("batch.max.rows", "100000", Kind.POSITIVE_INT,
            "most documents a batch of several operations returns in all (at least max.rows)"),
    BATCH_MAX_BYTES("batch.max.bytes", "134217728", Kind.POSITIVE_LONG,
            "most bytes of text the documents of a batch of several operations hold in all; also the most bytes any "
                    + "one answer holds as sent (each is held whole, to be sent with Content-Length): past it, a 413"),
    HEAVY_BATCHES("heavy.batches", "4", Kind.POSITIVE_INT,
            "requests whose listings may return over 1,000 documents in all, or whose reads are costly (costly.read.ms), "
                    + "run at once, one token holding at most half of them; keep it below the pool size"),
    COSTLY_READ_MS("costly.read.ms", "500", Kind.POSITIVE_INT,
            "database time, in ms, past which a batch of reads is costly: measured when it last ran, or running that "
                    + "long now; a costly batch takes a place among heavy.batches"),
    CALLER_READS("caller.reads", "5", Kind.POSITIVE_INT,
            "requests of reads one token runs at once, its share of the pool (beyond it, a 429); keep it below the "
                    + "three quarters of the pool that reads other than by id may take (the default: 6 of 8, less one "
                    + "left for other tokens)"),
    RATE_OPERATIONS("rate.operations", "50000", Kind.POSITIVE_INT,
            "operations a second one token may ask for, on each node, a batch of N counting N (beyond it and the "
                    + "burst, a 429)"),
    RATE_BURST("rate.burst", "100000", Kind.POSITIVE_INT,
            "operations one token may ask for at once above its rate, on each node (at least max.operations)"),
    READ_IDLE_TIMEOUT_MS("read.idle.timeout.ms", "60000", Kind.POSITIVE_INT,
            "longest a streamed read may wait for its client before PostgreSQL ends it, in ms"),
    MAX_BODY_BYTES("max.body.bytes", "1048576", Kind.POSITIVE_INT, "largest batch body accepted"),
    BODY_TIMEOUT_MS("body.timeout.ms", "20000", Kind.POSITIVE_INT,
            "longest a request's whole body may take to arrive, in ms; then a 408 and the connection closed "
                    + "(bodies are read without a thread waiting on the client)"),
    BATCH_LISTS("batch.lists", "documents", Kind.CHOICE,
            "how a kernelci batch answers list operations: documents (the seeds' shape) or original (the original's "
                    + "[{result, count, limit}], which kernelci-frontend's 2020 test-plan views read)", "documents", "original"),
    STRICT_QUERY("strict.query", "false", Kind.FLAG,
            "true: unknown query keys and field names are a 400 instead of being ignored (and named in X-Kci-Ignored)"),
    STATEMENT_TIMEOUT_MS("statement.timeout.ms", "10000", Kind.POSITIVE_INT, "deadline of one operation's SQL, in ms"),
    PORT("port", "8080", Kind.POSITIVE_INT, "HTTP port of the launcher (not used in a servlet container)"),
    HOST("host", "127.0.0.1", Kind.TEXT,
            "address the launcher listens on: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one "
                    + "interface's address (not used in a servlet container)"),
    CORS_ORIGINS("cors.origins", null, Kind.ORIGINS,
            "origins whose pages may call the API from a browser, with credentials (CORS): exact origins "
                    + "(scheme://host[:port]), comma-separated, no wildcard; unset: no CORS header"),
    FRAME_ANCESTORS("frame.ancestors", null, Kind.FRAME_SOURCES,
            "pages that may embed the dashboard in a frame: a CSP frame-ancestors source list "
                    + "(e.g. https://portal.example.org 'self'); unset: 'none'"),

    AUTH("auth", "token", Kind.CHOICE,
            "token: only API tokens authorise requests; container: a user the servlet container signed in is authorised "
                    + "by the roles of auth.roles as well (a token, when sent, still wins)", "token", "container"),
    AUTH_ROLES("auth.roles", "kci-read=get;kci-write=get,post,delete;kci-admin=admin", Kind.ROLES,
            "with auth=container: the container's roles and the token permissions each grants, "
                    + "role=permission,permission;role=..."),
    IDEMPOTENCY_TTL("idempotency.ttl", "86400", Kind.POSITIVE_INT,
            "seconds the answer of a write sent with an Idempotency-Key is kept and replayed to a repeat");


    /** What a setting's value must be. */
    public enum Kind { TEXT, POSITIVE_INT, POSITIVE_LONG, FLAG, CHOICE, ORIGINS, FRAME_SOURCES, ROLES }

    private final String key;
    private final String defaultValue;
    private final Kind kind;
    private final String description;
    private final List<String> choices;

    Setting(String key, String defaultValue, Kind kind, String description, String... choices) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.description = description;
        this.choices = List.of(choices);
    }

    /** The values a {@link Kind#CHOICE} takes. */
    public List<String> choices() {
        return choices;
    }

    public Kind kind() {
        return kind;
    }

    /** The name under JNDI {@code java:comp/env} and as a system property. */
    public String propertyName() {
        return "kci." + key;
    }

    public String environmentName() {
        return "KCI_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}

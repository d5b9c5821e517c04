package org.kernelci.batch.execute;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.kernelci.batch.ApiException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database: migrations, readiness and transactions. The service starts even when
 * the database is down; until it answers, requests get 503, and the first request after it comes
 * back applies the migrations and runs the start-up tasks.
 */
public final class Database {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final boolean migrate;
    private final Consumer<Handle> onReady;
    private final int statementTimeoutMillis;
    private final AtomicLong lastAttempt = new AtomicLong(System.nanoTime() - RETRY_NANOS);
    private volatile boolean ready;

    /**
     * @param migrate                apply the migrations before first use
     * @param onReady                runs once the schema is in place (for example the admin token)
     * @param statementTimeoutMillis the deadline of each statement of a read
     */
    public Database(DataSource dataSource, boolean migrate, Consumer<Handle> onReady, int statementTimeoutMillis) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        // Exception messages must not carry bound values: some are token hashes.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        this.migrate = migrate;
        this.onReady = onReady;
        this.statementTimeoutMillis = statementTimeoutMillis;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Tries to prepare the database now; false (and logged) when it does not answer. */
    public boolean start() {
        try {
            ensureReady();
            return true;
        } catch (DatabaseUnavailableException e) {
            LOG.warn("Database not reachable at start-up; will retry on demand: {}", e.getMessage());
            return false;
        }
    }

    /** Whether the database answers a trivial query now. */
    public boolean isUp() {
        try {
            ensureReady();
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The deadline of each statement of a read, in milliseconds. */
    public int statementTimeoutMillis() {
        return statementTimeoutMillis;
    }

    /** A connection of the pool (autocommit on) for the caller to close; unreachable: 503. */
    public Handle open() {
        ensureReady();
        return translate(jdbi::open);
    }

    /** Work on a connection of the pool (autocommit on); connection failures become 503. */
    public <T> T withConnection(ConnectionWork<T> work) {
        ensureReady();
        return translate(() -> jdbi.withHandle(handle -> {
            try {
                return work.apply(handle.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
            }
        }));
    }

    /** Work with a JDBI handle; connection failures become 503. */
    public <T> T withHandle(Function<Handle, T> work) {
        ensureReady();
        return translate(() -> jdbi.withHandle(work::apply));
    }

    /** Work in a read-write transaction. */
    public <T> T write(Function<Handle, T> work) {
        ensureReady();
        return translate(() -> jdbi.inTransaction(work::apply));
    }

    /** What {@link #withConnection} runs. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T apply(java.sql.Connection connection) throws SQLException;
    }

    private void ensureReady() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            long now = System.nanoTime();
            long previous = lastAttempt.get();
            if (now - previous < RETRY_NANOS) {
                throw new DatabaseUnavailableException("Database unavailable", null);
            }
            lastAttempt.set(now);
            translate(() -> {
                if (migrate) {
                    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                            .load().migrate();
                }
                jdbi.useTransaction(onReady::accept);
                return null;
            });
            ready = true;
        }
    }

    /** Maps connection failures to 503 and cancelled statements to 504. */
    static <T> T translate(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            SQLException sql = sqlCause(e);
            if (sql != null && isTimeout(sql)) {
                throw new StatementTimeoutException(e);
            }
            if (sql != null && isBadValue(sql)) {
                String message = sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
                throw ApiException.badRequest("A value cannot be stored: " + message.replaceFirst("^ERROR: ", ""));
            }
            if (isConnectionFailure(e)) {
                throw new DatabaseUnavailableException("Database unavailable", e);
            }
            throw e;
        }
    }

    /**
     * PostgreSQL refused a value the client sent: a data exception (class 22: out-of-range
     * dates, NUL characters) or a value too large for its index (54000).
     */
    private static boolean isBadValue(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.equals("54000"));
    }

    private static boolean isTimeout(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Hikari's and DBCP's "no connection in time" (DBCP: NoSuchElementException).
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.net.ConnectException
                    || t instanceof java.util.NoSuchElementException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}

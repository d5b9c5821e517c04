package org.kernelci.batch.execute;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL streaming replica that serves reads while it keeps up with the primary (CONTRACT.md
 * section 10). A probe, every {@link #PROBE_INTERVAL} on a thread of its own and on connections
 * outside the pools, reads the primary's WAL position ({@code pg_current_wal_lsn()}) and then the
 * replica's replayed position ({@code pg_last_wal_replay_lsn()}). The replica's lag is how long ago
 * the newest primary position it has replayed was read: everything committed on the primary
 * before that moment is visible on the replica. An idle primary reads as no lag (its position does
 * not move), unlike {@code now() - pg_last_xact_replay_timestamp()}; a replica cut off from the
 * primary, whose received and replayed positions agree, reads as growing lag, unlike a comparison
 * of those two. A primary that does not answer the probe gives no new position, so the lag grows too.
 *
 * <p>Reads go to the replica while its lag is at most the setting; otherwise, or when it does not
 * answer, to the primary, until the probe sees it caught up, through a connection of the reads'
 * own pool (which must be able to give one again). Each switch is logged once and counted.
 * A read that fails on the replica for connection reasons switches at once ({@link #failed}).
 */
public final class Replica implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** Where the replica is; a read source that is no standby (the primary itself through another pool), where it is. */
    private static final String REPLAYED = "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
            + "ELSE pg_current_wal_lsn() END::text";
    /**
     * How often the probe's connection is renewed while it reaches no standby: pgjdbc's
     * {@code hostRecheckSeconds}, how long it trusts what it learnt of a host.
     */
    private static final long RECHECK_NANOS = Duration.ofSeconds(10).toNanos();
    /** Primary positions older than this past the largest lag allowed are of no more use. */
    private static final long KEPT_NANOS = Duration.ofSeconds(5).toNanos();

    private final Database database;
    private final Session primary;
    private final Session replica;
    private final Session pool;
    private final long maxLagNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final AtomicLong switches = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kci-replica-lag");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean serving;
    /** Whether the probe's last round reached a standby; a first one that does is no change. */
    private boolean onStandby = true;
    private long renewedAt = System.nanoTime();
    private volatile long lagNanos = -1;

    /** A position of the primary's WAL and when it was read (System.nanoTime, before the query). */
    private record Sample(long nanos, long lsn) {
    }

    /**
     * @param database the replica, as the reads use it (its pool; no migrations)
     * @param primary  how the probe reaches the primary
     * @param replica  how the probe reaches the replica
     * @param pool     a connection of the reads' own pool, asked before the reads return to the
     *                 replica: just after an outage the pool may still fail where the probe's
     *                 connection succeeds, and the reads would leave again at once
     * @param maxLag   the most the replica may be behind and still serve reads
     */
    public Replica(Database database, Session primary, Session replica, Session pool, Duration maxLag) {
        this.database = database;
        this.primary = primary;
        this.replica = replica;
        this.pool = pool;
        this.maxLagNanos = maxLag.toNanos();
    }

    /** Probes at once and then every {@link #PROBE_INTERVAL}; until the first says so, reads go to the primary. */
    public void start() {
        prober.scheduleWithFixedDelay(this::probeQuietly, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The replica's database, for reads. */
    public Database database() {
        return database;
    }

    /** Whether reads go to the replica now. */
    public boolean serving() {
        return serving;
    }

    /**
     * A read failed on the replica and runs on the primary. A lost connection or a failure to
     * connect sends the reads to the primary until the probe sees the replica well; a full pool,
     * a query cancelled by replay, or a refusal without trying (the replica's pool still marked
     * down just after the probe saw it back) concern that read only.
     */
    public void failed(Throwable cause) {
        fallbacks.incrementAndGet();
        if (cause instanceof DatabaseUnavailableException && cause.getCause() != null) {
            stop("a read failed: " + firstLine(cause.getCause()));
        }
    }

    /** What {@code /metrics} shows: where reads go, the last lag measured (negative: unknown), the counts. */
    public record Metrics(boolean serving, double lagSeconds, long switches, long fallbacks) {
    }

    public Metrics metrics() {
        long lag = lagNanos;
        return new Metrics(serving, lag < 0 ? Double.NaN : lag / 1e9, switches.get(), fallbacks.get());
    }

    /** One round of the probe; package-private so that a test can drive it. */
    void probe() {
        long now = System.nanoTime();
        try {
            samples.addLast(new Sample(now, primary.position("SELECT pg_current_wal_lsn()::text")));
        } catch (SQLException e) {
            LOG.debug("The primary did not give its WAL position: {}", e.getMessage());
        }
        while (samples.size() > 1 && now - samples.peekFirst().nanos() > maxLagNanos + KEPT_NANOS) {
            samples.removeFirst();
        }
        long replayed;
        try {
            replayed = replica.position(REPLAYED);
            followStandby(replica.standby());
            if (!serving) {
                pool.position(REPLAYED);
            }
        } catch (SQLException e) {
            lagNanos = -1;
            stop("it does not answer: " + firstLine(e));
            return;
        }
        Optional<Long> lag = lag(replayed, System.nanoTime());
        lagNanos = lag.orElse(-1L);
        if (lag.isEmpty()) {
            stop("it has not replayed the primary's position of the last " + Duration.ofNanos(maxLagNanos).toMillis()
                    + " ms");
        } else if (lag.get() > maxLagNanos) {
            stop("it replays " + Duration.ofNanos(lag.get()).toMillis() + " ms behind");
        } else {
            serve(lag.get());
        }
    }

    /**
     * A read URL of several hosts ({@code targetServerType=preferSecondary}) lands on the primary
     * while no standby answers (after a failover, until the old primary is back as a standby), and
     * its connections stay there. While the probe reaches no standby its connection is renewed
     * every {@link #RECHECK_NANOS}, so that a standby that came (back) is found; once one is, the
     * reads' pool is emptied to follow. A read URL of one host that is no standby only costs the
     * probe a new connection each time.
     */
    private void followStandby(boolean standby) {
        if (standby) {
            if (!onStandby) {
                onStandby = true;
                database.evictConnections();
                LOG.info("The read source is a standby again: the reads' connections are renewed to reach it");
            }
            return;
        }
        onStandby = false;
        long now = System.nanoTime();
        if (now - renewedAt >= RECHECK_NANOS) {
            renewedAt = now;
            replica.close();
        }
    }

    private void serve(long lag) {
        synchronized (this) {
            if (serving) {
                return;
            }
            serving = true;
        }
        switches.incrementAndGet();
        LOG.info("Reads go to the read replica (it replays {} ms behind, at most {} ms allowed)",
                Duration.ofNanos(lag).toMillis(), Duration.ofNanos(maxLagNanos).toMillis());
    }

    /**
     * How long ago the newest primary position the replica has replayed was read; empty when it has
     * replayed none of those kept (then it is at least as far behind as the oldest).
     */
    private Optional<Long> lag(long replayed, long now) {
        Sample newestReached = null;
        for (Sample sample : samples) {
            if (sample.lsn() <= replayed) {
                newestReached = sample;
            }
        }
        if (newestReached == null) {
            return samples.isEmpty() || now - samples.peekFirst().nanos() <= maxLagNanos
                    ? Optional.empty() : Optional.of(now - samples.peekFirst().nanos());
        }
        return Optional.of(now - newestReached.nanos());
    }

    private void stop(String why) {
        synchronized (this) {
            if (!serving) {
                return;
            }
            serving = false;
        }
        switches.incrementAndGet();
        LOG.warn("Reads go to the primary until the read replica catches up: {}", why);
    }

    private void probeQuietly() {
        try {
            probe();
        } catch (RuntimeException e) {
            LOG.warn("The read replica's probe failed", e);
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        primary.close();
        replica.close();
        pool.close();
        database.close();
    }

    /** A WAL position, {@code 16/B374D848}, as a number. */
    static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("");
    }

    /** How the probe reaches a server: a connection of its own, or one borrowed from a container's pool. */
    public interface Session extends AutoCloseable {
        /** Runs a query of one text value, a WAL position. */
        long position(String sql) throws SQLException;

        /** Whether the server is a standby (in recovery), not a primary. */
        boolean standby() throws SQLException;

        @Override
        void close();

        /** A connection of its own, kept open, opened again after a failure, with short timeouts. */
        static Session direct(String url, String user, String password) {
            return new Session() {
                private Connection connection;

                /** A kept connection that fails (the server restarted since) is opened again once. */
                @Override
                public synchronized long position(String sql) throws SQLException {
                    boolean kept = connection != null;
                    try {
                        return query(connection(), sql);
                    } catch (SQLException e) {
                        close();
                        if (!kept) {
                            throw e;
                        }
                    }
                    try {
                        return query(connection(), sql);
                    } catch (SQLException e) {
                        close();
                        throw e;
                    }
                }

                @Override
                public synchronized boolean standby() throws SQLException {
                    try {
                        return inRecovery(connection());
                    } catch (SQLException e) {
                        close();
                        throw e;
                    }
                }

                private Connection connection() throws SQLException {
                    if (connection == null || connection.isClosed()) {
                        connection = connect(url, user, password);
                    }
                    return connection;
                }

                @Override
                public synchronized void close() {
                    try {
                        if (connection != null) {
                            connection.close();
                        }
                    } catch (SQLException e) {
                        // Already broken: nothing more to release.
                    }
                    connection = null;
                }
            };
        }

        /** A connection of a DataSource the service does not own, given back after each query. */
        static Session through(DataSource dataSource) {
            return new Session() {
                @Override
                public long position(String sql) throws SQLException {
                    try (Connection connection = dataSource.getConnection()) {
                        return query(connection, sql);
                    } catch (RuntimeException e) {
                        throw new SQLException(e.getMessage(), e);
                    }
                }

                /**
                 * Not asked: a container's pool is not the service's to renew, so where its
                 * connections land is the container's (and its URL's) affair.
                 */
                @Override
                public boolean standby() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }

        private static Connection connect(String url, String user, String password) throws SQLException {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            properties.setProperty("connectTimeout", Integer.toString(Probe.TIMEOUT_SECONDS));
            properties.setProperty("socketTimeout", Integer.toString(Probe.TIMEOUT_SECONDS));
            properties.setProperty("ApplicationName", "kci-batch replica probe");
            Driver driver = Probe.DRIVER;
            Connection connection = driver.connect(url, properties);
            if (connection == null) {
                throw new SQLException("not a PostgreSQL URL: " + url);
            }
            return connection;
        }

        private static boolean inRecovery(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(Probe.TIMEOUT_SECONDS);
                try (ResultSet rows = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                    return rows.next() && rows.getBoolean(1);
                }
            }
        }

        private static long query(Connection connection, String sql) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(Probe.TIMEOUT_SECONDS);
                try (ResultSet rows = statement.executeQuery(sql)) {
                    if (!rows.next() || rows.getString(1) == null) {
                        throw new SQLException("no WAL position (a standby that streams no WAL?)");
                    }
                    return lsn(rows.getString(1));
                }
            }
        }
    }
}

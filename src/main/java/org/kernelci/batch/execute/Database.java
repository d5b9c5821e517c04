package org.kernelci.batch.execute;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;
import org.kernelci.batch.ThrottledLine;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The PostgreSQL database: migrations, availability and transactions. The service starts even
 * when the database is down; until it answers, requests get 503, and the first request after it
 * comes back applies the migrations and runs the start-up tasks.
 *
 * <p>Two reasons for a 503 are told apart. A pool with no connection free in time while the
 * database answers is "busy" ({@link ServiceBusyException}). A failure to connect, or a lost
 * connection or a failed probe after which the probe gets no answer, is an outage: the database
 * is then marked down and every request is refused at once, without waiting on the pool, until
 * the {@link Probe}, run every {@link #PROBE_INTERVAL}, sees it answer again.
 *
 * <p>Whether the database answers is the probe's to say, on a connection of its own with short
 * timeouts, never the pool's: a pool that gave no connection in time asks the probe, so a hung
 * database is an outage rather than a busy pool, and the last failure HikariCP remembers from an
 * outage does not mark down again a database the probe saw come back.
 *
 * <p>An outage is two lines of the log, whatever the traffic: one WARN when it is marked down
 * (why, and where), one INFO when the probe sees it again (how long, and how many requests were
 * refused meanwhile). Requests refused in between are counted, not logged.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();
    static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    /**
     * How old the probe's last answer may be for {@code /health} to say up: a probe gives up
     * within {@link Probe#TIMEOUT_SECONDS}, so an older one means the probe itself is stuck.
     */
    private static final long FRESH_NANOS = Duration.ofSeconds(2).toNanos();
    /** How long a request whose pool timed out waits for the probe: one under way, then its own. */
    private static final long PROBE_WAIT_MILLIS = 3L * Probe.TIMEOUT_SECONDS * 1000;
    private static final long EXHAUSTION_LOG_NANOS = Duration.ofMinutes(1).toNanos();

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final boolean migrate;
    private final Consumer<Handle> onReady;
    private final int statementTimeoutMillis;
    private final Probe probe;
    /** A replica's: its outages are logged by {@link Replica} as switches of the reads, not here. */
    private final boolean quiet;
    private final AtomicLong lastAttempt = new AtomicLong(System.nanoTime() - RETRY_NANOS);
    private final AtomicLong busyRefusals = new AtomicLong();
    private final AtomicLong outageRefusals = new AtomicLong();
    private final ThrottledLine busyWarning = new ThrottledLine(LOG, Level.WARN,
            "Service busy: no database connection free in time, answered 503 busy");
    private final ThrottledLine outageWarning = new ThrottledLine(LOG, Level.WARN, "Answered 503");
    /** The grants found missing so far, each logged once: a flood of refusals is one line. */
    private final Set<String> loggedGrants = ConcurrentHashMap.newKeySet();
    /** When each SQLSTATE of class 53 was last logged. */
    private final ConcurrentHashMap<String, Long> exhaustionLogged = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private volatile boolean down;
    /** When (System.nanoTime) the probe last got an answer. */
    private volatile long answeredAt = System.nanoTime() - FRESH_NANOS;
    /** The verdict of the next probe to start, which a request that asked for one waits for. */
    private CompletableFuture<Boolean> nextProbe = new CompletableFuture<>();
    private boolean probeQueued;
    /** A request lost its connection and the probe it asked for has not answered yet. */
    private volatile boolean suspected;
    /** Probing all the time (from {@link #start()}), not only while down: what {@code /health} reads. */
    private boolean watching;
    /** Why the database was last marked down, and where: what a refusal while it is down says. */
    private volatile String downBecause = "";
    /** When (System.nanoTime) it was marked down, and the refusals counted by then: the recovery line tells the rest. */
    private long downSince;
    private long outageRefusalsBefore;
    private long busyRefusalsBefore;
    private ScheduledExecutorService prober;
    private ScheduledFuture<?> probing;

    /**
     * @param migrate                apply the migrations before first use
     * @param onReady                runs once the schema is in place (for example the admin token)
     * @param statementTimeoutMillis the deadline of each statement of a read
     * @param probe                  asks the database whether it answers, outside the pool
     */
    public Database(DataSource dataSource, boolean migrate, Consumer<Handle> onReady, int statementTimeoutMillis,
                    Probe probe) {
        this(dataSource, migrate, onReady, statementTimeoutMillis, probe, false);
    }

    private Database(DataSource dataSource, boolean migrate, Consumer<Handle> onReady, int statementTimeoutMillis,
                     Probe probe, boolean quiet) {
        this.quiet = quiet;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        // Exception messages must not carry bound values: some are token hashes.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        this.migrate = migrate;
        this.onReady = onReady;
        this.statementTimeoutMillis = statementTimeoutMillis;
        this.probe = probe;
    }

    /**
     * A streaming replica's database, for reads only: no migrations, no start-up tasks, and its
     * outages not logged (the reads then go to the primary, and {@link Replica} logs that).
     */
    public static Database replica(DataSource dataSource, int statementTimeoutMillis, Probe probe) {
        return new Database(dataSource, false, handle -> { }, statementTimeoutMillis, probe, true);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Tries to prepare the database now, and from then on probes it every {@link #PROBE_INTERVAL};
     * false (and logged) when it does not answer.
     */
    public boolean start() {
        try {
            ensureReady();
            return true;
        } catch (DatabaseUnavailableException e) {
            LOG.warn("Database not reachable at start-up; will retry on demand: {}", e.getMessage());
            return false;
        } finally {
            watch();
        }
    }

    /**
     * Whether the database answered the probe lately and its schema is in place: what
     * {@code /health} says, read from the probe's last round without waiting on the database
     * (a balancer's check gives up after its interval, 500 ms in scale/topology.sh); not while a
     * request's lost connection waits for the probe's verdict, so that no answer says "up" after
     * a 503 said "unavailable" before the probe has seen the database again.
     */
    public boolean answers() {
        return ready && !down && !suspected && System.nanoTime() - answeredAt < FRESH_NANOS;
    }

    /** What the service counted and what the pool holds, for {@code /metrics}. */
    public Metrics metrics() {
        Optional<Metrics.Pool> pool = Optional.empty();
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
            pool = Optional.of(new Metrics.Pool(bean.getActiveConnections(), bean.getIdleConnections(),
                    bean.getThreadsAwaitingConnection(), hikari.getMaximumPoolSize()));
        }
        return new Metrics(!down, busyRefusals.get(), outageRefusals.get(), pool);
    }

    /** The state a monitoring system reads. */
    public record Metrics(boolean up, long busyRefusals, long unavailableRefusals, Optional<Pool> pool) {
        /** Connections in use, idle, requests waiting for one, and the pool's size. */
        public record Pool(int active, int idle, int waiting, int maximum) {
        }
    }

    /** The deadline of each statement of a read, in milliseconds. */
    public int statementTimeoutMillis() {
        return statementTimeoutMillis;
    }

    /** A connection of the pool (autocommit on) for the caller to close; down: 503 at once. */
    public Handle open() {
        return connect(jdbi::open);
    }

    /**
     * A connection got by {@code connect}; down: 503 at once; a failure to connect marks it down.
     * A pool that gave none in time asks the probe: no answer is an outage (a hung database), an
     * answer a busy pool, or one still backing off after an outage, whose remembered failure
     * (HikariCP's timeout carries the last) is older than the probe's answer: then the back-off
     * is cut short and the pool asked again.
     */
    private <C> C connect(Supplier<C> connect) {
        ensureAvailable();
        try {
            return connect.get();
        } catch (RuntimeException e) {
            if (!timedOutInPool(e)) {
                if (Fault.of(e, false) == Fault.OUTAGE) {
                    markDown(e);
                }
                throw refusal(e, false);
            }
            // Marked down while this request waited (the probe had no answer): refused as such.
            ensureAvailable();
            if (!probeAnswers()) {
                markDown(new SQLTimeoutException("no answer to the probe in " + PROBE_WAIT_MILLIS + " ms"));
                ensureAvailable();
            }
            if (Fault.of(e, false) != Fault.OUTAGE) {
                throw refusal(e, false);
            }
            endPoolBackOff();
            try {
                return connect.get();
            } catch (RuntimeException again) {
                throw refusal(again, false);
            }
        }
    }

    /** Whether no connection of the pool came in time (HikariCP's timeout, or DBCP's). */
    private static boolean timedOutInPool(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return Fault.of(e, false) == Fault.BUSY;
    }

    /** Work on a connection of the pool (autocommit on); connection failures become 503. */
    public <T> T withConnection(ConnectionWork<T> work) {
        // Straight from the pool, without a JDBI handle: a 304's change-count round is little
        // more than this, and a handle's configuration copy was a tenth of its cost.
        Connection connection = connect(() -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("No connection: " + e.getMessage(), e);
            }
        });
        return translate(() -> {
            try (connection) {
                return work.apply(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
            }
        }, false);
    }

    /** Work with a JDBI handle; connection failures become 503. */
    public <T> T withHandle(Function<Handle, T> work) {
        return run(work, false);
    }

    /**
     * Work in a read-write transaction. A connection lost while committing is answered "outcome
     * unknown" ({@link #commit}), not "unavailable": the write may be stored.
     */
    public <T> T write(Function<Handle, T> work) {
        return run(handle -> {
            handle.begin();
            T result;
            try {
                result = work.apply(handle);
            } catch (RuntimeException e) {
                try {
                    handle.rollback();
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            commit(handle);
            return result;
        }, true);
    }

    /**
     * Commits the handle's transaction. A failure before COMMIT reached PostgreSQL leaves nothing
     * stored; one while it was under way (the connection lost, its answer never read) may have
     * stored everything: that is {@link CommitOutcomeUnknownException}, never a 503.
     */
    static void commit(Handle handle) {
        try {
            handle.commit();
        } catch (RuntimeException e) {
            if (Fault.ofCommit(e) == Fault.OUTCOME_UNKNOWN) {
                throw new CommitOutcomeUnknownException(e);
            }
            throw e;
        }
    }

    /** What {@link #withConnection} runs. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T run(Function<Handle, T> work, boolean write) {
        Handle handle = open();
        return translate(() -> {
            try (handle) {
                return work.apply(handle);
            }
        }, write);
    }

    /** Stops the probe and closes its connection. */
    @Override
    public void close() {
        synchronized (this) {
            if (prober != null) {
                prober.shutdownNow();
            }
        }
        probe.close();
    }

    private void ensureAvailable() {
        if (down) {
            outageRefusals.incrementAndGet();
            throw new DatabaseUnavailableException("Database unavailable: " + downBecause, null);
        }
        ensureReady();
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
            try {
                if (migrate) {
                    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                            .load().migrate();
                }
                jdbi.useTransaction(onReady::accept);
            } catch (RuntimeException e) {
                if (Fault.of(e, false) == Fault.OUTAGE) {
                    markDown(e);
                }
                throw refusal(e, true);
            }
            ready = true;
        }
    }

    /** Connection failures: every request refused at once until the probe sees the database. */
    private synchronized void markDown(Throwable cause) {
        if (down) {
            return;
        }
        down = true;
        downBecause = outage(cause);
        downSince = System.nanoTime();
        outageRefusalsBefore = outageRefusals.get();
        busyRefusalsBefore = busyRefusals.get();
        if (!quiet) {
            LOG.warn("Database unavailable: {}; requests get 503 until it answers", downBecause);
        }
        if (probing == null) {
            long interval = PROBE_INTERVAL.toMillis();
            probing = prober().scheduleWithFixedDelay(this::probeRound, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Probes now, so that {@code /health} can tell as soon as the service answers, then every
     * {@link #PROBE_INTERVAL}, up or down.
     */
    private void watch() {
        probeRound();
        synchronized (this) {
            watching = true;
            if (probing == null) {
                long interval = PROBE_INTERVAL.toMillis();
                probing = prober().scheduleWithFixedDelay(this::probeRound, interval, interval, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * One question to the probe: an answer marks the database up (and prepares it, the first
     * time), none marks it down, saying why.
     */
    private void probeRound() {
        CompletableFuture<Boolean> verdict;
        synchronized (this) {
            verdict = nextProbe;
            nextProbe = new CompletableFuture<>();
            probeQueued = false;
        }
        try {
            probe.ask();
        } catch (SQLException | RuntimeException e) {
            markDown(e);
            suspected = false;
            verdict.complete(false);
            return;
        }
        answeredAt = System.nanoTime();
        up();
        suspected = false;
        verdict.complete(true);
        if (!ready) {
            try {
                ensureReady();
            } catch (RuntimeException e) {
                // Refused and logged as a request's would be; the next round tries again.
            }
        }
    }

    /** Whether a probe that starts now gets an answer: one is queued unless one already is; waits for it. */
    private boolean probeAnswers() {
        CompletableFuture<Boolean> verdict;
        synchronized (this) {
            verdict = nextProbe;
            queueProbe();
        }
        try {
            return verdict.get(PROBE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * A connection was lost in use: the probe, on its own thread, tells whether the database is
     * gone (then it is marked down) or only that connection was (a terminated backend).
     */
    private synchronized void suspect() {
        if (!down) {
            suspected = true;
            queueProbe();
        }
    }

    /** A probe round on the probe's thread, unless one is queued already. */
    private synchronized void queueProbe() {
        if (probeQueued) {
            return;
        }
        try {
            prober().execute(this::probeRound);
            probeQueued = true;
        } catch (RejectedExecutionException e) {
            // Closed: the service is stopping, and the request is refused as it would be anyway.
            nextProbe.complete(false);
        }
    }

    private synchronized ScheduledExecutorService prober() {
        if (prober == null) {
            prober = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "kci-database-probe");
                thread.setDaemon(true);
                return thread;
            });
        }
        return prober;
    }

    private synchronized void up() {
        if (!down) {
            return;
        }
        down = false;
        if (probing != null && !watching) {
            probing.cancel(false);
            probing = null;
        }
        endPoolBackOff();
        if (!quiet) {
            // The outage's second and last line: what it cost, counted instead of logged per request.
            LOG.info("Database answers again after {} s; meanwhile answered 503 unavailable {} times, 503 busy {} times",
                    Duration.ofNanos(System.nanoTime() - downSince).toSeconds(),
                    outageRefusals.get() - outageRefusalsBefore, busyRefusals.get() - busyRefusalsBefore);
        }
    }

    /**
     * Closes the pool's idle connections now and the others when given back: the server they
     * reach is no longer the one wanted (a primary demoted, or a standby back for the reads).
     */
    public void evictConnections() {
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /** Cuts the service's own pool's back-off short ({@link PoolThreads}): the database answers. */
    private void endPoolBackOff() {
        if (dataSource instanceof HikariDataSource hikari && hikari.getThreadFactory() instanceof PoolThreads threads) {
            threads.endBackOff();
        }
    }

    /** A 503 busy for a capacity of the service other than the pool, counted and logged as busy. */
    ServiceBusyException busy(String why) {
        busyRefusals.incrementAndGet();
        ServiceBusyException busy = new ServiceBusyException("Service busy: " + why, null);
        busyWarning.log(busy);
        return busy;
    }

    /** Runs work that uses a connection already obtained, mapping its failures to answers. */
    <T> T translate(Supplier<T> work, boolean write) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw refusal(e, write);
        }
    }

    /**
     * The exception a failure is answered with ({@link Fault#answer}), else the failure itself
     * (500), counted and logged as this database's.
     */
    RuntimeException refusal(RuntimeException e, boolean write) {
        if (e instanceof PartlyStoredException partly) {
            return new PartlyStoredException(partly.stored(), refusal(partly.failure(), write));
        }
        RuntimeException answer = answered(e, write ? Fault.Work.WRITE : Fault.Work.READ);
        logged(answer);
        if (answer instanceof CommitOutcomeUnknownException unknown) {
            suspect();
            if (!quiet) {
                SQLException lost = sqlCause(unknown);
                LOG.warn("A write's COMMIT was under way when its connection was lost ({}): answered outcome unknown",
                        firstLine(lost == null ? unknown.getCause() : lost));
            }
        }
        if (answer instanceof DatabaseUnavailableException && answer != e) {
            if (Fault.hasState(e, Fault.READ_ONLY)) {
                // The server was demoted under the pool: its other connections go too, and new
                // ones find the primary (a multi-host URL with targetServerType=primary).
                evictConnections();
            }
            suspect();
            outageRefusals.incrementAndGet();
            answer = new DatabaseUnavailableException("Database unavailable: " + outage(e), e);
            // Once marked down, the outage's lines (down, then up with the count) tell it all.
            if (!quiet && !down) {
                outageWarning.log(answer);
            }
        } else if (answer instanceof ServiceBusyException && answer != e) {
            busyRefusals.incrementAndGet();
            if (!quiet) {
                busyWarning.log(e);
            }
        }
        return answer;
    }

    /**
     * The problem of one operation of a batch that failed, for its entry: the classifier's
     * ({@link Fault#answer}), logged as the Database logs its kind; a failure of the service's
     * own is logged with the operation on {@code log}, under the id its 500 names.
     */
    Problem problem(Throwable failure, Fault.Work work, Logger log, Object operation) {
        Optional<ApiException> answer = Fault.answer(failure, work);
        if (answer.isPresent()) {
            logged(answer.get());
            return answer.get().problem();
        }
        String id = UUID.randomUUID().toString();
        log.error("Internal error {} in batch operation {}", id, operation, failure);
        return Problem.internal(id);
    }

    /** What the operator must act on (a grant, a resource), logged once, not per request. */
    private void logged(RuntimeException answer) {
        if (answer instanceof MissingGrantException missing) {
            logOnce(missing);
        }
        if (answer instanceof ResourceExhaustedException exhausted) {
            logExhausted(exhausted);
        }
    }

    /** Logs a missing grant the first time this service meets it, at WARN: the operator's to fix. */
    private void logOnce(MissingGrantException missing) {
        if (loggedGrants.add(missing.getMessage())) {
            LOG.warn("{}; requests that need it get 503 (PostgreSQL: {})", missing.getMessage(),
                    missing.serverMessage());
        }
    }

    /**
     * Logs a resource the database lacks, with PostgreSQL's words (which may name its files: never
     * in an answer), at WARN once per SQLSTATE a minute: a flood of refusals is one line.
     */
    private void logExhausted(ResourceExhaustedException exhausted) {
        long now = System.nanoTime();
        Long previous = exhaustionLogged.get(exhausted.sqlState());
        if ((previous == null || now - previous >= EXHAUSTION_LOG_NANOS)
                && (previous == null ? exhaustionLogged.putIfAbsent(exhausted.sqlState(), now) == null
                : exhaustionLogged.replace(exhausted.sqlState(), previous, now))) {
            LOG.warn("{} (SQLSTATE {}, PostgreSQL: {}); such requests get 503", exhausted.getMessage(),
                    exhausted.sqlState(), exhausted.serverMessage());
        }
    }

    /**
     * What a connection failure means, and where, for the log and the exception: "the database at
     * host:port refused the connection", not the pool's "Connection is not available, request
     * timed out". The place is the pool's URL's host and port (never the URL: it may carry a
     * password); a container's pool does not tell it, and then the driver's words do.
     */
    String outage(Throwable cause) {
        String where = where().map(hosts -> " at " + hosts).orElse("");
        SQLException last = null;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "the database host is unknown (" + t.getMessage() + where.replace(" at ", ", configured: ") + ")";
            }
            if (t instanceof java.net.ConnectException) {
                return "the database" + (where.isEmpty() ? " " + firstLine(last) : where)
                        + " refused the connection: it is down, or not listening there";
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return "the database" + where + " did not answer in time (" + firstLine(t) + ")";
            }
            if (t instanceof SQLException sql) {
                last = sql;
            }
        }
        String words = firstLine(last == null ? cause : last).replaceFirst("^(ERROR|FATAL): ", "");
        if (Fault.hasState(cause, Fault.READ_ONLY)) {
            return "the database" + where + " reached a standby, which refused a write: the primary moved (its"
                    + " connections are renewed), or the URL names no primary (" + words + ")";
        }
        if (last != null && last.getSQLState() != null && last.getSQLState().startsWith("57P0")) {
            return "the database" + where + " is shutting down or starting up (" + words + ")";
        }
        return "the database" + where + " does not answer (" + words + ")";
    }

    /** The host:port pairs of the service's own pool's URL; empty for a container's pool. */
    private Optional<String> where() {
        if (!(dataSource instanceof HikariDataSource hikari) || hikari.getJdbcUrl() == null) {
            return Optional.empty();
        }
        java.util.Properties parsed = org.postgresql.Driver.parseURL(hikari.getJdbcUrl(), null);
        if (parsed == null) {
            return Optional.empty();
        }
        String[] hosts = parsed.getProperty("PGHOST", "localhost").split(",");
        String[] ports = parsed.getProperty("PGPORT", "5432").split(",");
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            pairs.add(hosts[i] + ":" + ports[Math.min(i, ports.length - 1)]);
        }
        return Optional.of(String.join(", ", pairs));
    }

    /** Whether a failure means the database does not answer or the connection was lost. */
    static boolean isConnectionFailure(Throwable e) {
        return Fault.of(e, false) == Fault.OUTAGE;
    }

    /**
     * Runs an operation of the executor's whose failures are mapped to answers as
     * {@link #translate(Supplier, boolean)} does, classified as {@code classified} says, for code
     * that has no Database at hand (they are not counted in the metrics).
     */
    static <T> T translate(Supplier<T> work, Fault.Work classified) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw answered(e, classified);
        }
    }

    /** The problem a failure is, thrown; a failure of the service's own, itself (a 500). */
    private static RuntimeException answered(RuntimeException e, Fault.Work work) {
        return Fault.answer(e, work).<RuntimeException>map(api -> api).orElse(e);
    }

    private static String firstLine(Throwable e) {
        String message = e == null || e.getMessage() == null ? "" : e.getMessage();
        return message.lines().findFirst().orElse("");
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

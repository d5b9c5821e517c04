package org.kernelci.batch.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import jakarta.ws.rs.ApplicationPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.spi.AbstractContainerLifecycleListener;
import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.servlet.ServletContainer;
import org.kernelci.batch.auth.AddressRange;
import org.kernelci.batch.auth.RoleMapping;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.ChangeCounts;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.execute.PoolThreads;
import org.kernelci.batch.execute.Probe;
import org.kernelci.batch.execute.Replica;
import org.kernelci.batch.http.Endpoints;
import org.kernelci.batch.metrics.ServiceMetrics;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.render.ListShape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The service: built from its settings, wired by constructor. A servlet container finds it through
 * {@link ApplicationPath} and reads the settings from JNDI, system properties and the environment.
 */
@ApplicationPath("/")
public class KciApplication extends ResourceConfig {
    private static final Logger LOG = LoggerFactory.getLogger(KciApplication.class);

    static {
        // Jersey logs through java.util.logging: into SLF4J with everything else (logback.xml
        // propagates its levels back to JUL, so that filtered records cost nothing).
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    public KciApplication() {
        this(Settings.fromEnvironment(), Clock.systemUTC());
    }

    public KciApplication(Settings settings, Clock clock) {
        try {
            settings.check();
        } catch (IllegalStateException e) {
            // One line that says what to fix; the container logs the failed start after it.
            LOG.error("Not started: {}", e.getMessage());
            throw e;
        }
        ServiceMetrics metrics = new ServiceMetrics();
        DataSource dataSource = settings.dataSource().orElseGet(() -> pool("kci", settings.required(Setting.DB_URL),
                settings.get(Setting.DB_USER), settings.get(Setting.DB_PASSWORD), settings, metrics));
        // The service's own pool: the probe gets a connection of its own; a container's: through it.
        Probe probe = settings.dataSource().isPresent() ? Probe.through(dataSource)
                : Probe.direct(settings.required(Setting.DB_URL), settings.get(Setting.DB_USER).orElse(null),
                        settings.get(Setting.DB_PASSWORD).orElse(null));
        String adminToken = settings.get(Setting.ADMIN_TOKEN).orElse(null);
        Database database = new Database(dataSource, settings.flag(Setting.MIGRATE), handle -> {
            if (adminToken != null) {
                TokenStore.ensureAdmin(handle, adminToken, clock.instant());
            }
        }, settings.positiveInt(Setting.STATEMENT_TIMEOUT_MS), probe);
        database.start();
        metrics.database(database::metrics);
        // Folding writes: on the primary only, like the migrations.
        ChangeCounts changeCounts = new ChangeCounts(database);
        changeCounts.start();
        Optional<Replica> replica = replica(settings, metrics);
        replica.ifPresent(present -> {
            metrics.readReplica(present::metrics);
            present.start();
        });
        QueryPlanner planner = new QueryPlanner(clock, settings.positiveInt(Setting.MAX_ROWS),
                settings.flag(Setting.STRICT_QUERY));
        Endpoints.register(this, database, replica, planner, new TokenStore(database,
                () -> replica.filter(Replica::serving).map(Replica::database), clock), trustedProxies(settings),
                containerRoles(settings), clock, version(), settings.positiveInt(Setting.MAX_OPERATIONS),
                settings.positiveInt(Setting.MAX_BODY_BYTES), metrics, limits(settings),
                ListShape.valueOf(settings.choice(Setting.BATCH_LISTS).toUpperCase(java.util.Locale.ROOT)),
                settings.crossOrigins(Setting.CORS_ORIGINS), settings.frameAncestors(Setting.FRAME_ANCESTORS),
                Duration.ofSeconds(settings.positiveInt(Setting.IDEMPOTENCY_TTL)),
                settings.positiveInt(Setting.RATE_OPERATIONS), settings.positiveInt(Setting.RATE_BURST),
                Duration.ofMillis(settings.positiveInt(Setting.BODY_TIMEOUT_MS)));

        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        // Locations as the original and the contract write them: a path from the host's root
        // (the context's path first), not made absolute with the host the request came through.
        property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        property("jersey.config.disableDefaultProvider", "DATASOURCE");
        register(new AbstractContainerLifecycleListener() {
            @Override
            public void onStartup(Container container) {
                metrics.publishToJmx(jmxDomain(container));
            }

            @Override
            public void onShutdown(Container container) {
                database.close();
                changeCounts.close();
                replica.ifPresent(present -> {
                    present.close();
                    if (present.database().dataSource() instanceof HikariDataSource pool) {
                        pool.close();
                    }
                });
                if (dataSource instanceof HikariDataSource pool) {
                    pool.close();
                }
                metrics.close();
            }
        });
    }

    /** {@code kci-batch} for the root context, {@code kci-batch.kci} for {@code /kci}: one domain per context. */
    private static String jmxDomain(Container container) {
        String path = container instanceof ServletContainer servlet && servlet.getServletContext() != null
                ? servlet.getServletContext().getContextPath() : "";
        return "kci-batch" + path.replaceAll("[^A-Za-z0-9_-]+", ".");
    }

    /** One operation may always return its most rows: the batch budget is at least that. */
    private static BatchRunner.Limits limits(Settings settings) {
        return new BatchRunner.Limits(
                Math.max(settings.positiveInt(Setting.BATCH_MAX_ROWS), settings.positiveInt(Setting.MAX_ROWS)),
                settings.positiveLong(Setting.BATCH_MAX_BYTES), settings.positiveInt(Setting.HEAVY_BATCHES),
                Duration.ofMillis(settings.positiveInt(Setting.DB_POOL_WAIT_MS)),
                Duration.ofMillis(settings.positiveInt(Setting.READ_IDLE_TIMEOUT_MS)),
                settings.positiveInt(Setting.CALLER_READS), settings.positiveInt(Setting.DB_POOL_SIZE),
                Duration.ofMillis(settings.positiveInt(Setting.COSTLY_READ_MS)));
    }

    /**
     * The streaming replica that serves reads, when JNDI has {@code jdbc/kci-read} or
     * {@code KCI_DB_READ_URL} is set (its user and password default to the primary's: a physical
     * replica has the primary's roles). Its lag probe reaches both servers outside the pools.
     */
    private static Optional<Replica> replica(Settings settings, ServiceMetrics metrics) {
        Optional<String> url = settings.get(Setting.DB_READ_URL);
        if (settings.readDataSource().isEmpty() && url.isEmpty()) {
            return Optional.empty();
        }
        Replica.Session primary = settings.dataSource().map(Replica.Session::through)
                .orElseGet(() -> Replica.Session.direct(settings.required(Setting.DB_URL),
                        settings.get(Setting.DB_USER).orElse(null), settings.get(Setting.DB_PASSWORD).orElse(null)));
        int timeout = settings.positiveInt(Setting.STATEMENT_TIMEOUT_MS);
        Duration maxLag = Duration.ofMillis(settings.positiveInt(Setting.READ_MAX_LAG_MS));
        if (settings.readDataSource().isPresent()) {
            DataSource reads = settings.readDataSource().get();
            return Optional.of(new Replica(Database.replica(reads, timeout, Probe.through(reads)), primary,
                    Replica.Session.through(reads), Replica.Session.through(reads), maxLag));
        }
        Optional<String> user = settings.get(Setting.DB_READ_USER).or(() -> settings.get(Setting.DB_USER));
        Optional<String> password = settings.get(Setting.DB_READ_PASSWORD).or(() -> settings.get(Setting.DB_PASSWORD));
        DataSource reads = pool("kci-read", url.get(), user, password, settings, metrics);
        return Optional.of(new Replica(Database.replica(reads, timeout,
                Probe.direct(url.get(), user.orElse(null), password.orElse(null))),
                primary, Replica.Session.direct(url.get(), user.orElse(null), password.orElse(null)),
                Replica.Session.through(reads), maxLag));
    }

    private static DataSource pool(String name, String url, Optional<String> user, Optional<String> password,
                                   Settings settings, ServiceMetrics metrics) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
        config.setJdbcUrl(url);
        // In a servlet container DriverManager does not see the WAR's driver: name it.
        config.setDriverClassName("org.postgresql.Driver");
        user.ifPresent(config::setUsername);
        password.ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.positiveInt(Setting.DB_POOL_SIZE));
        // Start even when the database is down, and fail fast (503) while it stays down.
        config.setInitializationFailTimeout(-1);
        // A full pool is answered "busy" after this short wait, not after seconds (HikariCP's
        // floor is 250 ms).
        config.setConnectionTimeout(Math.max(250, settings.positiveInt(Setting.DB_POOL_WAIT_MS)));
        config.setValidationTimeout(1000);
        // Threads the service knows, so that the end of an outage cuts the pool's back-off short.
        config.setThreadFactory(new PoolThreads(name));
        return new HikariDataSource(config);
    }

    /** With {@code KCI_AUTH=container}: the roles of the users the container signs in; else none, tokens only. */
    private static Optional<RoleMapping> containerRoles(Settings settings) {
        return settings.choice(Setting.AUTH).equals("container") ? Optional.of(settings.roles(Setting.AUTH_ROLES))
                : Optional.empty();
    }

    private static List<AddressRange> trustedProxies(Settings settings) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String entry : settings.get(Setting.TRUSTED_PROXIES).orElse("").split(",")) {
            if (!entry.isBlank()) {
                try {
                    ranges.add(AddressRange.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("Setting " + Setting.TRUSTED_PROXIES.environmentName() + ": " + e.getMessage(), e);
                }
            }
        }
        return ranges;
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = KciApplication.class.getResourceAsStream("/kci-batch.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}

package org.kernelci.batch.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import jakarta.servlet.Filter;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.kernelci.batch.app.KciApplication;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.app.Settings;
import org.kernelci.batch.launch.Launcher;

/**
 * A real service for tests: the application in its own Jetty on a free port, against a fresh
 * database of the shared embedded PostgreSQL (or one the test brings).
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private final Server jetty;
    private final URI base;
    private final String jdbcUrl;
    private final HttpProbe http;
    private final RequestLog requests;
    private final KciApplication application;

    private TestServer(Server jetty, URI base, String jdbcUrl, RequestLog requests, KciApplication application) {
        this.jetty = jetty;
        this.base = base;
        this.jdbcUrl = jdbcUrl;
        this.http = new HttpProbe(base);
        this.requests = requests;
        this.application = application;
    }

    /** The embedded PostgreSQL shared by the tests of this JVM. */
    public static synchronized EmbeddedPostgres sharedPostgres() {
        if (shared == null) {
            try {
                shared = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** A new, empty database in the shared PostgreSQL; returns its JDBC URL. */
    public static String freshDatabase() {
        String name = "kci_test_" + DATABASES.incrementAndGet();
        try (Connection connection = sharedPostgres().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return sharedPostgres().getJdbcUrl("postgres", name);
    }

    /** Starts a service on a fresh database. */
    public static TestServer start(Clock clock, Map<Setting, String> settings) {
        return start(freshDatabase(), clock, settings);
    }

    /** Starts a service on a fresh database, with these filters in front of it (a test's own pages, say). */
    public static TestServer start(Clock clock, Map<Setting, String> settings, Filter... filters) {
        return start(freshDatabase(), clock, settings, Optional.empty(), Optional.empty(), filters);
    }

    /** Starts a service on the given database. */
    public static TestServer start(String jdbcUrl, Clock clock, Map<Setting, String> extra) {
        return start(jdbcUrl, clock, extra, Optional.empty());
    }

    /** Starts a service on the given database, reached through the given DataSource if any. */
    public static TestServer start(String jdbcUrl, Clock clock, Map<Setting, String> extra,
                                   Optional<DataSource> dataSource) {
        return start(jdbcUrl, clock, extra, dataSource, Optional.empty());
    }

    /** Starts a service on the given database, with a DataSource that serves reads (as JNDI jdbc/kci-read would). */
    public static TestServer start(String jdbcUrl, Clock clock, Map<Setting, String> extra,
                                   Optional<DataSource> dataSource, Optional<DataSource> readDataSource) {
        return start(jdbcUrl, clock, extra, dataSource, readDataSource, new Filter[0]);
    }

    private static TestServer start(String jdbcUrl, Clock clock, Map<Setting, String> extra,
                                    Optional<DataSource> dataSource, Optional<DataSource> readDataSource, Filter[] filters) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        values.put(Setting.DB_URL, jdbcUrl);
        values.put(Setting.DB_USER, "postgres");
        values.put(Setting.ADMIN_TOKEN, ADMIN_TOKEN);
        values.putAll(extra);
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // Idle connections stay open for the whole test run: a test's client never races the
        // server closing a pooled connection.
        connector.setIdleTimeout(600_000);
        jetty.addConnector(connector);
        KciApplication application = new KciApplication(
                new Settings(List.of(setting -> Optional.ofNullable(values.get(setting))), dataSource, readDataSource),
                clock);
        RequestLog requests = new RequestLog();
        Filter[] all = new Filter[filters.length + 1];
        all[0] = requests;
        System.arraycopy(filters, 0, all, 1, filters.length);
        ServletContextHandler context = Launcher.webApp(application, all);
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new TestServer(jetty, URI.create("http://127.0.0.1:" + connector.getLocalPort()), jdbcUrl, requests,
                application);
    }

    public URI base() {
        return base;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * Stores a token with this value and these permission columns of the token table set
     * ({@code can_get}, {@code can_post}, {@code is_lab}, {@code is_superuser}, ...).
     */
    public void addToken(String value, String... permissionColumns) {
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (String column : permissionColumns) {
            columns.append(", ").append(column);
            values.append(", true");
        }
        try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement sequence = connection.createStatement()) {
            sequence.execute("CREATE SEQUENCE IF NOT EXISTS token_test_ids");
            try (var statement = connection.prepareStatement("INSERT INTO token (id, token_hash, created_on" + columns
                    + ") VALUES (lpad(to_hex(nextval('token_test_ids')), 24, '0'), sha256(convert_to(?, 'UTF8')), now()"
                    + values + ")")) {
                statement.setString(1, value);
                statement.execute();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The application this server runs: its registered resources are the service's routes. */
    public KciApplication application() {
        return application;
    }

    public HttpProbe http() {
        return http;
    }

    /** The requests this server received, as the servlet container saw them. */
    public RequestLog requests() {
        return requests;
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

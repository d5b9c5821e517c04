package org.kernelci.batch.launch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.kernelci.batch.http.ConditionalBatchFilter;
import org.kernelci.batch.http.CrossOriginFilter;
import org.kernelci.batch.http.MalformedMediaTypes;
import org.kernelci.batch.http.RequestBodies;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jdbi.v3.core.Jdbi;
import org.kernelci.batch.app.KciApplication;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.app.Settings;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.generate.DataGenerator;

/**
 * The development run command: the service in an embedded Jetty at the root path. Without
 * KCI_DB_URL it starts an embedded PostgreSQL whose data persist in {@code data/} (ignored by
 * git), on the same port each time, loads demo data on first start, and prints the database's URL
 * and user (for the command-line tool), an admin token and a read-only demo token, each kept in
 * {@code data/}. A PostgreSQL left running by a run that was killed is stopped first.
 */
public final class Launcher {
    private static final Path DATA = Path.of("data");
    /** The seed and the number of boots of the demo data the first start loads (the frontend's tests load the same). */
    public static final long DEMO_SEED = 42;
    public static final int DEMO_BOOTS = 20_000;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        StartupProgress progress = new StartupProgress();
        Settings environment = Settings.fromEnvironment();
        try {
            environment.check();
        } catch (IllegalStateException e) {
            refuse(e.getMessage());
        }
        Map<Setting, String> overrides = new EnumMap<>(Setting.class);
        EmbeddedPostgres embedded = null;
        String adminToken = null;
        if (environment.get(Setting.DB_URL).isEmpty()) {
            Files.createDirectories(DATA);
            Path postgres = DATA.resolve("postgres");
            try {
                StalePostgres.stopIfAny(postgres);
            } catch (StalePostgres.InUse e) {
                refuse(e.getMessage());
            }
            int port = embeddedPort();
            embedded = progress.step((Files.exists(postgres.resolve("PG_VERSION")) ? "starting" : "creating and starting")
                    + " the embedded PostgreSQL (" + postgres + ", port " + port + ")",
                    () -> EmbeddedPostgres.builder()
                            .setDataDirectory(postgres)
                            .setCleanDataDirectory(false)
                            .setPort(port)
                            .start());
            overrides.put(Setting.DB_URL, "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres");
            overrides.put(Setting.DB_USER, "postgres");
            adminToken = environment.get(Setting.ADMIN_TOKEN).orElse(null);
            if (adminToken == null) {
                adminToken = kept("admin-token");
                overrides.put(Setting.ADMIN_TOKEN, adminToken);
            }
        }
        Settings settings = Settings.withOverrides(overrides);
        KciApplication application = progress.step("connecting to the database and applying its migrations", () -> {
            try {
                return new KciApplication(settings, Clock.systemUTC());
            } catch (IllegalStateException e) {
                refuse(e.getMessage());
                throw e;
            }
        });

        String demoToken = null;
        if (embedded != null) {
            EmbeddedPostgres database = embedded;
            if (isEmpty(database)) {
                progress.step("first start: loading the demo data (" + String.format(Locale.ROOT, "%,d", DEMO_BOOTS)
                        + " boots with their jobs, builds, logs and tests)", () -> loadDemoData(database));
            }
            demoToken = kept("demo-token");
            String token = demoToken;
            Jdbi.create(embedded.getPostgresDatabase())
                    .useHandle(handle -> TokenStore.ensureReader(handle, token, Clock.systemUTC().instant()));
        }

        int port = settings.positiveInt(Setting.PORT);
        String host = settings.required(Setting.HOST);
        Server jetty = server(host, port);
        ServletContextHandler context = webApp(application);
        jetty.setHandler(context);
        progress.step("starting the web server on " + host + ", port " + port, () -> {
            jetty.start();
            return jetty;
        });

        EmbeddedPostgres database = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                jetty.stop();
                if (database != null) {
                    database.close();
                }
            } catch (Exception e) {
                System.err.println("Stopping: " + e);
            }
        }, "kci-shutdown"));

        System.out.println();
        System.out.println("kci-batch is running on http://localhost:" + port + "/  (started in " + progress.total()
                + "; Ctrl-C stops it)");
        System.out.println("  listening on " + host + (host.equals("127.0.0.1") ? " (this machine only: KCI_HOST=0.0.0.0 for"
                + " every interface)" : ""));
        System.out.println("  dashboard: http://localhost:" + port + "/dashboard/");
        System.out.println("  database: " + settings.required(Setting.DB_URL)
                + (embedded != null ? "  (user postgres, no password; data in data/postgres)" : ""));
        if (embedded != null) {
            System.out.println("  for the command-line tool: export KCI_DB_URL=" + settings.required(Setting.DB_URL)
                    + " KCI_DB_USER=postgres");
            System.out.println("  admin token: " + adminToken + "  (kept in data/admin-token)");
        }
        if (demoToken != null) {
            System.out.println("  demo token (read-only): " + demoToken + "  (kept in data/demo-token)");
            System.out.println("  try: curl -H 'Authorization: " + demoToken + "' 'http://localhost:" + port
                    + "/count/boot?status=FAIL&date_range=5'");
        }
        jetty.join();
    }

    /** A start that cannot go on (a bad setting, a second run): one plain line, and a non-zero exit. */
    private static void refuse(String reason) {
        System.err.println("kci-batch: " + reason);
        System.exit(2);
    }

    /**
     * Jetty as tomcat-conf/server.xml sets up Tomcat's connector, on the given address. Jetty reads
     * request heads and bodies without blocking a thread (RequestBodies reads the bodies), so slow
     * clients hold connections, not threads; these bound what they hold.
     */
    public static Server server(String host, int port) {
        // Tomcat's 200 workers; a few kept warm for a quiet development run.
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("kci-http");
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        // A connection silent this long is closed: an idle keep-alive connection, or a head sent
        // slowly, holds a socket and no thread. Jetty's default, 30 s, kept: Jetty counts the
        // silence while a long batch is answered too (each answer is held whole, then sent).
        connector.setIdleTimeout(30_000);
        jetty.addConnector(connector);
        // Past this many connections Jetty stops accepting until some close (tomcat-conf: maxConnections).
        jetty.addBean(new NetworkConnectionLimit(2000, connector));
        return jetty;
    }

    /**
     * What the WAR's web.xml declares, in an embedded Jetty context at the root path: Jersey's
     * servlet and the filters ({@code more} after the media-type one, before the CORS one, the
     * bodies' and the kept batches' one; the last two in the ASYNC dispatch too), all
     * async-supported (a kept batch's 304 waits for its change counts without a thread), and the
     * WAR's static files.
     */
    public static ServletContextHandler webApp(KciApplication application, Filter... more) {
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder jersey = new ServletHolder(new ServletContainer(application));
        jersey.setAsyncSupported(true);
        context.addServlet(jersey, "/*");
        addFilter(context, new FilterHolder(MalformedMediaTypes.class), List.of("/*"));
        for (Filter filter : more) {
            addFilter(context, new FilterHolder(filter), List.of("/*"));
        }
        addFilter(context, new FilterHolder(CrossOriginFilter.class), List.of("/*"));
        // The bodies' reading and the kept batches' 304 run again in the ASYNC dispatch that sends a body read on.
        addFilter(context, new FilterHolder(RequestBodies.class), List.of("/*"), DispatcherType.ASYNC);
        addFilter(context, new FilterHolder(ConditionalBatchFilter.class), ConditionalBatchFilter.PATHS,
                DispatcherType.ASYNC);
        // The WAR's static files (the dashboard), as the WAR's root folder.
        context.setBaseResourceAsPath(Path.of("webapp").toAbsolutePath());
        return context;
    }

    private static void addFilter(ServletContextHandler context, FilterHolder filter, List<String> paths,
                                  DispatcherType... more) {
        filter.setAsyncSupported(true);
        EnumSet<DispatcherType> dispatches = EnumSet.of(DispatcherType.REQUEST, more);
        paths.forEach(path -> context.addFilter(filter, path, dispatches));
    }

    private static boolean isEmpty(EmbeddedPostgres embedded) throws SQLException {
        try (Connection connection = embedded.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM boot)")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    private static Void loadDemoData(EmbeddedPostgres embedded) throws SQLException {
        try (Connection connection = embedded.getPostgresDatabase().getConnection()) {
            connection.setAutoCommit(false);
            DataGenerator.load(connection, DEMO_SEED, DEMO_BOOTS, LocalDate.now(ZoneOffset.UTC), written -> { });
        }
        return null;
    }

    /** A token value made once and kept beside the data, in {@code data/<name>}. */
    private static String kept(String name) throws IOException {
        Path file = DATA.resolve(name);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String token = UUID.randomUUID().toString();
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        return token;
    }

    /**
     * The embedded PostgreSQL's port: chosen free on first start and kept in
     * {@code data/postgres-port}, so that the URL given to the command-line tool stays valid.
     */
    private static int embeddedPort() throws IOException {
        Path file = DATA.resolve("postgres-port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).strip());
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(file, port + "\n", StandardCharsets.UTF_8);
        return port;
    }
}

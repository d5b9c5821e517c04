package org.kernelci.batch.launch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
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
import java.util.Map;
import java.util.UUID;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.kernelci.batch.http.MalformedMediaTypes;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jdbi.v3.core.Jdbi;
import org.kernelci.batch.app.KciApplication;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.app.Settings;
import org.kernelci.batch.auth.TokenStore;

/**
 * The development run command: the service in an embedded Jetty at the root path. Without
 * KCI_DB_URL it starts an embedded PostgreSQL whose data persist in {@code data/} (ignored by
 * git), loads demo data on first start and prints a read-only demo token.
 */
public final class Launcher {
    private static final Path DATA = Path.of("data");
    private static final long DEMO_SEED = 42;
    private static final int DEMO_BOOTS = 20_000;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Settings environment = Settings.fromEnvironment();
        Map<Setting, String> overrides = new EnumMap<>(Setting.class);
        EmbeddedPostgres embedded = null;
        if (environment.get(Setting.DB_URL).isEmpty()) {
            Files.createDirectories(DATA);
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(DATA.resolve("postgres"))
                    .setCleanDataDirectory(false)
                    .start();
            overrides.put(Setting.DB_URL, embedded.getJdbcUrl("postgres", "postgres"));
            overrides.put(Setting.DB_USER, "postgres");
        }
        Settings settings = Settings.withOverrides(overrides);
        KciApplication application = new KciApplication(settings, Clock.systemUTC());

        String demoToken = null;
        if (embedded != null) {
            loadDemoData(embedded);
            demoToken = demoToken();
            String token = demoToken;
            Jdbi.create(embedded.getPostgresDatabase())
                    .useHandle(handle -> TokenStore.ensureReader(handle, token, Clock.systemUTC().instant()));
        }

        int port = settings.positiveInt(Setting.PORT);
        Server jetty = new Server(port);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new ServletContainer(application)), "/*");
        context.addFilter(MalformedMediaTypes.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        // The WAR's static files (the dashboard), as the WAR's root folder.
        context.setBaseResourceAsPath(Path.of("webapp").toAbsolutePath());
        jetty.setHandler(context);
        jetty.start();

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
        System.out.println("kci-batch is running on http://localhost:" + port + "/  (Ctrl-C stops it)");
        System.out.println("  dashboard: http://localhost:" + port + "/dashboard/");
        System.out.println("  database: " + settings.required(Setting.DB_URL));
        if (demoToken != null) {
            System.out.println("  demo token (read-only): " + demoToken);
            System.out.println("  try: curl -H 'Authorization: " + demoToken + "' 'http://localhost:" + port
                    + "/count/boot?status=FAIL&date_range=5'");
        }
        jetty.join();
    }

    private static void loadDemoData(EmbeddedPostgres embedded) throws SQLException {
        try (Connection connection = embedded.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM boot)")) {
            rows.next();
            if (rows.getBoolean(1)) {
                return;
            }
            System.out.println("First start: loading demo data (" + DEMO_BOOTS + " boots)...");
            connection.setAutoCommit(false);
            DataGenerator.load(connection, DEMO_SEED, DEMO_BOOTS, LocalDate.now(ZoneOffset.UTC), written -> { });
        }
    }

    /** The demo token, made once and kept beside the data. */
    private static String demoToken() throws IOException {
        Path file = DATA.resolve("demo-token");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String token = UUID.randomUUID().toString();
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        return token;
    }
}

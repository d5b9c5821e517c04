package org.kernelci.batch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.app.Settings;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * The database a command works on: the service's own settings {@code KCI_DB_URL},
 * {@code KCI_DB_USER} and {@code KCI_DB_PASSWORD}, read from the environment, and
 * {@code --password-file}. {@link #open()} checks that it answers and applies the migrations.
 */
final class DatabaseOptions {
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "read the database password from the first line of FILE instead of KCI_DB_PASSWORD")
    private Path passwordFile;

    private final Settings settings;

    DatabaseOptions(Map<String, String> environment) {
        this.settings = new Settings(List.of(setting -> Optional.ofNullable(environment.get(setting.environmentName()))),
                Optional.empty());
    }

    /** The URL, for messages. */
    String url() {
        return settings.get(Setting.DB_URL).orElseThrow(() -> new CliFailure(
                "KCI_DB_URL is not set: the JDBC URL of the database, e.g. jdbc:postgresql://127.0.0.1:5432/kci"));
    }

    /**
     * The database, reachable and migrated; else a one-line failure naming the URL and the user.
     */
    OpenDatabase open() {
        String url = url();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException();
            }
            dataSource.setURL(url);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("KCI_DB_URL is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): '"
                    + url + "'");
        }
        settings.get(Setting.DB_USER).ifPresent(dataSource::setUser);
        password().ifPresent(dataSource::setPassword);
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        String user = settings.get(Setting.DB_USER).orElse(System.getProperty("user.name"));
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(CONNECT_TIMEOUT_SECONDS)) {
                throw new CliFailure("the database at " + url + " does not answer");
            }
        } catch (SQLException e) {
            throw new CliFailure("cannot connect to " + url + " as " + user + ": " + why(e, dataSource));
        }
        try {
            Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
            int applied = flyway.migrate().migrationsExecuted;
            MigrationInfo current = flyway.info().current();
            return new OpenDatabase(dataSource, current == null ? "none" : current.getVersion().toString(), applied);
        } catch (FlywayException e) {
            throw new CliFailure("cannot apply the migrations to " + url + ": " + CliFailure.firstLine(e));
        }
    }

    /**
     * Why connecting failed: the driver's own words, but for an unknown host or no answer, which
     * it words as "The connection attempt failed." without naming the host.
     */
    private static String why(SQLException e, PGSimpleDataSource dataSource) {
        String where = String.join(", ", places(dataSource));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage() + " (" + where + ")";
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return "no answer from " + where + " within " + CONNECT_TIMEOUT_SECONDS + " s";
            }
        }
        return CliFailure.firstLine(e);
    }

    /** The URL's host:port pairs. */
    private static List<String> places(PGSimpleDataSource dataSource) {
        String[] hosts = dataSource.getServerNames();
        int[] ports = dataSource.getPortNumbers();
        List<String> places = new java.util.ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            int port = ports == null || ports.length == 0 ? 0 : ports[Math.min(i, ports.length - 1)];
            places.add(hosts[i] + ":" + (port == 0 ? 5432 : port));
        }
        return places;
    }

    /** A database that answers, with its schema version after the migrations. */
    record OpenDatabase(DataSource dataSource, String schemaVersion, int migrationsApplied) {
    }

    private Optional<String> password() {
        if (passwordFile == null) {
            return settings.get(Setting.DB_PASSWORD);
        }
        try {
            return Optional.of(Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse(""));
        } catch (IOException e) {
            throw new CliFailure("cannot read the password file " + passwordFile + ": " + CliFailure.firstLine(e));
        }
    }
}

package org.kernelci.batch.deploy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The PostgreSQL of {@link TomcatDeploymentIT}, run by the build around Cargo's Tomcat (pom.xml):
 * <pre>
 * serve PORT CONTROL_PORT WAR TOMCAT_CONF LOG  its own JVM, started (asynchronously) before Tomcat
 * await CONTROL_PORT SECONDS               returns once the databases are ready; fails if not
 * stop CONTROL_PORT                        after Tomcat stopped: stops PostgreSQL and serve
 * </pre>
 * A test may also send {@code outage} (PostgreSQL stops, its data kept) and {@code restart} (it
 * starts again on the same port) to the control port: {@link #outage} and {@link #restart}.
 * One embedded PostgreSQL with the two set-ups of the README's "Deploying to Tomcat": the
 * database {@value #OWNED} owned by the role of context.xml (the service migrates it), and
 * {@value #RESTRICTED} owned by {@code kci_owner}, migrated here from the WAR's SQL files and
 * read by {@code kci_app} with the grants of {@code tomcat-conf/restricted-role.sql}.
 * serve also stops PostgreSQL when the JVM that started it (Maven's) ends, however it ends.
 */
public final class DeploymentDatabase {
    public static final String OWNED = "kci";
    public static final String RESTRICTED = "kci_restricted";
    private static final String MIGRATIONS = "WEB-INF/classes/db/migration/";

    private static volatile EmbeddedPostgres postgres;
    /** Kept between an outage and the restart; removed by stop. */
    private static volatile Path data;
    private static volatile String state = "starting";

    private DeploymentDatabase() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "serve" -> {
                logTo(Path.of(args[5]));
                serve(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), Path.of(args[4]));
            }
            case "await" -> await(Integer.parseInt(args[1]), Duration.ofSeconds(Long.parseLong(args[2])));
            case "stop" -> stop(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("usage: serve|await|stop ... (see the class comment)");
        }
    }

    /** serve runs detached from Maven's console: its output goes to a file. */
    private static void logTo(Path log) throws IOException {
        Files.createDirectories(log.getParent());
        PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(out);
    }

    private static void serve(int port, int controlPort, Path war, Path tomcatConf) throws IOException {
        ServerSocket control = new ServerSocket(controlPort, 8, InetAddress.getLoopbackAddress());
        ProcessHandle.current().parent().ifPresent(maven -> maven.onExit().thenRun(() -> {
            System.out.println("The build ended: stopping PostgreSQL");
            closePostgres();
            removeData();
            System.exit(0);
        }));
        Thread starter = new Thread(() -> {
            try {
                data = Files.createTempDirectory("kci-tomcat-it-pg");
                postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data)
                        .setCleanDataDirectory(false).start();
                prepare(postgres, war, tomcatConf);
                state = "ready";
                System.out.println("PostgreSQL ready on port " + port);
            } catch (Exception | Error e) {
                e.printStackTrace();
                state = "failed " + e;
            }
        }, "start-postgres");
        starter.start();
        while (true) {
            try (Socket client = control.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
                String command = in.readLine();
                if ("stop".equals(command)) {
                    join(starter);
                    closePostgres();
                    removeData();
                    out.println("stopped");
                    System.exit(0);
                }
                if ("outage".equals(command)) {
                    closePostgres();
                    state = "down";
                } else if ("restart".equals(command)) {
                    try {
                        postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data)
                                .setCleanDataDirectory(false).start();
                        state = "ready";
                    } catch (IOException e) {
                        e.printStackTrace();
                        state = "failed " + e;
                    }
                }
                out.println(state);
            }
        }
    }

    /** Roles and databases as the README says an operator makes them. */
    private static void prepare(EmbeddedPostgres postgres, Path war, Path tomcatConf) throws SQLException, IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : List.of(
                    "CREATE ROLE kci LOGIN PASSWORD 'change-me'",
                    "CREATE DATABASE kci OWNER kci",
                    "CREATE ROLE kci_owner LOGIN PASSWORD 'change-me'",
                    "CREATE ROLE kci_app LOGIN PASSWORD 'change-me'",
                    "CREATE DATABASE kci_restricted OWNER kci_owner")) {
                statement.execute(sql);
            }
        }
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("kci_owner", RESTRICTED));
             Statement statement = connection.createStatement();
             ZipFile zip = new ZipFile(war.toFile())) {
            List<ZipEntry> migrations = new ArrayList<>(zip.stream()
                    .filter(e -> e.getName().startsWith(MIGRATIONS + "V") && e.getName().endsWith(".sql")).toList());
            migrations.sort(Comparator.comparing(e -> version(e.getName()), Arrays::compare));
            if (migrations.isEmpty()) {
                throw new IllegalStateException("No migrations under " + MIGRATIONS + " in " + war);
            }
            for (ZipEntry migration : migrations) {
                statement.execute(new String(zip.getInputStream(migration).readAllBytes(), StandardCharsets.UTF_8));
            }
            statement.execute(Files.readString(tomcatConf.resolve("restricted-role.sql")));
        }
    }

    /** The version of {@code .../V1_2__name.sql} as numbers, as {@code sort -V} orders them. */
    static int[] version(String path) {
        String name = path.substring(path.lastIndexOf('/') + 2);
        return Arrays.stream(name.substring(0, name.indexOf("__")).split("[._]")).mapToInt(Integer::parseInt).toArray();
    }

    private static void await(int controlPort, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not started";
        while (System.nanoTime() < deadline) {
            try {
                last = ask(controlPort, "state");
                if (last.equals("ready")) {
                    return;
                }
                if (last.startsWith("failed")) {
                    break;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("PostgreSQL for the Tomcat test is not ready (" + last
                + "); see target/tomcat-it/postgres.log");
    }

    private static void stop(int controlPort) throws IOException, InterruptedException {
        try {
            System.out.println("PostgreSQL for the Tomcat test: " + ask(controlPort, "stop"));
        } catch (ConnectException e) {
            System.out.println("PostgreSQL for the Tomcat test was not running");
            return;
        }
        // Wait for serve's JVM to be gone, so that Maven sees its process end before Maven's own
        // shutdown (else the exec plugin's watcher prints a harmless "Shutdown in progress").
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
                Thread.sleep(50);
            } catch (ConnectException gone) {
                Thread.sleep(300);
                return;
            }
        }
    }

    /** Stops PostgreSQL, keeping its data, until {@link #restart}: a database outage for Tomcat's service. */
    static void outage(int controlPort) throws IOException {
        String answer = ask(controlPort, "outage");
        if (!answer.equals("down")) {
            throw new IllegalStateException("PostgreSQL for the Tomcat test did not stop: " + answer);
        }
    }

    /** Starts PostgreSQL again after {@link #outage}, on the same port with the same data. */
    static void restart(int controlPort) throws IOException {
        String answer = ask(controlPort, "restart");
        if (!answer.equals("ready")) {
            throw new IllegalStateException("PostgreSQL for the Tomcat test did not start again: " + answer);
        }
    }

    private static void removeData() {
        if (data == null) {
            return;
        }
        try (var paths = Files.walk(data)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    private static String ask(int controlPort, String command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
            socket.setSoTimeout(60_000);
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println(command);
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return answer == null ? "no answer" : answer;
        }
    }

    private static synchronized void closePostgres() {
        EmbeddedPostgres running = postgres;
        postgres = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                e.printStackTrace();
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

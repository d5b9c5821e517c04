package org.kernelci.batch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** The command-line tool against a real PostgreSQL: exit codes, one-line failures, rows, tokens. */
class KciCliIT {
    private static final String LINES = """
            {"_id":{"$oid":"5480a2f959b5141a4b4e1b03"},"created_on":{"$date":1417716473000},"board":"panda",\
            "job":"next","kernel":"next-20141204","time":{"$date":12345},"metadata":{"a":1},"board_offline":false}
            {"_id":{"$oid":"5480a2f959b5141a4b4e1b04"},"warnings":"many"}
            {"_id":"5480a2f959b5141a4b4e1b05","created_on":"2014-12-04T18:07:55Z","board":"beagle","job":"next"}
            """;
    private static final String BOOT_REPORT = """
            {"version":"1.0","lab_name":"lab-cli","job":"next","kernel":"v4.0","defconfig":"multi_v7_defconfig",
             "board":"panda","boot_result":"PASS","boot_time":1.5,"arch":"arm"}""";

    @TempDir
    Path directory;

    /** What one command line did. */
    private record Run(int status, String out, String err) {
        /** A failure told in one line, without a stack trace. */
        void assertOneLineFailure(String expected) {
            assertEquals(2, status, this::toString);
            assertEquals("", out, this::toString);
            assertEquals(1, err.lines().count(), this::toString);
            assertTrue(err.startsWith("kci-batch-cli: " + expected), this::toString);
        }
    }

    private static Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KciCli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> database(String url) {
        return Map.of("KCI_DB_URL", url, "KCI_DB_USER", "postgres");
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    @DisplayName("import: a file (plain or gzipped) stored like POST /import stores it, twice without change; exit 1 when lines were rejected")
    void importsLikeTheEndpoint() throws IOException {
        Path plain = Files.writeString(directory.resolve("boot.ndjson"), LINES);
        Path zipped = directory.resolve("boot.ndjson.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(zipped))) {
            out.write(LINES.getBytes(StandardCharsets.UTF_8));
        }
        String url = TestServer.freshDatabase();
        Run first = run(database(url), "import", "boot", plain.toString());
        assertEquals(1, first.status(), first::toString);
        assertTrue(first.out().contains("] 100% "), first::toString);
        assertTrue(first.out().contains("boot: imported 2 documents, rejected 1 lines in "), first::toString);
        assertTrue(first.out().contains("  line 2: 'warnings' must be an integer, not \"many\"\n"), first::toString);
        assertTrue(first.out().contains("members kept as extras (documents that had them):\n  board_offline: 1\n"), first::toString);
        Run again = run(database(url), "import", "boot", zipped.toString());
        assertTrue(again.out().contains("imported 2 documents, rejected 1"), again::toString);

        try (TestServer imported = TestServer.start(url, Clock.systemUTC(), Map.of());
             TestServer posted = TestServer.start(Clock.systemUTC(), Map.of())) {
            Reply reply = posted.http().send("POST", "/import/boot", LINES.getBytes(StandardCharsets.UTF_8),
                    "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/x-ndjson");
            assertEquals(200, reply.status());
            String expected = posted.http().get("/boot", "Authorization", TestServer.ADMIN_TOKEN).body();
            assertTrue(expected.startsWith("{\"code\":200,\"count\":2,"), expected);
            assertEquals(expected, imported.http().get("/boot", "Authorization", TestServer.ADMIN_TOKEN).body());
        }
        Path clean = Files.writeString(directory.resolve("clean.ndjson"), LINES.lines().findFirst().orElseThrow());
        assertEquals(0, run(database(url), "import", "boot", clean.toString()).status());
    }

    @Test
    @DisplayName("import stopped by the database (a full disk at the second chunk): exit 2, one line naming the cause"
            + " and the lines imported")
    void importStoppedByTheDatabase() throws IOException, SQLException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            lines.append(String.format("{\"_id\":{\"$oid\":\"5480a2f759b5141a4b%06x\"},\"job\":\"%s\",\"kernel\":\"k\"}%n",
                    i, i == 1200 ? "no-room" : "next"));
        }
        Path file = Files.writeString(directory.resolve("job.ndjson"), lines);
        String url = TestServer.freshDatabase();
        assertEquals(0, run(database(url), "migrate").status());
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            // A real error of class 53, raised on purpose.
            statement.execute("""
                    CREATE FUNCTION it_full() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.job = 'no-room' THEN
                            RAISE EXCEPTION USING ERRCODE = 'disk_full', MESSAGE = 'could not extend file "base/1/2"';
                        END IF;
                        RETURN NEW;
                    END $$;
                    CREATE TRIGGER it_full BEFORE INSERT ON job FOR EACH ROW EXECUTE FUNCTION it_full();
                    """);
        }
        Run stopped = run(database(url), "import", "job", file.toString());
        assertEquals(2, stopped.status(), stopped::toString);
        assertEquals("kci-batch-cli: SQL failed: could not extend file \"base/1/2\"; the import stopped at line 1001:"
                + " lines 1 to 1000 were imported (1000 documents stored, 0 rejected); import the file again, or from"
                + " line 1001\n", stopped.err().replace("\r\n", "\n"));
        assertEquals(1000, count(url, "SELECT count(*) FROM job"));
    }

    @Test
    @DisplayName("usage errors and unusable files exit 2 in one line, before touching the database")
    void usage() {
        Map<String, String> nowhere = database("jdbc:postgresql://127.0.0.1:1/nowhere");
        Run none = run(nowhere);
        assertEquals(2, none.status());
        assertTrue(none.err().contains("a command is needed") && none.err().contains("Usage: kci-batch-cli"), none::toString);
        assertEquals(2, run(nowhere, "import", "boot").status());
        run(nowhere, "import", "boots", "x").assertOneLineFailure("unknown collection: boots (one of job, "
                + "defconfig (or build), boot, lab, test_group, test_case, error_logs)\n");
        run(nowhere, "import", "boot", directory.resolve("missing").toString())
                .assertOneLineFailure("cannot read " + directory.resolve("missing") + ": no such file\n");
        run(nowhere, "import", "boot", directory.toString())
                .assertOneLineFailure("cannot read " + directory + ": it is a directory\n");
        run(nowhere, "generate", "many").assertOneLineFailure("BOOTS must be a number");
        run(nowhere, "token", "create", "--email", "x@example.org", "--ip", "not-an-address")
                .assertOneLineFailure("Invalid token request: 'ip_address' has 'not-an-address'");
        Run password = run(nowhere, "migrate", "--password-file", "/nonexistent/secret");
        assertEquals(2, password.status(), password::toString);
        assertTrue(password.err().startsWith("kci-batch-cli: cannot read the password file /nonexistent/secret"));
    }

    @Test
    @DisplayName("a missing or bad URL, a refused connection and a refused login: one line, exit 2")
    void unusableDatabases() {
        run(Map.of(), "migrate").assertOneLineFailure("KCI_DB_URL is not set");
        run(database("http://127.0.0.1/kci"), "migrate").assertOneLineFailure("KCI_DB_URL is not a PostgreSQL JDBC URL");
        run(database("jdbc:postgresql://127.0.0.1:1/kci"), "migrate")
                .assertOneLineFailure("cannot connect to jdbc:postgresql://127.0.0.1:1/kci as postgres: Connection to 127.0.0.1:1 refused");
        run(database("jdbc:postgresql://no-such-host.invalid:5433/kci"), "migrate").assertOneLineFailure(
                "cannot connect to jdbc:postgresql://no-such-host.invalid:5433/kci as postgres: unknown host "
                        + "no-such-host.invalid (no-such-host.invalid:5433)\n");
        String url = TestServer.freshDatabase();
        run(Map.of("KCI_DB_URL", url, "KCI_DB_USER", "nobody"), "migrate")
                .assertOneLineFailure("cannot connect to " + url + " as nobody: role \"nobody\" does not exist");
    }

    @Test
    @DisplayName("migrate applies the migrations to an empty database; the password may come from a file")
    void migrates() throws IOException, SQLException {
        String url = TestServer.freshDatabase();
        Path secret = Files.writeString(directory.resolve("secret"), "unused-with-trust\n");
        Run migrated = run(database(url), "migrate", "--password-file", secret.toString());
        assertEquals(0, migrated.status(), migrated::toString);
        assertTrue(migrated.out().startsWith(url + ": schema version "), migrated::toString);
        assertEquals(0, count(url, "SELECT count(*) FROM boot"));
        Run again = run(database(url), "migrate");
        assertTrue(again.out().endsWith("(0 migrations applied now)\n"), again::toString);
    }

    @Test
    @DisplayName("generate fills an empty database and refuses one with data in one line")
    void generates() throws SQLException {
        String url = TestServer.freshDatabase();
        Run generated = run(database(url), "generate", "1_000", "--seed", "7");
        assertEquals(0, generated.status(), generated::toString);
        assertTrue(generated.out().contains("loaded 2 jobs, 200 builds, 1,000 boots, "), generated::toString);
        assertEquals(1000, count(url, "SELECT count(*) FROM boot"));
        assertEquals(200, count(url, "SELECT count(*) FROM build"));
        run(database(url), "generate", "10").assertOneLineFailure(
                "the database at " + url + " already has data (2 job, 200 build, 1,000 boot, ");
        assertEquals(1000, count(url, "SELECT count(*) FROM boot"));
    }

    @Test
    @DisplayName("token create: a read-only token reads, a lab token posts a boot, neither makes tokens; --json")
    void tokensWorkOverHttp() {
        String url = TestServer.freshDatabase();
        Run reader = run(database(url), "token", "create", "--email", "dashboard@example.org", "--get");
        assertEquals(0, reader.status(), reader::toString);
        String readerToken = reader.out().strip();
        assertTrue(readerToken.matches("[0-9a-f]{48}"), reader::toString);
        assertTrue(reader.err().contains(" for dashboard@example.org: get (the value above is shown only this once)"),
                reader::toString);
        Run lab = run(database(url), "token", "create", "--email", "lab@example.org", "--lab", "--json");
        assertEquals(0, lab.status(), lab::toString);
        JsonObject labJson = Json.createReader(new StringReader(lab.out())).readObject();
        assertEquals(List.of("id", "email", "permissions", "token"), List.copyOf(labJson.keySet()));
        assertEquals("[\"lab\"]", labJson.get("permissions").toString());
        String labToken = labJson.getString("token");

        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of())) {
            assertEquals(200, server.http().get("/count/boot", "Authorization", readerToken).status());
            byte[] report = BOOT_REPORT.getBytes(StandardCharsets.UTF_8);
            assertEquals(403, server.http().send("POST", "/boot", report, "Authorization", readerToken,
                    "Content-Type", "application/json").status());
            assertEquals(201, server.http().send("POST", "/boot", report, "Authorization", labToken,
                    "Content-Type", "application/json").status());
            assertEquals(403, server.http().send("POST", "/token", "{\"email\":\"x@example.org\"}".getBytes(StandardCharsets.UTF_8),
                    "Authorization", labToken, "Content-Type", "application/json").status());
            String boots = server.http().get("/boot?lab_name=lab-cli", "Authorization", readerToken).body();
            assertTrue(boots.startsWith("{\"code\":200,\"count\":1,"), boots);
        }
    }

    /** The README's database URL, in its samples of the command-line tool. */
    private static final String README_URL = "jdbc:postgresql://127.0.0.1:34257/postgres";

    @Test
    @DisplayName("every sample of the command-line tool in the README (a command, then '# -> ' and what it prints;"
            + " '…' stands for any text) prints what it shows, against a migrated database")
    void readmeSamples() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        String url = TestServer.freshDatabase();
        assertEquals(0, run(database(url), "migrate").status());
        int samples = 0;
        for (int i = 0; i + 1 < lines.size(); i++) {
            String command = lines.get(i).strip();
            String shown = lines.get(i + 1).strip();
            if (!command.startsWith("java -jar target/kci-batch-cli.jar ") || !shown.startsWith("# -> ")) {
                continue;
            }
            String[] args = command.substring("java -jar target/kci-batch-cli.jar ".length()).split(" +");
            Run sample = run(database(url), args);
            String expected = shown.substring("# -> ".length()).replace(README_URL, url);
            String pattern = java.util.Arrays.stream(expected.split("…", -1)).map(java.util.regex.Pattern::quote)
                    .collect(java.util.stream.Collectors.joining(".*"));
            String printed = (sample.out() + sample.err()).strip();
            assertTrue(printed.matches(pattern), "README line " + (i + 2) + " shows " + expected + "; the tool printed "
                    + printed);
            samples++;
        }
        assertTrue(samples > 0, "the README shows the tool's output");
    }

    @Test
    @DisplayName("target/kci-batch-cli.jar runs on its own (no test classes): java -jar migrate, token create --json"
            + " prints the token, and a bad URL exits 2")
    void jarRunsAlone() throws IOException, InterruptedException, SQLException {
        Path jar = Path.of("target", "kci-batch-cli.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar.toAbsolutePath());
        String url = TestServer.freshDatabase();
        Run migrated = java(jar, database(url), "migrate");
        assertEquals(0, migrated.status(), migrated::toString);
        assertTrue(migrated.out().startsWith(url + ": schema version "), migrated::toString);
        // JSON-B maps the printed record only when the jar's multi-release classes load.
        Run created = java(jar, database(url), "token", "create", "--email", "jar@example.org", "--get", "--json");
        assertEquals(0, created.status(), created::toString);
        JsonObject token = Json.createReader(new StringReader(created.out())).readObject();
        assertEquals(List.of("id", "email", "permissions", "token"), List.copyOf(token.keySet()), created::toString);
        assertEquals("jar@example.org", token.getString("email"));
        assertTrue(token.getString("token").matches("[0-9a-f]{48}"), created::toString);
        assertTrue(token.getString("id").matches("[0-9a-f]{24}"), created::toString);
        assertEquals(1, count(url, "SELECT count(*) FROM token WHERE id = '" + token.getString("id") + "'"));
        Run refused = java(jar, database("jdbc:postgresql://127.0.0.1:1/kci"), "migrate");
        refused.assertOneLineFailure("cannot connect to jdbc:postgresql://127.0.0.1:1/kci");
    }

    private Run java(Path jar, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(directory.resolve("out").toFile()).redirectError(directory.resolve("err").toFile());
        Map<String, String> inherited = builder.environment();
        inherited.keySet().removeIf(name -> name.startsWith("KCI_"));
        inherited.putAll(new HashMap<>(environment));
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the CLI ended");
        String err = Files.readString(directory.resolve("err"));
        assertFalse(err.contains("\tat "), err);
        return new Run(process.exitValue(), Files.readString(directory.resolve("out")), err);
    }
}

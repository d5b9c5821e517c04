package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import jakarta.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.SqlValue;
import org.kernelci.batch.testing.TestServer;

/**
 * PostgreSQL out of disk space (issue 32): the job table lives in a tablespace on a 1 MB tmpfs,
 * filled up by another table. Every write path answers 503 with a Retry-After and a reason naming
 * the cause, never PostgreSQL's file path; nothing is half-written; once space is freed, writes
 * succeed again by themselves. Skipped where a tmpfs cannot be mounted (not root); CI runs as root.
 */
class DiskFullIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String FULL = "The database is out of disk space: retry later";
    private static Path mount;
    private static String database;
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException, InterruptedException, SQLException {
        mount = Files.createTempDirectory("kci-disk-full");
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(mounting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean mounted = mounting.waitFor() == 0;
        if (!mounted) {
            Files.delete(mount);
        }
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs for a full disk (needs root): " + output.strip());
        database = TestServer.freshDatabase();
        server = TestServer.start(database, Clock.systemUTC(), Map.of());
        sql("CREATE TABLESPACE kci_it_full LOCATION '" + mount + "'");
        sql("ALTER TABLE job SET TABLESPACE kci_it_full");
        sql("CREATE TABLE it_filler (pad text) TABLESPACE kci_it_full; ALTER TABLE it_filler ALTER pad SET STORAGE PLAIN");
        // Until the tablespace's disk is full: every row of the job table then needs a page it cannot get.
        try {
            for (int i = 0; i < 10_000; i++) {
                sql("INSERT INTO it_filler SELECT repeat('x', 2000) FROM generate_series(1, 50)");
            }
        } catch (SQLException e) {
            assertEquals("53100", e.getSQLState(), e.getMessage());
        }
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException, SQLException {
        if (server == null) {
            return;
        }
        server.close();
        try (Connection connection = TestServer.sharedPostgres().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            String name = database.replaceAll(".*/([^/?]+).*", "$1");
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            statement.execute("DROP DATABASE " + name);
            statement.execute("DROP TABLESPACE kci_it_full");
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
            Files.deleteIfExists(mount);
        }
    }

    private static long sql(String statements) throws SQLException {
        return SqlValue.of(database, statements);
    }

    private static Reply send(String method, String path, String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = ADMIN;
        all[2] = "Content-Type";
        all[3] = "application/json";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return server.http().send(method, path, body.getBytes(StandardCharsets.UTF_8), all);
    }

    /** 503, Retry-After, the cause named, no path of the server's. */
    private static void full(String what, Reply reply) {
        assertEquals(503, reply.status(), what + ": " + reply.body());
        assertEquals("30", reply.header("Retry-After"), what);
        assertEquals(FULL, json(reply.body()).getString("reason"), what);
    }

    @Test
    @DisplayName("disk full: 503 + Retry-After naming it on every write path, no path, nothing half-written, logged once;"
            + " writes come back once space is freed")
    void diskFull() throws SQLException {
        try (CapturedLog log = new CapturedLog(Database.class);
             CapturedLog mapper = new CapturedLog(ErrorMapper.class)) {
            full("a report", send("POST", "/job", "{\"job\":\"full\",\"kernel\":\"k\"}"));
            full("an array of reports", send("POST", "/job",
                    "[{\"job\":\"full\",\"kernel\":\"a\"},{\"job\":\"full\",\"kernel\":\"b\"},{\"job\":\"full\",\"kernel\":\"c\"}]"));

            Reply batch = send("POST", "/batch", """
                    [{"method":"POST","collection":"job","data":{"job":"full","kernel":"batch"}},
                     {"method":"GET","collection":"job"}]""");
            assertEquals(200, batch.status(), batch.body());
            JsonArray entries = json("{\"r\":" + batch.body() + "}").getJsonArray("r");
            assertEquals("KCI503", entries.getJsonObject(0).getJsonObject("error").getString("code"), batch.body());
            assertEquals(FULL, entries.getJsonObject(0).getJsonObject("error").getString("description"));
            assertTrue(entries.getJsonObject(1).containsKey("success"), "the read still answers: " + batch.body());

            Reply atomic = send("POST", "/batch?atomic=true", """
                    [{"method":"POST","collection":"boot","data":%s},
                     {"method":"POST","collection":"job","data":{"job":"full","kernel":"atomic"}}]"""
                    .formatted(IngestIT.boot("disk-full", "beaglebone")));
            JsonArray atomicEntries = json("{\"r\":" + atomic.body() + "}").getJsonArray("r");
            // The boot's report stores its job too: the first to meet the full disk.
            assertEquals("KCI503", atomicEntries.getJsonObject(0).getJsonObject("error").getString("code"), atomic.body());
            assertEquals(FULL, atomicEntries.getJsonObject(0).getJsonObject("error").getString("description"));
            assertEquals("KCI424", atomicEntries.getJsonObject(1).getJsonObject("error").getString("code"), atomic.body());

            Reply arango = server.http().send("POST", "/batch", ArangoBatchIT.body("b", List.of(
                    ArangoBatchIT.part(null, "POST", "/job", "{\"job\":\"full\",\"kernel\":\"arango\"}",
                            "Content-Type", "application/json"))),
                    "Authorization", ADMIN, "Content-Type", "multipart/form-data; boundary=b");
            assertTrue(arango.body().contains("HTTP/1.1 503") && arango.body().contains(FULL), arango.body());

            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 1500; i++) {
                lines.append(ImportFaultsIT.jobLine(i)).append('\n');
            }
            Reply imported = server.http().send("POST", "/import/job", lines.toString().getBytes(StandardCharsets.UTF_8),
                    "Authorization", ADMIN, "Content-Type", "application/x-ndjson");
            assertEquals(503, imported.status(), imported.body());
            assertEquals("30", imported.header("Retry-After"));
            assertEquals(FULL + "; the import stopped at line 1: no line was imported",
                    json(imported.body()).getString("reason"));

            for (Reply reply : List.of(batch, atomic, arango, imported)) {
                assertFalse(reply.body().contains("could not extend") || reply.body().contains("pg_tblspc")
                        || reply.body().contains("base/"), reply.body());
            }
            assertEquals(0, sql("SELECT count(*) FROM job"), "nothing half-written");
            assertEquals(0, sql("SELECT count(*) FROM boot WHERE job = 'disk-full'"), "the atomic batch's boot rolled back");
            List<String> warnings = log.at(Level.WARN).stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains("disk space")).toList();
            assertEquals(1, warnings.size(), "logged once: " + warnings);
            assertTrue(warnings.get(0).contains("SQLSTATE 53100") && warnings.get(0).contains("could not extend file"),
                    warnings.get(0));
            assertEquals(List.of(), log.at(Level.ERROR));
            assertEquals(List.of(), mapper.at(Level.ERROR));
        }

        sql("DROP TABLE it_filler");
        Reply again = send("POST", "/job", "{\"job\":\"room again\",\"kernel\":\"k\"}");
        assertEquals(201, again.status(), again.body());
        assertEquals(1, sql("SELECT count(*) FROM job"));
    }
}

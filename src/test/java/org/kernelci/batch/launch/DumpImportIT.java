package org.kernelci.batch.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** The command-line importer: the endpoint's reading and upsert, straight into a database. */
class DumpImportIT {
    private static final String LINES = """
            {"_id":{"$oid":"5480a2f959b5141a4b4e1b03"},"created_on":{"$date":1417716473000},"board":"panda",\
            "job":"next","kernel":"next-20141204","time":{"$date":12345},"metadata":{"a":1},"board_offline":false}
            {"_id":{"$oid":"5480a2f959b5141a4b4e1b04"},"warnings":"many"}
            {"_id":{"$oid":"5480a2f959b5141a4b4e1b05"},"created_on":"2014-12-04T18:07:55Z","board":"beagle","job":"next"}
            """;

    @TempDir
    Path directory;

    private static String run(String... args) throws IOException, SQLException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = DumpImport.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return status + "\n" + bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("imports a file (plain or gzipped) like POST /import does, twice without change; exit 1 when lines were rejected")
    void importsLikeTheEndpoint() throws IOException, SQLException {
        Path plain = Files.writeString(directory.resolve("boot.ndjson"), LINES);
        Path zipped = directory.resolve("boot.ndjson.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(zipped))) {
            out.write(LINES.getBytes(StandardCharsets.UTF_8));
        }
        String database = TestServer.freshDatabase();
        String output = run(database, "postgres", "", "boot", plain.toString());
        assertTrue(output.startsWith("1\n"), output);
        assertTrue(output.contains("] 100% "), output);
        assertTrue(output.contains("boot: imported 2 documents, rejected 1 lines in "), output);
        assertTrue(output.contains("  line 2: 'warnings' must be an integer, not \"many\"\n"), output);
        assertTrue(output.contains("members kept as extras (documents that had them):\n  board_offline: 1\n"), output);
        assertTrue(run(database, "postgres", "", "boot", zipped.toString()).contains("imported 2 documents, rejected 1"));

        try (TestServer imported = TestServer.start(database, Clock.systemUTC(), Map.of());
             TestServer posted = TestServer.start(Clock.systemUTC(), Map.of())) {
            Reply reply = posted.http().send("POST", "/import/boot", LINES.getBytes(StandardCharsets.UTF_8),
                    "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/x-ndjson");
            assertEquals(200, reply.status());
            String expected = posted.http().get("/boot", "Authorization", TestServer.ADMIN_TOKEN).body();
            assertTrue(expected.startsWith("{\"code\":200,\"count\":2,"), expected);
            assertEquals(expected, imported.http().get("/boot", "Authorization", TestServer.ADMIN_TOKEN).body());
        }
    }

    @Test
    @DisplayName("usage errors exit 2 before touching the database")
    void usage() throws IOException, SQLException {
        assertTrue(run("jdbc:postgresql://nowhere/x").startsWith("2\nusage: DumpImport "));
        assertEquals("2\nunknown collection: token\n", run("jdbc:postgresql://nowhere/x", "u", "p", "token", "x"));
        assertEquals("2\ncannot read " + directory.resolve("missing"),
                run("jdbc:postgresql://nowhere/x", "u", "p", "boot", directory.resolve("missing").toString()).strip());
    }
}

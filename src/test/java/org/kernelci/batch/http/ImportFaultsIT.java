package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.ProvokedFaults;
import org.kernelci.batch.testing.TestServer;

/** Imports that overlap, and imports that lose their connection (issue 14, item 1). */
@ExtendWith(ProvokedFaults.class)
class ImportFaultsIT {
    private static final String[] HEADERS = {"Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/x-ndjson"};

    static String jobLine(int i) {
        return String.format("{\"_id\":{\"$oid\":\"5480a2f759b5141a4b%06x\"},\"created_on\":{\"$date\":1417716471000},"
                + "\"name\":\"next-%d\",\"job\":\"next\",\"kernel\":\"k-%d\",\"status\":\"PASS\"}", i, i, i);
    }

    private static long rows(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    @DisplayName("two imports of the same 2,000 ids in different orders at once: both store every line, none rejected")
    void overlappingImports() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add(jobLine(i));
        }
        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(14));
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of())) {
            List<Future<Reply>> imports = new ArrayList<>();
            for (List<String> order : List.of(lines, shuffled)) {
                byte[] body = String.join("\n", order).getBytes(StandardCharsets.UTF_8);
                imports.add(clients.submit(() -> server.http().send("POST", "/import/job", body, HEADERS)));
            }
            for (Future<Reply> result : imports) {
                Reply reply = result.get();
                assertEquals(200, reply.status(), reply.body());
                JsonObject summary = json(reply.body()).getJsonArray("result").getJsonObject(0);
                assertEquals(2000, summary.getInt("imported"), reply.body());
                assertEquals(0, summary.getInt("rejected"), reply.body());
            }
            assertEquals(2000, rows(server.jdbcUrl(), "SELECT count(*) FROM job"));
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    @DisplayName("an import whose second chunk meets a full disk fails as a whole: 503 + Retry-After naming it, no path,"
            + " saying which lines were imported, no line rejected for it")
    void diskFull() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            String line = i == 499 ? "{not json" : jobLine(i);
            body.append(i == 1200 ? line.replace("\"job\":\"next\"", "\"job\":\"no-room\"") : line).append('\n');
        }
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of())) {
            // A real error of class 53 from the database, raised on purpose (DiskFullIT fills a real disk).
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("""
                        CREATE FUNCTION it_full() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.job = 'no-room' THEN
                                RAISE EXCEPTION USING ERRCODE = 'disk_full',
                                    MESSAGE = 'could not extend file "base/16385/16427": No space left on device';
                            END IF;
                            RETURN NEW;
                        END $$;
                        CREATE TRIGGER it_full BEFORE INSERT ON job FOR EACH ROW EXECUTE FUNCTION it_full();
                        """);
            }
            Reply reply = server.http().send("POST", "/import/job", body.toString().getBytes(StandardCharsets.UTF_8), HEADERS);
            assertEquals(503, reply.status(), reply.body());
            assertEquals("30", reply.header("Retry-After"));
            assertEquals("The database is out of disk space: retry later; the import stopped at line 1002: lines 1 to 1001"
                    + " were imported (1000 documents stored, 1 rejected); import the file again, or from line 1002",
                    json(reply.body()).getString("reason"));
            assertEquals(1000, rows(server.jdbcUrl(), "SELECT count(*) FROM job"));
        }
    }

    @Test
    @DisplayName("an import whose connection is killed half-way is a 503 saying which lines it stored, and they stay")
    void connectionLost() throws Exception {
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            first.append(jobLine(i)).append('\n');
        }
        StringBuilder rest = new StringBuilder();
        for (int i = 1500; i < 3000; i++) {
            rest.append(jobLine(i)).append('\n');
        }
        CountDownLatch killed = new CountDownLatch(1);
        InputStream waitingForTheKill = new InputStream() {
            private InputStream remaining;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (remaining == null) {
                    try {
                        killed.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    remaining = new ByteArrayInputStream(rest.toString().getBytes(StandardCharsets.UTF_8));
                }
                return remaining.read(buffer, offset, length);
            }
        };
        InputStream body = new SequenceInputStream(
                new ByteArrayInputStream(first.toString().getBytes(StandardCharsets.UTF_8)), waitingForTheKill);
        HttpClient client = HttpClient.newHttpClient();
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of());
             CapturedLog databaseLog = new CapturedLog(Database.class);
             CapturedLog mapper = new CapturedLog(ErrorMapper.class)) {
            HttpRequest request = HttpRequest.newBuilder(server.base().resolve("/import/job"))
                    .header(HEADERS[0], HEADERS[1]).header(HEADERS[2], HEADERS[3])
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
            Future<HttpResponse<String>> reply = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            // The first chunk of 1,000 documents is committed; the import waits for more lines.
            for (int attempt = 0; rows(server.jdbcUrl(), "SELECT count(*) FROM job") < 1000; attempt++) {
                assertTrue(attempt < 600, "the first chunk was never committed");
                Thread.sleep(100);
            }
            String database = server.jdbcUrl().replaceAll(".*/([^/?]+).*", "$1");
            rows(server.jdbcUrl(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                    + database + "' AND pid <> pg_backend_pid()");
            killed.countDown();
            HttpResponse<String> response = reply.get();
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("{\"code\":503,\"reason\":\"Database unavailable, retry later; the import stopped at line 1001:"
                    + " lines 1 to 1000 were imported (1000 documents stored, 0 rejected); import the file again,"
                    + " or from line 1001\"}", response.body());
            assertEquals(1000, rows(server.jdbcUrl(), "SELECT count(*) FROM job"));
            // An outage for the operator to see: WARN, never ERROR.
            assertTrue(databaseLog.at(Level.WARN).size() + mapper.at(Level.WARN).size() > 0, "the outage was not logged");
            assertEquals(List.of(), databaseLog.at(Level.ERROR));
            assertEquals(List.of(), mapper.at(Level.ERROR));
        }
    }
}

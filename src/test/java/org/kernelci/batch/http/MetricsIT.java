package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.generate.DataGenerator;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** GET /metrics for operators and the Server-Timing header of /batch answers. */
class MetricsIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String READER = "metrics-reader";
    private static final Pattern SERVER_TIMING =
            Pattern.compile("parse;dur=\\d+\\.\\d{3}, db;dur=\\d+\\.\\d{3}, render;dur=\\d+\\.\\d{3}");
    private static final String BATCH = """
            {"batch":[{"method":"GET","operation_id":"n","collection":"count","document_id":"boot"},
                      {"method":"GET","operation_id":"few","collection":"boot","query":"limit=3&field=board"}]}""";

    private static TestServer server;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        server.addToken(READER, "can_get");
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
            DataGenerator.load(connection, 5, 1_000, LocalDate.now(), rows -> { });
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpProbe http() {
        return server.http();
    }

    private static String scrape() {
        Reply reply = http().get("/metrics", "Authorization", ADMIN);
        assertEquals(200, reply.status(), reply.body());
        String type = reply.header("Content-Type").replace(" ", "");
        assertTrue(type.startsWith("text/plain;") && type.contains(";version=0.0.4") && type.contains(";charset=utf-8"), type);
        return reply.body();
    }

    /** The value of one sample of the scrape, 0 when it is not there yet. */
    private static double sample(String scrape, String nameAndLabels) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static Reply batch(String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = ADMIN;
        all[2] = "Content-Type";
        all[3] = "application/json";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return http().post("/batch", body, all);
    }

    @Test
    @DisplayName("GET /metrics: admin tokens only, 403 for others and for none")
    void adminOnly() {
        assertEquals(403, http().get("/metrics").status());
        assertEquals(403, http().get("/metrics", "Authorization", READER).status());
        assertEquals(403, http().get("/metrics", "Authorization", "no-such-token").status());
        assertEquals(200, http().get("/metrics", "Authorization", ADMIN).status());
    }

    @Test
    @DisplayName("requests by route and status, operations per batch, database time, rows streamed, the pool: counters move")
    void countersMove() {
        String before = scrape();
        assertEquals(200, batch(BATCH).status());
        assertEquals(200, http().get("/boot?limit=5", "Authorization", READER).status());
        assertEquals(200, http().get("/count/boot", "Authorization", READER).status());
        assertEquals(404, http().get("/no_such_collection", "Authorization", READER).status());
        String after = scrape();

        String batchRoute = "kci_http_requests_seconds_count{method=\"POST\",route=\"/batch\",status=\"200\"}";
        assertEquals(1, sample(after, batchRoute) - sample(before, batchRoute), after);
        String listing = "kci_http_requests_seconds_count{method=\"GET\",route=\"/{collection}\",status=\"200\"}";
        assertEquals(1, sample(after, listing) - sample(before, listing), after);
        String counted = "kci_http_requests_seconds_count{method=\"GET\",route=\"/count/{collection}\",status=\"200\"}";
        assertEquals(1, sample(after, counted) - sample(before, counted), after);
        String missing = "kci_http_requests_seconds_count{method=\"GET\",route=\"/{collection}\",status=\"404\"}";
        assertEquals(1, sample(after, missing) - sample(before, missing), after);
        assertTrue(after.contains("kci_http_requests_seconds_bucket{method=\"POST\",route=\"/batch\",status=\"200\",le=\""),
                "a latency histogram");

        assertEquals(1, sample(after, "kci_batch_operations_count") - sample(before, "kci_batch_operations_count"));
        assertEquals(2, sample(after, "kci_batch_operations_sum") - sample(before, "kci_batch_operations_sum"));
        assertEquals(3, sample(after, "kci_database_reads_seconds_count") - sample(before, "kci_database_reads_seconds_count"));
        assertEquals(8, sample(after, "kci_rows_streamed_rows_total") - sample(before, "kci_rows_streamed_rows_total"),
                "3 boots of the batch and 5 of the listing");
        assertEquals(8, sample(after, "hikaricp_connections_max{pool=\"kci\"}"), "the pool's size");
        assertTrue(after.contains("jvm_memory_used_bytes{"), "JVM meters");
    }

    @Test
    @DisplayName("the meters are in JMX too")
    void jmx() throws Exception {
        var mbeans = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("kci-batch:*"), null);
        assertFalse(mbeans.stream().noneMatch(name -> name.toString().contains("kciHttpRequests")), "MBeans: " + mbeans);
    }

    @Test
    @DisplayName("Server-Timing on /batch answers: parse, db, render in milliseconds, plain or gzipped, short or long bodies")
    void serverTiming() {
        Reply plain = batch(BATCH);
        assertTrue(SERVER_TIMING.matcher(plain.header("Server-Timing")).matches(), plain.header("Server-Timing"));
        Reply gzipped = batch(BATCH, "Accept-Encoding", "gzip");
        assertTrue(gzipped.gzipped());
        assertTrue(SERVER_TIMING.matcher(gzipped.header("Server-Timing")).matches(), gzipped.header("Server-Timing"));
        assertEquals(plain.body().length(), gzipped.body().length());
        // A long body too: it is held whole, and the header set, before anything is sent.
        Reply large = batch("{\"batch\":[{\"method\":\"GET\",\"collection\":\"boot\",\"query\":\"limit=1000\"}]}");
        assertTrue(large.body().length() > 64 * 1024, "a long body: " + large.body().length());
        assertTrue(large.body().endsWith("}]}"), "the whole body");
        assertTrue(SERVER_TIMING.matcher(large.header("Server-Timing")).matches(), large.header("Server-Timing"));
        Reply failed = batch("{\"batch\":[{\"method\":\"GET\",\"collection\":\"nope\"}]}");
        assertEquals(200, failed.status());
        assertTrue(SERVER_TIMING.matcher(failed.header("Server-Timing")).matches(), failed.header("Server-Timing"));
        assertEquals(null, http().get("/count/boot", "Authorization", READER).header("Server-Timing"), "only /batch");
    }
}

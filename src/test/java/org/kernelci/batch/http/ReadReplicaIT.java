package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.execute.Replica;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.CountingDataSource;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md section 10 on one embedded PostgreSQL: the read source is the same database through
 * a DataSource of its own (as JNDI {@code jdbc/kci-read} would be), whose statements the test sees,
 * and which the test points at a port where nothing listens to take it down. The streaming replica
 * itself is tested on the topology of {@code scale/} (ScaleOutIT).
 */
class ReadReplicaIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String APPLICATION = "kci-read-test";

    /**
     * What the read source ran, but for the lag probe's queries and the COMMITs that end streamed
     * reads (after their response, so maybe after the test cleared the list).
     */
    private static List<String> served(CountingDataSource reads) {
        return reads.executions().stream().filter(sql -> !sql.contains("wal_lsn") && !sql.equals("COMMIT")).toList();
    }

    private static double metric(TestServer server, String name) {
        Reply reply = server.http().get("/metrics", "Authorization", ADMIN);
        assertEquals(200, reply.status());
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$")
                .matcher(reply.body());
        assertTrue(matcher.find(), name + " in /metrics");
        return Double.parseDouble(matcher.group(2));
    }

    /**
     * One pipeline on the read source, the ETag's change counts first, and then only fetches of its
     * cursors: one snapshot.
     */
    private static void assertOneSnapshot(String what, List<String> ran) {
        assertFalse(ran.isEmpty(), what + " ran on the read source");
        assertTrue(ran.get(0).startsWith("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"), what + ": " + ran);
        assertTrue(ran.get(0).contains("FROM change_count"), "the ETag's counts in the same snapshot: " + ran);
        for (String next : ran.subList(1, ran.size())) {
            assertTrue(next.startsWith("FETCH FORWARD"), what + ": " + ran);
        }
    }

    /** Waits until the reads go where they should: the probe runs every second, on its own thread. */
    private static void awaitServing(TestServer server, boolean serving) throws InterruptedException {
        for (int i = 0; metric(server, "kci_read_replica_serving") != (serving ? 1 : 0); i++) {
            assertTrue(i < 600, "the read source never became " + (serving ? "used" : "unused"));
            Thread.sleep(100);
        }
    }

    private static void postJob(TestServer server, String job) {
        Reply reply = server.http().post("/job", "{\"job\":\"" + job + "\",\"kernel\":\"v1\"}", "Authorization", ADMIN,
                "Content-Type", "application/json");
        assertEquals(201, reply.status(), reply.body());
    }

    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "jdbc:postgresql://127.0.0.1:" + socket.getLocalPort() + "/postgres";
        }
    }

    /** A DataSource that forwards to whichever of two it is pointed at. */
    private static DataSource switching(AtomicReference<DataSource> current) {
        return (DataSource) Proxy.newProxyInstance(ReadReplicaIT.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(current.get(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    @DisplayName("§10 GETs, counts and batches of reads run on the read source in one snapshot; writes and a batch that writes on the primary")
    void routing() throws Exception {
        String url = TestServer.freshDatabase();
        CountingDataSource reads = new CountingDataSource(url + "&ApplicationName=" + APPLICATION);
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of(), Optional.empty(),
                Optional.of(reads.dataSource()))) {
            awaitServing(server, true);
            reads.clear();
            postJob(server, "routed");
            assertEquals(List.of(), served(reads), "a write does not touch the read source");

            for (String path : List.of("/job?job=routed", "/count/job?job=routed", "/count")) {
                reads.clear();
                Reply reply = server.http().get(path, "Authorization", ADMIN);
                assertEquals(200, reply.status(), reply.body());
                assertOneSnapshot(path, served(reads));
            }
            reads.clear();
            Reply listing = server.http().get("/job?job=routed", "Authorization", ADMIN);
            assertTrue(listing.body().contains("\"routed\""), listing.body());

            reads.clear();
            Reply batch = server.http().post("/batch", """
                    {"batch": [{"method": "GET", "collection": "job", "query": "job=routed"},
                               {"method": "GET", "collection": "count", "document_id": "job"}]}""",
                    "Authorization", ADMIN, "Content-Type", "application/json");
            assertEquals(200, batch.status(), batch.body());
            assertOneSnapshot("a batch of reads", served(reads));

            reads.clear();
            Reply writing = server.http().post("/batch", """
                    [{"method": "post", "collection": "job", "data": {"job": "routed-batch", "kernel": "v2"}},
                     {"method": "get", "collection": "job", "query": "job=routed-batch"}]""",
                    "X-Appery-Database-Id", "58a59358975a4fa00e0ff50f", "X-Appery-Session-Token", ADMIN,
                    "Content-Type", "application/json");
            assertEquals(200, writing.status(), writing.body());
            assertTrue(writing.body().contains("routed-batch"), "the batch's read sees its write: " + writing.body());
            assertEquals(List.of(), served(reads), "a batch that writes runs on the primary, its reads too");
        }
    }

    @Test
    @DisplayName("§10 a read source that goes down: every read answered by the primary, the same ETags and 304s; back: used again")
    void downAndBack() throws Exception {
        String url = TestServer.freshDatabase();
        CountingDataSource live = new CountingDataSource(url + "&ApplicationName=" + APPLICATION);
        CountingDataSource dead = new CountingDataSource(deadUrl());
        AtomicReference<DataSource> current = new AtomicReference<>(live.dataSource());
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of(), Optional.empty(),
                Optional.of(switching(current)));
             CapturedLog log = new CapturedLog(Replica.class)) {
            awaitServing(server, true);
            postJob(server, "outage");
            String path = "/job?job=outage";
            Reply before = server.http().get(path, "Authorization", ADMIN);
            assertEquals(200, before.status());
            String tag = before.header("ETag");
            assertNotNull(tag);
            double switches = metric(server, "kci_read_source_switches_total");

            current.set(dead.dataSource());
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                        + APPLICATION + "'");
            }
            for (int i = 0; i < 50; i++) {
                Reply reply = server.http().get(path, "Authorization", ADMIN);
                assertEquals(200, reply.status(), "read " + i + " while the read source is down: " + reply.body());
                assertEquals(before.body(), reply.body());
                assertEquals(tag, reply.header("ETag"), "the primary's tag is the read source's");
                assertEquals(304, server.http().get(path, "Authorization", ADMIN, "If-None-Match", tag).status());
                assertEquals(200, server.http().get("/count/job", "Authorization", ADMIN).status());
            }
            awaitServing(server, false);
            assertTrue(metric(server, "kci_read_source_switches_total") > switches, "the switch is counted");
            assertFalse(log.at(Level.WARN).isEmpty(), "the switch is logged");

            current.set(live.dataSource());
            // On a busy machine a probe that times out, or a read the read source's pool cannot
            // serve at once, sends a read to the primary again; reads must return to it.
            boolean back = false;
            for (int i = 0; i < 20 && !back; i++) {
                awaitServing(server, true);
                live.clear();
                assertEquals(304, server.http().get(path, "Authorization", ADMIN, "If-None-Match", tag).status());
                back = !served(live).isEmpty();
            }
            assertTrue(back, "back on the read source");
            assertTrue(metric(server, "kci_read_source_switches_total") >= switches + 2);
        }
    }

    @Test
    @DisplayName("§10 KCI_DB_READ_URL: a read source that never answers leaves every read on the primary; one that answers serves them")
    void byUrl() throws Exception {
        String url = TestServer.freshDatabase();
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of(Setting.DB_READ_URL, deadUrl(),
                Setting.READ_MAX_LAG_MS, "1000"))) {
            postJob(server, "by-url");
            for (int i = 0; i < 10; i++) {
                Reply reply = server.http().get("/job?job=by-url", "Authorization", ADMIN);
                assertEquals(200, reply.status(), reply.body());
                assertTrue(reply.body().contains("by-url"));
            }
            assertEquals(0, metric(server, "kci_read_replica_serving"));
            assertEquals(0, metric(server, "kci_read_source_switches_total"), "never used, never switched");
        }
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of(Setting.DB_READ_URL, url))) {
            awaitServing(server, true);
            Reply reply = server.http().get("/job?job=by-url", "Authorization", ADMIN);
            assertEquals(200, reply.status(), reply.body());
            assertTrue(reply.body().contains("by-url"));
            assertEquals(1, metric(server, "kci_read_source_switches_total"));
            assertTrue(server.http().get("/metrics", "Authorization", ADMIN).body().contains("pool=\"kci-read\""),
                    "the read source's own pool");
        }
    }
}

package org.kernelci.batch.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;

/**
 * CONTRACT.md section 10 on the topology of {@code scale/topology.sh} (a PostgreSQL primary and its
 * streaming replica, two Tomcat nodes, HAProxy): run by {@code scale/test.sh}, which starts it and
 * names its directory in {@code kci.scale.dir}. PostgreSQL's own statistics tell which server ran
 * what. Waits are for something to happen, with a generous deadline; no figure of time is asserted
 * but the token cache's bound, which is waited out before its check.
 */
@EnabledIfSystemProperty(named = "kci.scale.dir", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    private static final long DEADLINE_MS = 90_000;
    /** The token cache's bound (TokenStore.CACHE_TIME), documented in README.md. */
    private static final long REVOCATION_BOUND_MS = 5_000;
    private static final int LOAD_THREADS = 4;
    private static Path dir;
    private static Properties env;
    private static HttpProbe balancer;
    private static HttpProbe nodeA;
    private static HttpProbe nodeB;
    private static String admin;

    @BeforeAll
    static void topology() throws IOException {
        dir = Path.of(System.getProperty("kci.scale.dir"));
        env = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("env"))) {
            env.load(in);
        }
        balancer = new HttpProbe(URI.create(env.getProperty("BALANCER_URL")));
        nodeA = new HttpProbe(URI.create(env.getProperty("NODE_A_URL")));
        nodeB = new HttpProbe(URI.create(env.getProperty("NODE_B_URL")));
        admin = env.getProperty("ADMIN_TOKEN");
    }

    private static Connection primary() throws SQLException {
        return DriverManager.getConnection(env.getProperty("PRIMARY_JDBC"), "postgres", "");
    }

    private static Connection replica() throws SQLException {
        return DriverManager.getConnection(env.getProperty("REPLICA_JDBC"), "postgres", "");
    }

    private static long number(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next());
            return rows.getLong(1);
        }
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }

    /** How often the job table was scanned on a server, by its statistics. */
    private static long jobScans(Connection connection) throws SQLException {
        return number(connection, "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
                + "WHERE relname = 'job'");
    }

    private static void topology(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("scale/topology.sh"));
        command.addAll(List.of(arguments));
        command.add(dir.toString());
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, what);
            Thread.sleep(200);
        }
    }

    private static double metric(HttpProbe node, String name) {
        Reply reply = node.get("/metrics", "Authorization", admin);
        assertEquals(200, reply.status(), reply.body());
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+|NaN)$").matcher(reply.body());
        assertTrue(matcher.find(), name);
        return Double.parseDouble(matcher.group(1));
    }

    private static boolean serving(HttpProbe node, boolean replica) {
        try {
            return metric(node, "kci_read_replica_serving") == (replica ? 1 : 0);
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static void awaitReadsOnReplica(boolean replica) throws InterruptedException {
        await("both nodes' reads on the " + (replica ? "replica" : "primary"),
                () -> serving(nodeA, replica) && serving(nodeB, replica));
    }

    /** Until the replica has replayed everything the primary has written so far. */
    private static void awaitReplay() throws SQLException, InterruptedException {
        String lsn;
        try (Connection connection = primary()) {
            lsn = text(connection, "SELECT pg_current_wal_lsn()::text");
        }
        try (Connection connection = replica()) {
            await("replay up to " + lsn, () -> {
                try {
                    return number(connection, "SELECT (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::int") == 1;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static int postJob(HttpProbe node, String job) {
        return node.post("/job", "{\"job\":\"" + job + "\",\"kernel\":\"v1\"}", "Authorization", admin,
                "Content-Type", "application/json").status();
    }

    /** The same report with an Idempotency-Key: its retry, on any node, is stored at most once. */
    private static int postJob(HttpProbe node, String job, String key) {
        return node.post("/job", "{\"job\":\"" + job + "\",\"kernel\":\"v1\"}", "Authorization", admin,
                "Content-Type", "application/json", "Idempotency-Key", key).status();
    }

    private static final String BATCH = """
            {"batch": [{"method": "GET", "collection": "job", "query": "job=scale-batch&sort=job&limit=50"},
                       {"method": "GET", "collection": "count", "document_id": "job", "query": "kernel=v1"},
                       {"method": "GET", "collection": "count"},
                       {"method": "GET", "collection": "job", "query": "kernel=v1&field=job&limit=20&skip=3"}]}""";

    private static Reply batch(HttpProbe node) {
        Reply reply = node.post("/batch", BATCH, "Authorization", admin, "Content-Type", "application/json");
        assertEquals(200, reply.status(), reply.body());
        return reply;
    }

    @Test
    @Order(1)
    @DisplayName("§10 reads are served by the replica, writes by the primary (pg_stat_user_tables of each)")
    void readsOnTheReplica() throws Exception {
        awaitReadsOnReplica(true);
        try (Connection primary = primary(); Connection replica = replica()) {
            long inserted = number(primary, "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'job'");
            for (int i = 0; i < 20; i++) {
                assertEquals(201, postJob(balancer, "scale-reads-" + i));
            }
            await("the primary counts the 20 inserts", () -> {
                try {
                    return number(primary, "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'job'")
                            >= inserted + 20;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitReplay();
            long primaryScans = jobScans(primary);
            long replicaScans = jobScans(replica);
            long replicaCommits = number(replica, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'");
            int reads = 40;
            for (int i = 0; i < reads; i++) {
                Reply reply = balancer.get("/job?job=scale-reads-" + (i % 20) + "&limit=5", "Authorization", admin);
                assertEquals(200, reply.status(), reply.body());
                assertTrue(reply.body().contains("scale-reads-" + (i % 20)), reply.body());
            }
            await("the replica counts " + reads + " scans of job", () -> {
                try {
                    return jobScans(replica) >= replicaScans + reads;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(number(replica, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")
                    >= replicaCommits + reads);
            // The primary's statistics are flushed within a second of its sessions going idle.
            Thread.sleep(2_000);
            assertEquals(primaryScans, jobScans(primary), "no read of job ran on the primary");
        }
    }

    @Test
    @Order(2)
    @DisplayName("§10 a batch read on the replica equals the same batch on the primary once replay caught up, ETag included")
    void sameBatchOnEither() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, postJob(balancer, "scale-batch"));
        }
        awaitReadsOnReplica(true);
        awaitReplay();
        long replicaScans;
        try (Connection replica = replica()) {
            replicaScans = jobScans(replica);
        }
        Reply onReplica = batch(nodeA);
        try (Connection replica = replica()) {
            await("the batch ran on the replica", () -> {
                try {
                    return jobScans(replica) > replicaScans;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        topology("stop-replica");
        try {
            awaitReadsOnReplica(false);
            Reply onPrimary = batch(nodeA);
            assertEquals(onPrimary.body(), onReplica.body());
            assertNotNull(onReplica.header("ETag"));
            assertEquals(onPrimary.header("ETag"), onReplica.header("ETag"));
            assertEquals(304, nodeB.post("/batch", BATCH, "Authorization", admin, "Content-Type", "application/json",
                    "If-None-Match", onReplica.header("ETag")).status(), "the replica's tag, current on the primary");
        } finally {
            topology("start-replica");
        }
        awaitReadsOnReplica(true);
    }

    /** Requests through the balancer from a few threads until stopped: reads, batches, writes. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger answered = new AtomicInteger();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        /** Every write sent, each with its job's name as its Idempotency-Key. */
        private final Queue<String> writes = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        Load(String name) {
            for (int t = 0; t < LOAD_THREADS; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    HttpProbe client = new HttpProbe(URI.create(env.getProperty("BALANCER_URL")));
                    for (int i = 0; running.get(); i++) {
                        String job = name + "-" + thread + "-" + i;
                        try {
                            int status = switch (i % 4) {
                                case 0 -> {
                                    writes.add(job);
                                    yield postJob(client, job, job);
                                }
                                case 1 -> client.get("/job?kernel=v1&limit=10", "Authorization", admin).status();
                                case 2 -> client.get("/count/job?kernel=v1", "Authorization", admin).status();
                                default -> client.post("/batch", BATCH, "Authorization", admin,
                                        "Content-Type", "application/json").status();
                            };
                            if (status == 201) {
                                acknowledged.add(job);
                            }
                            if (status == 200 || status == 201) {
                                answered.incrementAndGet();
                            } else {
                                failures.add(job + ": " + status);
                            }
                        } catch (RuntimeException e) {
                            failures.add(job + ": " + e);
                        }
                    }
                }, "load-" + t);
                worker.start();
                threads.add(worker);
            }
        }

        /** Until this many more requests were answered. */
        void awaitAnswered(int more) throws InterruptedException {
            int target = answered.get() + more;
            await(more + " more requests answered", () -> answered.get() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("§10 the replica stopped under load: no request fails; started again: reads return to it")
    void replicaStoppedUnderLoad() throws Exception {
        awaitReadsOnReplica(true);
        double switchesA = metric(nodeA, "kci_read_source_switches_total");
        double switchesB = metric(nodeB, "kci_read_source_switches_total");
        Load load = new Load("scale-replica-down");
        try (load) {
            load.awaitAnswered(100);
            topology("stop-replica");
            awaitReadsOnReplica(false);
            load.awaitAnswered(100);
            topology("start-replica");
            awaitReadsOnReplica(true);
            load.awaitAnswered(100);
        }
        System.out.printf("replica stopped under load: %d answered, %d failed, %d reads the replica failed on node a%n",
                load.answered.get(), load.failures.size(), (long) metric(nodeA, "kci_read_replica_fallbacks_total"));
        assertEquals(List.of(), List.copyOf(load.failures));
        // Away and back, once each: no flapping while the replica and its pool come back.
        assertEquals(switchesA + 2, metric(nodeA, "kci_read_source_switches_total"));
        assertEquals(switchesB + 2, metric(nodeB, "kci_read_source_switches_total"));
        assertAllStored(List.copyOf(load.acknowledged));
    }

    @Test
    @Order(4)
    @DisplayName("§10 a node killed under load: only requests in flight on it fail, the balancer routes around it, nothing acknowledged"
            + " is lost; the writes it lost, sent again with their Idempotency-Keys, are each stored once")
    void nodeKilledUnderLoad() throws Exception {
        Load load = new Load("scale-node-down");
        try (load) {
            load.awaitAnswered(100);
            topology("kill-node", "a");
            load.awaitAnswered(200);
        }
        System.out.printf("node killed under load: %d answered, %d failed %s, %d writes acknowledged%n",
                load.answered.get(), load.failures.size(), load.failures, load.acknowledged.size());
        try {
            // Each thread has at most one request in flight, on either node, when the node dies.
            assertTrue(load.failures.size() <= LOAD_THREADS, "failed: " + load.failures);
            assertAllStored(List.copyOf(load.acknowledged));
            // The writes whose answer was lost with the node, sent again with their keys through the
            // balancer: each ends stored exactly once, whether the killed node had committed it or not.
            for (String job : load.writes) {
                if (!load.acknowledged.contains(job)) {
                    await("the retry of " + job, () -> {
                        int status;
                        try {
                            status = postJob(balancer, job, job);
                        } catch (RuntimeException e) {
                            return false; // the balancer had not yet seen the node go
                        }
                        assertTrue(status == 201 || status == 409 || status == 503, job + ": " + status);
                        return status == 201;
                    });
                }
            }
            assertStoredOnce(List.copyOf(load.writes));
        } finally {
            topology("start-node", "a");
        }
        await("the balancer sends to node a again", () -> balancer.get("/health").status() == 200
                && nodeA.get("/health").status() == 200);
    }

    private static void assertStoredOnce(List<String> jobs) throws SQLException {
        try (Connection primary = primary();
             PreparedStatement statement = primary.prepareStatement("SELECT count(*), count(DISTINCT job) FROM job WHERE job = ANY(?)")) {
            statement.setArray(1, primary.createArrayOf("text", jobs.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(jobs.size(), rows.getLong(2), "every write is stored");
                assertEquals(jobs.size(), rows.getLong(1), "and only once");
            }
        }
    }

    private static void assertAllStored(List<String> acknowledged) throws SQLException {
        assertFalse(acknowledged.isEmpty());
        try (Connection primary = primary();
             PreparedStatement statement = primary.prepareStatement("SELECT count(DISTINCT job) FROM job WHERE job = ANY(?)")) {
            statement.setArray(1, primary.createArrayOf("text", acknowledged.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(acknowledged.size(), rows.getLong(1), "every acknowledged write is stored");
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("§10 a token revoked on node A is refused on node B within the stated bound (5 s)")
    void revocationAcrossNodes() throws Exception {
        Reply made = nodeA.post("/token", "{\"email\":\"scale@x\",\"get\":true}", "Authorization", admin,
                "Content-Type", "application/json");
        assertEquals(201, made.status(), made.body());
        JsonObject created = json(made.body()).getJsonArray("result").getJsonObject(0);
        String token = created.getString("token");
        String id = created.getString("_id");
        assertEquals(200, nodeB.get("/job?limit=1", "Authorization", token).status(), "node B has it cached");
        Reply revoked = nodeA.post("/token/" + id, "{\"expired\":true}", "Authorization", admin,
                "Content-Type", "application/json");
        assertEquals(200, revoked.status(), revoked.body());
        long acknowledged = System.nanoTime();
        assertEquals(403, nodeA.get("/job?limit=1", "Authorization", token).status(), "node A at once");
        Thread.sleep(Math.max(0, REVOCATION_BOUND_MS - (System.nanoTime() - acknowledged) / 1_000_000));
        assertEquals(403, nodeB.get("/job?limit=1", "Authorization", token).status(), "node B after the bound");
        assertEquals(403, balancer.get("/job?limit=1", "Authorization", token).status());
    }

    @Test
    @Order(6)
    @DisplayName("a write with an Idempotency-Key sent to node A and sent again to node B is stored once: B replays A's answer")
    void keyedRetryAcrossNodes() throws SQLException {
        String job = "scale-keyed-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"job\":\"" + job + "\",\"kernel\":\"v1\"}";
        Reply first = nodeA.post("/job", body, "Authorization", admin, "Content-Type", "application/json",
                "Idempotency-Key", key);
        assertEquals(201, first.status(), first.body());
        Reply again = nodeB.post("/job", body, "Authorization", admin, "Content-Type", "application/json",
                "Idempotency-Key", key);
        assertEquals(201, again.status(), again.body());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        try (Connection primary = primary();
             PreparedStatement statement = primary.prepareStatement("SELECT count(*) FROM job WHERE job = ?")) {
            statement.setString(1, job);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(1, rows.getLong(1), "stored once");
            }
        }
    }
}

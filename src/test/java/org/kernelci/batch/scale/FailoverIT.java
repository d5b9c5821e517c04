package org.kernelci.batch.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Losing the primary (issue 31) on the HA topology of {@code scale/topology.sh up-ha}:
 * pg_auto_failover's monitor and two database nodes, one the synchronous standby of the other,
 * two Tomcat nodes that follow the primary by multi-host JDBC URLs, HAProxy in front. Run by
 * {@code scale/test.sh}, which names its directory in {@code kci.ha.dir}.
 *
 * <p>Asserted is behaviour: nothing acknowledged is lost, no atomic batch is half applied, no
 * 500, every write answered 503 is absent, every 502 (outcome unknown) retried with its key ends
 * stored once, no read fails in a planned switch-over, the old primary serves reads again. Times
 * (to the first write after the loss, the writes' pause in the switch-over) are measured, printed
 * and written to {@code DIR/failover.txt}, under liveness bounds only.
 */
@EnabledIfSystemProperty(named = "kci.ha.dir", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
    private static final long DEADLINE_MS = 120_000;
    /** A request not answered in this long is a hang: the test fails rather than waits. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(30);
    private static final int LOAD_THREADS = 4;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path dir;
    private static Properties env;
    private static String admin;
    private static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void topology() throws IOException {
        dir = Path.of(System.getProperty("kci.ha.dir"));
        env = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("env"))) {
            env.load(in);
        }
        assertEquals("ha", env.getProperty("MODE"), "the topology of scale/topology.sh up-ha");
        admin = env.getProperty("ADMIN_TOKEN");
    }

    /**
     * A status, whether a batch said some of its operations failed ({@code X-Batch-Errors}),
     * whether it said when to retry ({@code Retry-After}), and when it was sent and answered;
     * status 0: no answer (the connection failed).
     */
    private record Answer(int status, boolean batchErrors, boolean retryAfter, long startedNanos, long endedNanos) {
    }

    private static Answer send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(env.getProperty("BALANCER_URL") + path))
                .timeout(ANSWER_BOUND).header("Authorization", admin)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean errors = !response.headers().firstValue("X-Batch-Errors").orElse("0").equals("0");
            return new Answer(response.statusCode(), errors, response.headers().firstValue("Retry-After").isPresent(),
                    started, System.nanoTime());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new AssertionError(method + " " + path + " not answered in " + ANSWER_BOUND.toSeconds() + " s", e);
        } catch (IOException e) {
            return new Answer(0, false, false, started, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer postJob(String job) {
        return send("POST", "/job", "{\"job\":\"" + job + "\",\"kernel\":\"v1\"}", "Idempotency-Key", job);
    }

    /** Three jobs in one atomic Appery.io batch, its name as its key: all stored or none. */
    private static Answer postBatch(String name) {
        String body = "[" + List.of("a", "b", "c").stream()
                .map(part -> "{\"method\":\"POST\",\"collection\":\"job\",\"data\":{\"job\":\"" + name + "-" + part
                        + "\",\"kernel\":\"v1\"}}")
                .collect(Collectors.joining(",")) + "]";
        return send("POST", "/batch?atomic=true", body, "Idempotency-Key", name);
    }

    private static final String READ_BATCH = """
            {"batch": [{"method": "GET", "collection": "job", "query": "kernel=v1&limit=10"},
                       {"method": "GET", "collection": "count", "document_id": "job", "query": "kernel=v1"}]}""";

    /** One request of the load, what it was and what it got. */
    private record Request(String kind, String name, Answer answer) {
        boolean write() {
            return kind.equals("write") || kind.equals("batch-write");
        }

        boolean succeeded() {
            return (answer.status() == 200 || answer.status() == 201) && !answer.batchErrors();
        }
    }

    /** Readers and writers through the balancer, every request recorded. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        Load(String name) {
            for (int t = 0; t < LOAD_THREADS; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    for (int i = 0; running.get(); i++) {
                        String id = name + "-" + thread + "-" + i;
                        requests.add(switch (i % 5) {
                            case 0 -> new Request("write", id, postJob(id));
                            case 1 -> new Request("batch-write", id, postBatch(id));
                            case 2 -> new Request("read", id, send("GET", "/job?kernel=v1&limit=10", null));
                            case 3 -> new Request("read", id, send("GET", "/count/job?kernel=v1", null));
                            default -> new Request("read", id, send("POST", "/batch", READ_BATCH));
                        });
                    }
                }, "failover-load-" + t);
                worker.start();
                threads.add(worker);
            }
        }

        long succeededWrites() {
            return requests.stream().filter(r -> r.write() && r.succeeded()).count();
        }

        void awaitWrites(int more) throws InterruptedException {
            long target = succeededWrites() + more;
            await(more + " more writes acknowledged", () -> succeededWrites() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, what);
            Thread.sleep(200);
        }
    }

    private static void topology(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("scale/topology.sh"));
        command.addAll(List.of(arguments));
        command.add(dir.toString());
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command));
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** The monitor's view: node name to its reported/assigned state. */
    private static Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        try (Connection monitor = connect(env.getProperty("MONITOR_JDBC"));
             Statement statement = monitor.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT nodename, reportedstate || '/' || goalstate FROM pgautofailover.node")) {
            while (rows.next()) {
                states.put(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return states;
    }

    /** The node that is primary, with its standby (primary) or alone (wait_primary). */
    private static String primaryNode() {
        Map<String, String> states = states();
        return states.entrySet().stream()
                .filter(e -> e.getValue().equals("primary/primary") || e.getValue().equals("wait_primary/wait_primary"))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no settled primary: " + states));
    }

    private static String other(String node) {
        return node.equals("pg1") ? "pg2" : "pg1";
    }

    private static void awaitSettled() throws InterruptedException {
        await("a primary and its standby, settled", () -> states().values().stream().sorted().toList()
                .equals(List.of("primary/primary", "secondary/secondary")));
    }

    private static long count(Connection connection, String sql, List<String> names) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                return rows.getLong(1);
            }
        }
    }

    /** The jobs a request of the load stored or would have stored. */
    private static List<String> jobs(Request request) {
        return request.kind().equals("batch-write")
                ? List.of(request.name() + "-a", request.name() + "-b", request.name() + "-c") : List.of(request.name());
    }

    /**
     * What the primary holds of the load's writes: every acknowledged one, whole; no atomic batch
     * in part; nothing answered 503; each 502 (outcome unknown), sent again with its key, stored
     * exactly once. Returns the number of 502s.
     */
    private static long assertWritesHonest(List<Request> requests) throws Exception {
        List<Request> writes = requests.stream().filter(Request::write).toList();
        List<String> acknowledged = writes.stream().filter(Request::succeeded).flatMap(r -> jobs(r).stream()).toList();
        List<String> refused = writes.stream().filter(r -> r.answer().status() == 503).flatMap(r -> jobs(r).stream())
                .toList();
        List<Request> unknown = writes.stream().filter(r -> r.answer().status() == 502 || r.answer().status() == 0)
                .toList();
        assertFalse(acknowledged.isEmpty());
        for (Request request : unknown) {
            await("the retry of " + request.name(), () -> {
                int status = (request.kind().equals("write") ? postJob(request.name()) : postBatch(request.name())).status();
                assertTrue(List.of(0, 200, 201, 409, 503).contains(status), request.name() + ": " + status);
                return status == 200 || status == 201;
            });
        }
        try (Connection primary = connect(env.getProperty("PRIMARY_JDBC"))) {
            assertEquals(acknowledged.size(), count(primary, "SELECT count(DISTINCT job) FROM job WHERE job = ANY(?)",
                    acknowledged), "every acknowledged write is on the new primary");
            assertEquals(0, count(primary, "SELECT count(*) FROM job WHERE job = ANY(?)", refused),
                    "a write answered 503 is not stored");
            List<String> retried = unknown.stream().flatMap(r -> jobs(r).stream()).toList();
            assertEquals(retried.size(), count(primary, "SELECT count(*) FROM job WHERE job = ANY(?)", retried),
                    "each write of unknown outcome, retried with its key, stored once");
            List<String> batches = writes.stream().filter(r -> r.kind().equals("batch-write")).map(Request::name).toList();
            assertEquals(0, count(primary, "SELECT count(*) FROM (SELECT substring(job from '^(.*)-[abc]$') AS batch "
                    + "FROM job WHERE substring(job from '^(.*)-[abc]$') = ANY(?) GROUP BY 1 HAVING count(*) <> 3) AS t",
                    batches), "no atomic batch half applied");
        }
        return unknown.size();
    }

    /** Failures other than 503 and 502 (a 500, a batch answered 200 with failed operations, no answer). */
    private static List<String> unexpected(List<Request> requests) {
        return requests.stream().filter(r -> !r.succeeded() && r.answer().status() != 502 && r.answer().status() != 503)
                .map(r -> r.kind() + " " + r.name() + ": " + r.answer().status()).toList();
    }

    /** The 503s without a Retry-After. */
    private static List<String> without503RetryAfter(List<Request> requests) {
        return requests.stream().filter(r -> r.answer().status() == 503 && !r.answer().retryAfter())
                .map(r -> r.kind() + " " + r.name()).toList();
    }

    private static String summary(List<Request> requests) {
        Map<String, Long> byOutcome = requests.stream().collect(Collectors.groupingBy(
                r -> r.kind() + " " + (r.answer().status() == 0 ? "no answer" : r.answer().status()), TreeMap::new,
                Collectors.counting()));
        return requests.size() + " requests: " + byOutcome;
    }

    private static void figure(String line) throws IOException {
        System.out.println("[failover] " + line);
        figures.add(line);
        Files.write(dir.resolve("failover.txt"), figures);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    @Order(1)
    @DisplayName("the primary's node killed (-9) under load: a standby takes over by itself; 0 acknowledged writes lost,"
            + " 0 atomic batches half applied, no 500, writes refused 503 or 502 meanwhile, never hung")
    void primaryKilled() throws Exception {
        awaitSettled();
        String lost = primaryNode();
        long killed;
        Load load = new Load("ha-kill");
        try (load) {
            load.awaitWrites(40);
            topology("kill-pg", lost);
            // When its processes are gone (the command waits for them).
            killed = System.nanoTime();
            await("a write acknowledged after the kill", () -> load.requests.stream()
                    .anyMatch(r -> r.write() && r.succeeded() && r.answer().startedNanos() > killed));
            load.awaitWrites(40);
        }
        List<Request> requests = List.copyOf(load.requests);
        long firstWrite = requests.stream().filter(r -> r.write() && r.succeeded() && r.answer().startedNanos() > killed)
                .mapToLong(r -> r.answer().endedNanos()).min().orElseThrow();
        long slowestRefusal = requests.stream().filter(r -> !r.succeeded())
                .mapToLong(r -> r.answer().endedNanos() - r.answer().startedNanos()).max().orElse(0);
        figure("primary " + lost + " killed: first write acknowledged " + millis(firstWrite - killed)
                + " ms after its processes were gone; "
                + summary(requests) + "; slowest failed request " + millis(slowestRefusal) + " ms");
        assertEquals(List.of(), unexpected(requests), "only 502 or 503 fail");
        assertEquals(List.of(), without503RetryAfter(requests), "every 503 says when to retry");
        long readLagMillis = Long.parseLong(env.getProperty("READ_MAX_LAG_MS"));
        if (millis(firstWrite - killed) < readLagMillis) {
            // The standby served reads all along: its lag stayed within the bound until it was primary.
            assertEquals(List.of(), requests.stream().filter(r -> !r.write() && !r.succeeded())
                    .map(r -> r.kind() + " " + r.name() + ": " + r.answer().status()).toList(), "no read fails");
        }
        long unknown = assertWritesHonest(requests);
        figure("primary " + lost + " killed: writes lost 0, half-applied batches 0, outcome unknown (502, then retried) "
                + unknown);
        assertEquals(other(lost), primaryNode());
    }

    @Test
    @Order(2)
    @DisplayName("the old primary comes back as a standby, and the service reads from it again")
    void oldPrimaryReturnsAsStandby() throws Exception {
        String primary = primaryNode();
        String old = other(primary);
        long started = System.nanoTime();
        topology("start-pg", old);
        awaitSettled();
        assertEquals(primary, primaryNode(), "no switch back");
        figure("old primary " + old + " back as a standby in " + millis(System.nanoTime() - started) + " ms");
        String url = env.getProperty(old.toUpperCase() + "_JDBC");
        long back = System.nanoTime();
        try (Connection standby = connect(url)) {
            long scans = jobScans(standby);
            await("reads served by " + old, () -> {
                for (int i = 0; i < 10; i++) {
                    assertEquals(200, send("GET", "/job?kernel=v1&limit=5", null).status());
                }
                try {
                    return jobScans(standby) > scans + 10;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        figure("reads on " + old + " again " + millis(System.nanoTime() - back) + " ms after it was a standby");
    }

    private static long jobScans(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
                     + "FROM pg_stat_user_tables WHERE relname = 'job'")) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    @Test
    @Order(3)
    @DisplayName("a planned switch-over under load: no read fails, writes pause briefly (503, never 500), nothing lost")
    void plannedSwitchover() throws Exception {
        awaitSettled();
        String before = primaryNode();
        long started;
        long ended;
        Load load = new Load("ha-switch");
        try (load) {
            load.awaitWrites(40);
            started = System.nanoTime();
            topology("switchover");
            ended = System.nanoTime();
            load.awaitWrites(40);
        }
        assertEquals(other(before), primaryNode());
        List<Request> requests = List.copyOf(load.requests);
        // The longest stretch without a write acknowledged, around the switch-over.
        List<Long> acknowledged = requests.stream().filter(r -> r.write() && r.succeeded())
                .map(r -> r.answer().endedNanos()).sorted().toList();
        long pause = 0;
        for (int i = 1; i < acknowledged.size(); i++) {
            if (acknowledged.get(i) > started && acknowledged.get(i - 1) < ended) {
                pause = Math.max(pause, acknowledged.get(i) - acknowledged.get(i - 1));
            }
        }
        figure("switch-over " + before + " to " + other(before) + " (" + millis(ended - started) + " ms by pg_autoctl): "
                + "writes paused " + millis(pause) + " ms at most; " + summary(requests));
        assertEquals(List.of(), requests.stream().filter(r -> !r.write() && !r.succeeded())
                .map(r -> r.kind() + " " + r.name() + ": " + r.answer().status()).toList(), "no read fails");
        assertEquals(List.of(), unexpected(requests), "only 502 or 503 fail");
        assertEquals(List.of(), without503RetryAfter(requests), "every 503 says when to retry");
        assertWritesHonest(requests);
    }
}

package org.kernelci.batch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;

/**
 * What a client can make the WAR log in a real Tomcat 10.1 (Cargo's, see {@link TomcatDeploymentIT}):
 * the growth of Tomcat's console log ({@code target/tomcat-it/tomcat.log}, what {@code catalina.out}
 * holds in a stock installation) during a database outage, during a run of hostile query keys
 * (non-Latin-1, CR/LF, 8,000 characters) and while clients leave mid-answer. Each run prints its
 * figures (lines and bytes) for docs/PERFORMANCE.md; the assertions are bounds on lines, never
 * on time.
 */
@DisabledIfSystemProperty(named = "kci.it.tomcat.skip", matches = "true")
class TomcatLogsIT {
    private static final Path TOMCAT_LOG = Path.of("target/tomcat-it/tomcat.log");
    /** The ROOT context, on kci_restricted (default row limit: room for a large answer). */
    private static final String ROOT = "";
    private static final String KCI = "/kci";
    private static final int READERS = 4;
    /** Forged line: what a CR/LF in a key would start a log line with, in the log's own shape. */
    private static final String FORGED = "07-Dec-2026 12:00:00.000 SEVERE [main] forged.Logger FORGED";
    private static final String JOB_PREFIX = "feedfeed";

    private static HttpProbe http;
    private static String[] admin;

    @BeforeAll
    static void deployed() throws Exception {
        http = new HttpProbe(URI.create("http://127.0.0.1:" + Integer.getInteger("kci.it.tomcat.port")));
        admin = new String[] {"Authorization", System.getProperty("kci.it.admin.token")};
        awaitHealthy(KCI);
        awaitHealthy(ROOT);
    }

    @AfterAll
    static void removeJobs() throws SQLException {
        execute("DELETE FROM job WHERE id LIKE '" + JOB_PREFIX + "%'");
    }

    @Test
    @DisplayName("a 20-s database outage under 4 readers: a bounded number of lines, no stack trace, no 500")
    void databaseOutage() throws Exception {
        LogGrowth growth = LogGrowth.from(TOMCAT_LOG);
        int controlPort = Integer.getInteger("kci.it.pg.control.port");
        DeploymentDatabase.outage(controlPort);
        Map<Integer, AtomicLong> statuses;
        try {
            statuses = read(Duration.ofSeconds(20), i -> KCI + "/job?limit=1");
        } finally {
            DeploymentDatabase.restart(controlPort);
        }
        awaitAnswer(KCI + "/job?limit=1");
        awaitAnswer(ROOT + "/job?limit=1");
        Added added = growth.settled();
        System.out.printf("TomcatLogsIT outage: %s requests; log grew by %s%n", statuses, added);
        assertTrue(statuses.containsKey(503), statuses::toString);
        // Refused fast, the readers pass the token's rate of operations (KCI_RATE_OPERATIONS): 429s beside the 503s.
        assertTrue(statuses.keySet().stream().allMatch(status -> status == 200 || status == 503 || status == 429),
                statuses::toString);
        assertNoTrace(added);
        // Each of the three deployments (/, /kci, /portal) has its own probe: at most a line down and a
        // line up each, and a few more for requests that were under way as it went.
        assertTrue(added.lines() <= 12, () -> "the outage logged " + added + ":\n" + added.shown());
        assertTrue(added.first().stream().anyMatch(line -> line.contains("Database answers again after")), added::shown);
    }

    @Test
    @DisplayName("4 readers for 10 s with non-Latin-1, CR/LF and 8,000-character keys: no 500, no forged line, bounded lines")
    void hostileKeys() throws Exception {
        List<String> paths = List.of(
                KCI + "/job?limit=1&%D0%BA%D0%BB%D1%8E%D1%87=1&%E6%97%A5=2",
                KCI + "/job?limit=1&x%0D%0A" + FORGED.replace(" ", "%20").replace("[", "%5B").replace("]", "%5D") + "=1",
                KCI + "/job?limit=1&" + "k".repeat(8000) + "=1",
                KCI + "/job?limit=1&" + "%0A%01".repeat(300) + "=1");
        LogGrowth growth = LogGrowth.from(TOMCAT_LOG);
        Map<Integer, AtomicLong> statuses = read(Duration.ofSeconds(10), i -> paths.get(i % paths.size()));
        Added added = growth.settled();
        System.out.printf("TomcatLogsIT hostile keys: %s requests; log grew by %s%n", statuses, added);
        for (String path : paths) {
            Raw reply = rawGet(path);
            assertEquals(200, reply.status(), () -> path.substring(0, Math.min(80, path.length())) + ": " + reply);
            String ignored = reply.headers().get("x-kci-ignored");
            assertTrue(ignored != null && ignored.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && ignored.length() <= 2048,
                    () -> "X-Kci-Ignored: " + ignored);
        }
        assertEquals(List.of(200), List.copyOf(statuses.keySet()), statuses::toString);
        // The forged text may appear escaped inside a line, never as a line of its own.
        assertTrue(added.first().stream().noneMatch(line -> line.startsWith(FORGED.substring(0, 11))), added::shown);
        assertNoTrace(added);
        assertTrue(added.lines() <= 2, () -> "the hostile keys logged " + added + ":\n" + added.shown());
    }

    @Test
    @DisplayName("bad input, 25 times each: a 4xx, no stack trace, no more than 2 lines")
    void badInput() throws Exception {
        String json = "\r\nContent-Type: application/json";
        record Bad(String requestLine, String header, String body) {
        }
        List<Bad> requests = List.of(
                new Bad("GET " + KCI + "/job?limit=abc", "Authorization: " + admin[1], ""),
                new Bad("GET " + KCI + "/job?limit=1", "Authorization: not-a-token%0D%0A", ""),
                new Bad("GET " + KCI + "/nosuch", "Authorization: " + admin[1], ""),
                new Bad("POST " + KCI + "/batch", "Authorization: " + admin[1] + json, "{\"batch\": ["),
                new Bad("GET " + KCI + "/%D0%BA%D0%BB%0D%0A" + FORGED.replace(" ", "%20").replace("[", "%5B").replace("]", "%5D"),
                        "Authorization: " + admin[1], ""),
                new Bad("POST " + KCI + "/batch", "Authorization: " + admin[1] + "\r\nContent-Type: text/plain", "x"),
                new Bad("POST " + KCI + "/job", "Authorization: " + admin[1] + json, "{\"job\": 12, \"ключ\\n\": 1}"));
        LogGrowth growth = LogGrowth.from(TOMCAT_LOG);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            for (Bad bad : requests) {
                int status = raw(bad.requestLine(), bad.header(), bad.body()).status();
                if (status < 400 || status >= 500) {
                    wrong.add(bad.requestLine() + ": " + status);
                }
            }
        }
        Added added = growth.settled();
        System.out.printf("TomcatLogsIT bad input: %d requests; log grew by %s%n", 25 * requests.size(), added);
        assertEquals(List.of(), wrong.stream().distinct().toList());
        assertNoTrace(added);
        assertTrue(added.lines() <= 2, () -> "bad input logged " + added + ":\n" + added.shown());
    }

    @Test
    @DisplayName("clients leaving mid-answer: at most one short line each, no stack trace")
    void departures() throws Exception {
        execute("INSERT INTO job (id, created_on, name, job, kernel, status) SELECT '" + JOB_PREFIX
                + "' || lpad(to_hex(i), 16, '0'), now(), repeat('job-' || i, 50), 'next', 'kernel-' || i, 'PASS' "
                + "FROM generate_series(1, 10000) i");
        LogGrowth growth = LogGrowth.from(TOMCAT_LOG);
        int clients = 20;
        for (int client = 0; client < clients; client++) {
            try (Socket socket = new Socket("127.0.0.1", Integer.getInteger("kci.it.tomcat.port"))) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /job?limit=10000 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + admin[1]
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                assertTrue(in.readNBytes(4096).length > 0);
                socket.setSoLinger(true, 0);
            }
        }
        awaitAnswer(ROOT + "/job?limit=1");
        Added added = growth.settled();
        System.out.printf("TomcatLogsIT departures: %d clients; log grew by %s%n", clients, added);
        assertNoTrace(added);
        assertTrue(added.lines() <= clients, () -> added + ":\n" + added.shown());
        assertTrue(added.first().stream().allMatch(line -> line.length() < 300), added::shown);
    }

    /** No stack trace: no "at ..." frame, no "Caused by". */
    private static void assertNoTrace(Added added) {
        List<String> frames = added.first().stream()
                .filter(line -> line.startsWith("\tat ") || line.startsWith("Caused by:") || line.startsWith("java."))
                .limit(5).toList();
        assertEquals(List.of(), frames, added::shown);
    }

    /** Readers asking for {@code path(i)} for this long; how many answers of each status they got. */
    private static Map<Integer, AtomicLong> read(Duration time, java.util.function.IntFunction<String> path)
            throws InterruptedException {
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long end = System.nanoTime() + time.toNanos();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            Thread thread = new Thread(() -> {
                for (int i = reader; System.nanoTime() < end; i += READERS) {
                    int status = rawGet(path.apply(i)).status();
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
            });
            thread.start();
            readers.add(thread);
        }
        for (Thread reader : readers) {
            reader.join();
        }
        return statuses;
    }

    /** An answer as read from the wire: status, headers (names in lower case, values as Latin-1). */
    private record Raw(int status, Map<String, String> headers) {
    }

    /**
     * A GET with only the headers it needs (an 8,000-character key still fits Tomcat's 8 KiB for
     * the request's head), on a connection of its own that the answer closes.
     */
    private static Raw rawGet(String pathAndQuery) {
        return raw("GET " + pathAndQuery, "Authorization: " + admin[1], "");
    }

    /** A request line, one header line (or none: empty) and a body, sent as they are. */
    private static Raw raw(String requestLine, String header, String body) {
        try (Socket socket = new Socket("127.0.0.1", Integer.getInteger("kci.it.tomcat.port"))) {
            socket.setSoTimeout(60_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (header.isEmpty() ? "" : header + "\r\n") + "Content-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).split("\r\n");
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).toLowerCase(java.util.Locale.ROOT), head[i].substring(colon + 1).strip());
            }
            return new Raw(Integer.parseInt(head[0].split(" ")[1]), headers);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitHealthy(String context) throws InterruptedException {
        awaitStatus(context + "/health", new String[0]);
    }

    private static void awaitAnswer(String path) throws InterruptedException {
        awaitStatus(path, admin);
    }

    private static void awaitStatus(String path, String[] headers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Reply reply;
        do {
            reply = http.get(path, headers);
            if (reply.status() == 200) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + ": " + reply.status() + " " + reply.body() + " (Tomcat's log: " + TOMCAT_LOG + ")");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + Integer.getInteger("kci.it.pg.port") + "/" + DeploymentDatabase.RESTRICTED, "kci_owner", "change-me");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** What a log file gained since a point. */
    private record LogGrowth(Path file, long start) {
        private static final int KEPT = 5000;

        static LogGrowth from(Path file) throws IOException {
            return new LogGrowth(file, Files.size(file));
        }

        /**
         * The lines added, once the file stopped growing for a second (the log is written as it
         * goes): all of them counted, the first {@value #KEPT} kept.
         */
        Added settled() throws IOException, InterruptedException {
            long size;
            do {
                size = Files.size(file);
                Thread.sleep(1000);
            } while (Files.size(file) != size);
            List<String> kept = new ArrayList<>();
            long lines = 0;
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(start);
                java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                        new java.io.BufferedInputStream(in), StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (kept.size() < KEPT) {
                        kept.add(line);
                    }
                    lines++;
                }
            }
            return new Added(lines, size - start, kept);
        }
    }

    /** Lines and bytes a log gained; its first lines. */
    private record Added(long lines, long bytes, List<String> first) {
        String shown() {
            return String.join("\n", first.subList(0, Math.min(60, first.size())));
        }

        @Override
        public String toString() {
            return lines + " lines, " + bytes + " bytes";
        }
    }
}

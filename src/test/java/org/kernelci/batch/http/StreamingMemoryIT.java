package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.TestServer;

/**
 * The service keeps its memory bounded (CONTRACT.md section 3): in a JVM with a 256 MB heap,
 * answers to a listing of 200,000 whole documents (about 150 MB of JSON), four at once, are each
 * held whole within the byte budget before they are sent: gzipped (about 8 MB) they answer 200
 * with every document and their {@code Content-Length}; plain, they are refused with the 413
 * envelope once they pass the budget, never an OutOfMemoryError; the service answers others
 * meanwhile and after.
 */
class StreamingMemoryIT {
    private static final int ROWS = 200_000;
    /** The answer's byte budget: four of them held at once fit in the heap, a plain answer does not fit in one. */
    private static final int BUDGET = 24 * 1024 * 1024;

    /** What a client got: status, Content-Length and the bytes as sent, the documents and bytes they hold unzipped. */
    private record Received(int status, String contentLength, String transferEncoding, long sent, long documents,
                            long unzipped, String text) {
    }

    @Test
    @DisplayName("§3 with -Xmx256m, four answers of 200,000 documents at once: gzipped they come whole, "
            + "plain they are a 413 past the byte budget; no OutOfMemoryError")
    void boundedMemory() throws Exception {
        String url = database(ROWS);
        int port = freePort();
        Path log = Files.createTempFile("kci-streaming", ".log");
        Process service = launch(url, port, log, Map.of("KCI_MAX_ROWS", Integer.toString(ROWS),
                "KCI_BATCH_MAX_BYTES", Integer.toString(BUDGET)));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealth(client, base, service, log);
            List<Future<Received>> gzipped = new ArrayList<>();
            List<Future<Received>> plain = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                gzipped.add(clients.submit(() -> listing(client, base, true)));
                plain.add(clients.submit(() -> listing(client, base, false)));
            }
            // Others are answered meanwhile.
            assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/boot?limit=10"))
                    .header("Authorization", TestServer.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());
            for (Future<Received> answer : gzipped) {
                Received received = answer.get();
                assertEquals(200, received.status(), received.text());
                assertEquals(Long.toString(received.sent()), received.contentLength(), "Content-Length: the bytes sent");
                assertNull(received.transferEncoding());
                assertTrue(received.sent() <= BUDGET, "within the budget as sent: " + received.sent());
                assertEquals(ROWS, received.documents(), "documents received");
                assertTrue(received.unzipped() > 256L * 1024 * 1024 / 2,
                        "the answer, unzipped, should be large next to the heap: " + received.unzipped());
            }
            for (Future<Received> answer : plain) {
                Received received = answer.get();
                assertEquals(413, received.status(), received.text());
                assertEquals("{\"code\":413,\"reason\":\"The answer is larger than " + BUDGET
                        + " bytes, the most one answer may hold: ask for fewer documents (limit, field) or split the batch\"}",
                        received.text());
                assertEquals(Long.toString(received.sent()), received.contentLength());
            }
            assertTrue(service.isAlive(), "the service died: " + read(log));
            assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertFalse(read(log).contains("OutOfMemoryError"), read(log));
        } finally {
            clients.shutdownNow();
            service.destroy();
            service.waitFor();
        }
    }

    /** Every document, read as it arrives (counted, never held): the body is unzipped on the way when it came gzipped. */
    private static Received listing(HttpClient client, URI base, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/boot?limit=0"))
                .header("Authorization", TestServer.ADMIN_TOKEN);
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        CountingInputStream sent = new CountingInputStream(response.body());
        boolean gzipped = response.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
        assertEquals(gzip, gzipped, "gzipped when accepted");
        long documents = 0;
        long unzipped = 0;
        byte[] needle = "\"_id\":".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        ByteArrayOutputStream start = new ByteArrayOutputStream();
        try (InputStream body = gzipped ? new GZIPInputStream(sent, 65536) : sent) {
            byte[] buffer = new byte[65536];
            for (int read; (read = body.read(buffer)) > 0; ) {
                if (start.size() < 4096) {
                    start.write(buffer, 0, Math.min(read, 4096 - start.size()));
                }
                unzipped += read;
                for (int i = 0; i < read; i++) {
                    matched = buffer[i] == needle[matched] ? matched + 1 : (buffer[i] == needle[0] ? 1 : 0);
                    if (matched == needle.length) {
                        documents++;
                        matched = 0;
                    }
                }
            }
        }
        return new Received(response.statusCode(), response.headers().firstValue("Content-Length").orElse(null),
                response.headers().firstValue("Transfer-Encoding").orElse(null), sent.count(), documents, unzipped,
                start.toString(StandardCharsets.UTF_8));
    }

    /** Counts the bytes read through it: the body's bytes as they were sent. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int read = super.read(bytes, offset, length);
            if (read > 0) {
                count += read;
            }
            return read;
        }

        long count() {
            return count;
        }
    }

    /** A fresh, migrated database holding {@code rows} boots of about 1 KB each. */
    static String database(int rows) throws Exception {
        String url = TestServer.freshDatabase();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO boot (id, created_on, job, kernel, defconfig, defconfig_full, arch, board, lab_name,
                                      status, boot_result_description, name, git_commit, git_describe, metadata)
                    SELECT lpad(to_hex(n), 24, '0'), now() - n * interval '1 second', 'next', 'next-20141208',
                           'multi_v7_defconfig', 'multi_v7_defconfig', 'arm', 'board-' || (n % 300), 'lab-collabora',
                           'PASS', repeat('a description of the boot ', 8), 'boot-' || n, md5(n::text),
                           'next-20141208-' || n, jsonb_build_object('n', n, 'note', repeat('x', 100))
                    FROM generate_series(1, ?) AS n""".replace("?", Integer.toString(rows)));
        }
        return url;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The run command in a JVM of its own with a 256 MB heap, on {@code url}, its output in {@code log}. */
    static Process launch(String url, int port, Path log, Map<String, String> settings) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "org.kernelci.batch.launch.Launcher");
        builder.environment().put("KCI_DB_URL", url);
        builder.environment().put("KCI_DB_USER", "postgres");
        builder.environment().put("KCI_PORT", Integer.toString(port));
        builder.environment().put("KCI_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        builder.environment().putAll(settings);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    static void awaitHealth(HttpClient client, URI base, Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), () -> "the service did not start: " + read(log));
            try {
                if (client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not answer in time: " + read(log));
    }

    static String read(Path log) {
        try {
            return String.join("\n", Files.readAllLines(log));
        } catch (IOException e) {
            return e.toString();
        }
    }
}

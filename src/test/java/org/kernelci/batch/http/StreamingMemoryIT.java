package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.TestServer;

/**
 * The service keeps its memory bounded: in a JVM with a 256 MB heap, one operation returning
 * 200,000 whole documents streams out, and the service keeps answering.
 */
class StreamingMemoryIT {
    private static final int ROWS = 200_000;

    @Test
    @DisplayName("with -Xmx256m, 200,000 rows stream out without an OutOfMemoryError")
    void boundedMemory() throws Exception {
        String url = database(ROWS);
        int port = freePort();
        Path log = Files.createTempFile("kci-streaming", ".log");
        Process service = launch(url, port, log, Map.of("KCI_MAX_ROWS", Integer.toString(ROWS)));
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealth(client, base, service, log);
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(base.resolve("/boot?limit=0"))
                    .header("Authorization", TestServer.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            long documents = 0;
            long bytes = 0;
            byte[] needle = "\"_id\":".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[65536];
                for (int read; (read = body.read(buffer)) > 0; ) {
                    bytes += read;
                    for (int i = 0; i < read; i++) {
                        matched = buffer[i] == needle[matched] ? matched + 1 : (buffer[i] == needle[0] ? 1 : 0);
                        if (matched == needle.length) {
                            documents++;
                            matched = 0;
                        }
                    }
                }
            }
            assertEquals(ROWS, documents, "documents streamed");
            assertTrue(bytes > 256L * 1024 * 1024 / 2, "the body should be large next to the heap: " + bytes);
            assertTrue(service.isAlive(), "the service died: " + Files.readString(log));
            assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            service.destroy();
            service.waitFor();
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

package org.kernelci.batch.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.batch.testing.TestServer;

/** The run command's main class as the README's command starts it, in a process of its own. */
class LauncherIT {
    @TempDir
    Path directory;

    private ProcessBuilder launcher(Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName()))
                .redirectOutput(directory.resolve("out").toFile()).redirectError(directory.resolve("err").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KCI_"));
        builder.environment().putAll(environment);
        return builder;
    }

    private String read(String name) throws IOException {
        return Files.readString(directory.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a bad setting stops the start with one plain line naming it, and exit status 2")
    void badSettingIsOneLine() throws Exception {
        Process process = launcher(Map.of("KCI_PORT", "eighty")).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the launcher ended");
        String err = read("err");
        assertEquals(2, process.exitValue(), err);
        assertEquals(List.of("kci-batch: Setting KCI_PORT must be a positive integer, not 'eighty'"), err.lines().toList());
        assertEquals("", read("out"));
    }

    /** An address of this machine's that is not the loopback's, if it has one. */
    private static Optional<InetAddress> outsideAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(face -> {
            try {
                return face.isUp() && !face.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(address -> address instanceof Inet4Address).findFirst();
    }

    @Test
    @DisplayName("KCI_HOST=0.0.0.0: the run command answers on the machine's other addresses too")
    void hostSetting() throws Exception {
        Optional<InetAddress> outside = outsideAddress();
        assumeTrue(outside.isPresent(), "this machine has no address but the loopback's");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = launcher(Map.of("KCI_DB_URL", TestServer.freshDatabase(), "KCI_DB_USER", "postgres",
                "KCI_PORT", Integer.toString(port), "KCI_HOST", "0.0.0.0")).start();
        try {
            while (!read("out").contains("kci-batch is running on")) {
                if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the launcher ended: " + read("err"));
                }
            }
            String out = read("out");
            assertTrue(out.contains("  listening on 0.0.0.0\n"), out);
            URI there = URI.create("http://" + outside.get().getHostAddress() + ":" + port + "/version");
            HttpResponse<String> version = HttpClient.newHttpClient().send(HttpRequest.newBuilder(there).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, version.statusCode(), version::body);
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("the start is told step by step with each step's time, then the address it answers on")
    void startIsToldStepByStep() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = TestServer.freshDatabase();
        Process process = launcher(Map.of("KCI_DB_URL", url, "KCI_DB_USER", "postgres", "KCI_PORT", Integer.toString(port)))
                .start();
        try {
            String running = "kci-batch is running on http://localhost:" + port + "/";
            while (!read("out").contains(running)) {
                if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the launcher ended: " + read("err"));
                }
            }
            List<String> lines = read("out").lines().toList();
            assertTrue(lines.get(0).matches("kci-batch: connecting to the database and applying its migrations\\.\\.\\. \\d+\\.\\d s"),
                    lines::toString);
            assertTrue(lines.get(1).matches("kci-batch: starting the web server on 127\\.0\\.0\\.1, port " + port
                    + "\\.\\.\\. \\d+\\.\\d s"), lines::toString);
            assertTrue(lines.get(3).matches(java.util.regex.Pattern.quote(running) + "  \\(started in \\d+\\.\\d s; Ctrl-C stops it\\)"),
                    lines::toString);
            HttpResponse<String> version = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/version")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, version.statusCode(), version::body);
            // KCI_HOST unset: this machine only.
            Optional<InetAddress> outside = outsideAddress();
            if (outside.isPresent()) {
                assertThrows(ConnectException.class, () -> new Socket(outside.get(), port).close(),
                        "answers on " + outside.get());
            }
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }
}

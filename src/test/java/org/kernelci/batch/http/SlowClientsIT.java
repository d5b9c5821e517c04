package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.KciApplication;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.app.Settings;
import org.kernelci.batch.launch.Launcher;
import org.kernelci.batch.testing.SlowClients;
import org.kernelci.batch.testing.TestServer;

/**
 * Slow clients against the embedded run (the launcher's Jetty, its settings): bodies are judged by
 * their heads and read without a thread waiting on the client (issue 33). Liveness bounds only:
 * the figures go to {@code target/slow-clients/} and docs/PERFORMANCE.md, "Slow clients".
 */
class SlowClientsIT {
    /** The default KCI_MAX_BODY_BYTES; bodies are held up to 8 times it (a batch's read-ahead). */
    private static final int MAX_BODY = 1_048_576;
    private static final int BODY_TIMEOUT_MS = 3000;
    /** Far above anything a working service takes; the broken one took 40 s. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String BATCH = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"job\"}]}";

    private static Server jetty;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        values.put(Setting.DB_URL, TestServer.freshDatabase());
        values.put(Setting.DB_USER, "postgres");
        values.put(Setting.ADMIN_TOKEN, TestServer.ADMIN_TOKEN);
        values.put(Setting.BODY_TIMEOUT_MS, String.valueOf(BODY_TIMEOUT_MS));
        KciApplication application = new KciApplication(Settings.of(values), Clock.systemUTC());
        jetty = Launcher.server("127.0.0.1", 0);
        jetty.setHandler(Launcher.webApp(application));
        jetty.start();
        base = URI.create("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    /** What came back on a connection that sent this, read until the server closed it or PATIENCE passed. */
    private static String exchange(String sent) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(sent.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String head(String extra, long length) {
        return "POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "Content-Length: " + length + "\r\n\r\n";
    }

    private static void assertRefused(int status, String reason, String response) {
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), response);
        assertTrue(response.contains(reason), response);
    }

    @Test
    @DisplayName("early refusals: no token, a type no route reads, a length past the cap; answered from the head, connection closed")
    void earlyRefusals() throws IOException {
        // The body is never sent: each answer comes from the head alone, and the server closes
        // the connection rather than wait for the body.
        assertRefused(403, "Operation not permitted", exchange(head("Content-Type: application/json\r\n", 100_000)));
        assertRefused(403, "Operation not permitted", exchange(head(
                "Content-Type: application/json\r\nAuthorization: not-a-token\r\n", 100_000)));
        assertRefused(415, "Wrong content type defined", exchange(head("Content-Type: text/plain\r\nAuthorization: "
                + TestServer.ADMIN_TOKEN + "\r\n", 100_000)));
        assertRefused(413, "Request body larger than " + MAX_BODY + " bytes", exchange(head(
                "Content-Type: application/json\r\nAuthorization: " + TestServer.ADMIN_TOKEN + "\r\n", 8L * MAX_BODY + 1)));
        // The resources' order stands: an unknown collection is a 404 before the token's 403.
        String unknown = exchange("POST /no_such_collection HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n");
        assertTrue(unknown.startsWith("HTTP/1.1 404 ") || unknown.startsWith("HTTP/1.1 405 "), unknown);
        assertTrue(unknown.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), unknown);
    }

    @Test
    @DisplayName("a body that does not come whole within KCI_BODY_TIMEOUT_MS: 408 naming the limit, connection closed")
    void slowBody() throws IOException {
        String response = exchange(head("Content-Type: application/json\r\nAuthorization: " + TestServer.ADMIN_TOKEN
                + "\r\n", 100) + "{\"batch\"");
        assertRefused(408, "Request body not received within " + BODY_TIMEOUT_MS + " ms", response);
    }

    @Test
    @DisplayName("a chunked body past the cap: 413; a whole body: answered, and the connection kept for the next request")
    void chunkedAndKeptAlive() throws IOException {
        String chunk = " ".repeat(3 * MAX_BODY);
        StringBuilder chunked = new StringBuilder("POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: " + TestServer.ADMIN_TOKEN + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 3; i++) {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        assertRefused(413, "Request body larger than " + MAX_BODY + " bytes", exchange(chunked.toString()));

        String request = head("Content-Type: application/json\r\nAuthorization: " + TestServer.ADMIN_TOKEN + "\r\n",
                BATCH.length()) + BATCH;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 2; i++) {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String response = readResponse(in);
                assertTrue(response.startsWith("HTTP/1.1 200 "), response);
                assertFalse(response.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), response);
                assertTrue(response.contains("\"count\":0"), response);
            }
        }
    }

    /** One response with a Content-Length, read from a kept-alive connection. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertTrue(length.find(), head.toString());
        return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("300 slow senders and 50 slow heads beside normal clients: every normal request answered, the figures reported")
    void slowClientsBesideNormalTraffic() throws InterruptedException {
        SlowClients.traffic(base, "", TestServer.ADMIN_TOKEN, 4, Duration.ofSeconds(2), PATIENCE); // warm-up
        SlowClients.Traffic quiet = SlowClients.traffic(base, "", TestServer.ADMIN_TOKEN, 4, Duration.ofSeconds(5), PATIENCE);
        Map<SlowClients.Kind, Integer> counts = new EnumMap<>(SlowClients.Kind.class);
        counts.put(SlowClients.Kind.BODY_WITHOUT_TOKEN, 250);
        counts.put(SlowClients.Kind.BODY_WITH_TOKEN, 50);
        counts.put(SlowClients.Kind.SLOW_HEAD, 50);
        SlowClients.Traffic attacked;
        List<SlowClients.Answer> answers;
        try (SlowClients slow = new SlowClients(base, "/batch", TestServer.ADMIN_TOKEN, counts, Duration.ofSeconds(1))) {
            attacked = SlowClients.traffic(base, "", TestServer.ADMIN_TOKEN, 4, Duration.ofSeconds(15), PATIENCE);
            answers = slow.answers();
        }
        SlowClients.report("embedded-jetty", "quiet: " + quiet.summary() + "; beside 250 slow bodies without a token, 50 with"
                + " one and 50 slow heads (a byte a second each, KCI_BODY_TIMEOUT_MS=" + BODY_TIMEOUT_MS + "): "
                + attacked.summary() + "; slow connections closed by the server: " + answers.size());
        SlowClients.assertHeld(attacked, answers, PATIENCE);
    }
}

package org.kernelci.batch.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.SlowClients;

/**
 * Slow clients against the WAR in the build's Tomcat 10.1 (tomcat-conf/server.xml's connector,
 * tomcat-conf/context.xml's settings; TomcatDeploymentIT has the set-up): refused bodies are not
 * read, not even by Tomcat after the answer, and bodies sent slowly hold no worker thread, so
 * normal clients are answered beside more slow senders than Tomcat has threads (issue 33).
 * Liveness bounds only; the figures go to {@code target/slow-clients/} and docs/PERFORMANCE.md.
 */
@DisabledIfSystemProperty(named = "kci.it.tomcat.skip", matches = "true")
class TomcatSlowClientsIT {
    private static final String KCI = "/kci";
    /** Far above anything a working service takes; the broken one took 40 s. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static URI base;
    private static String token;

    @BeforeAll
    static void deployed() throws InterruptedException {
        base = URI.create("http://127.0.0.1:" + Integer.getInteger("kci.it.tomcat.port"));
        token = System.getProperty("kci.it.admin.token");
        HttpProbe http = new HttpProbe(base);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (http.get(KCI + "/health").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(KCI + "/health does not answer (Tomcat's log: target/tomcat-it/tomcat.log)");
            }
            Thread.sleep(200);
        }
    }

    /** What came back on a connection that sent only this head, read until Tomcat closed it. */
    private static String headOnly(String extra) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + KCI + "/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra
                    + "Content-Length: " + SlowClients.ANNOUNCED + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            // Tomcat closes the connection without the body: were it reading ("swallowing") the
            // body instead, this read would time out.
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    @DisplayName("a body without a valid token: 403 from the head, and Tomcat closes the connection without reading the body")
    void refusedUnread() throws IOException {
        for (String extra : List.of("", "Authorization: not-a-token\r\n")) {
            String response = headOnly(extra);
            assertTrue(response.startsWith("HTTP/1.1 403 "), response);
            assertTrue(response.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), response);
            assertTrue(response.contains("Operation not permitted"), response);
        }
    }

    @Test
    @DisplayName("250 slow bodies without a token, 250 with one and 50 slow heads beside normal clients: all answered")
    void slowClientsBesideNormalTraffic() throws InterruptedException {
        SlowClients.traffic(base, KCI, token, 4, Duration.ofSeconds(2), PATIENCE); // warm-up
        SlowClients.Traffic quiet = SlowClients.traffic(base, KCI, token, 4, Duration.ofSeconds(5), PATIENCE);
        Map<SlowClients.Kind, Integer> counts = new EnumMap<>(SlowClients.Kind.class);
        counts.put(SlowClients.Kind.BODY_WITHOUT_TOKEN, 250);
        counts.put(SlowClients.Kind.BODY_WITH_TOKEN, 250);
        counts.put(SlowClients.Kind.SLOW_HEAD, 50);
        SlowClients.Traffic attacked;
        List<SlowClients.Answer> answers;
        try (SlowClients slow = new SlowClients(base, KCI + "/batch", token, counts, Duration.ofSeconds(1))) {
            // Longer than kci.body.timeout.ms (20 s): the slow senders with a token meet their 408.
            attacked = SlowClients.traffic(base, KCI, token, 4, Duration.ofSeconds(25), PATIENCE);
            answers = slow.answers();
        }
        SlowClients.report("tomcat", "quiet: " + quiet.summary() + "; beside 250 slow bodies without a token, 250 with one"
                + " and 50 slow heads (a byte a second each; tomcat-conf's connector, 200 threads): " + attacked.summary()
                + "; slow connections closed by the server: " + answers.size());
        SlowClients.assertHeld(attacked, answers, PATIENCE);
    }
}

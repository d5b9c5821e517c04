package org.kernelci.batch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clients that send slowly (issue 33), each on a socket of its own, all driven by one thread that
 * sends every connection one byte a tick: a complete head announcing a body of
 * {@link #ANNOUNCED} bytes then the body a byte at a time, with or without a token; or a head
 * that never ends (slowloris). A connection the server closes is replaced at once, so the
 * pressure holds; what the server answered on each is kept. Beside them, {@link #traffic} is what
 * a normal client sees.
 */
public final class SlowClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);
    /** The body length each slow sender announces (the issue's). */
    public static final int ANNOUNCED = 100_000;
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

    /** What a slow client sends. */
    public enum Kind { BODY_WITHOUT_TOKEN, BODY_WITH_TOKEN, SLOW_HEAD }

    /**
     * What one connection got before the server closed it: the status (0: none), and how many
     * bytes of the body it had sent by then.
     */
    public record Answer(Kind kind, int status, String response, long bodySent) {
    }

    private final InetSocketAddress address;
    private final String path;
    private final String token;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "slow-clients");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Opens the connections, how many of each kind, and starts sending.
     *
     * @param path  where the bodies go ({@code /batch}, or {@code /kci/batch} in a context)
     * @param token the valid token of {@link Kind#BODY_WITH_TOKEN}
     * @param tick  how often each connection sends its next byte
     */
    public SlowClients(URI base, String path, String token, Map<Kind, Integer> counts, Duration tick) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.path = path;
        this.token = token;
        counts.forEach((kind, count) -> {
            for (int i = 0; i < count; i++) {
                connections.add(new Connection(kind));
            }
        });
        for (Connection connection : connections) {
            connection.open();
        }
        ticks.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The answers of the connections the server closed so far. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    private void tick() {
        for (Connection connection : connections) {
            connection.step();
        }
    }

    @Override
    public void close() {
        ticks.shutdownNow();
        try {
            ticks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(Connection::shut);
    }

    /** One slow client's socket, replaced by a new one when the server closes it. */
    private final class Connection {
        private final Kind kind;
        private final ByteBuffer received = ByteBuffer.allocate(4096);
        private SocketChannel channel;
        private byte[] toSend;
        private int sent;
        private int headLength;

        Connection(Kind kind) {
            this.kind = kind;
        }

        void open() {
            try {
                channel = SocketChannel.open(address);
                channel.configureBlocking(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            received.clear();
            String head = switch (kind) {
                case SLOW_HEAD -> "GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + "\r\n";
                case BODY_WITHOUT_TOKEN, BODY_WITH_TOKEN -> "POST " + path + " HTTP/1.1\r\nHost: " + address.getHostString()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + ANNOUNCED + "\r\n"
                        + (kind == Kind.BODY_WITH_TOKEN ? "Authorization: " + token + "\r\n" : "") + "\r\n";
            };
            // A slow head goes a byte a tick from its first header on; a body's head at once.
            String rest = kind == Kind.SLOW_HEAD ? "X-Slow: " + "a".repeat(100_000) : "{" + " ".repeat(ANNOUNCED - 1);
            toSend = (head + rest).getBytes(StandardCharsets.US_ASCII);
            headLength = head.length();
            try {
                sent = channel.write(ByteBuffer.wrap(toSend, 0, headLength));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void step() {
            try {
                int read = channel.read(received.hasRemaining() ? received : ByteBuffer.allocate(4096));
                if (read < 0) {
                    replace();
                    return;
                }
                if (sent < toSend.length) {
                    sent += channel.write(ByteBuffer.wrap(toSend, sent, 1));
                }
            } catch (IOException closed) {
                replace();
            }
        }

        private void replace() {
            String response = new String(received.array(), 0, received.position(), StandardCharsets.ISO_8859_1);
            Matcher status = STATUS.matcher(response);
            answers.add(new Answer(kind, status.find() ? Integer.parseInt(status.group(1)) : 0, response,
                    Math.max(0, sent - headLength)));
            shut();
            try {
                open();
            } catch (UncheckedIOException refused) {
                // The server accepts no more connections for now: try again next tick.
                LOG.debug("Reconnecting: {}", refused.getMessage());
            }
        }

        void shut() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** What normal clients saw: each request's status (0: no answer) and time. */
    public record Traffic(List<Integer> statuses, List<Long> nanos) {
        public long answered200() {
            return statuses.stream().filter(status -> status == 200).count();
        }

        public Duration percentile(double fraction) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return Duration.ofNanos(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1)));
        }

        public Duration max() {
            return Duration.ofNanos(Collections.max(nanos));
        }

        public String summary() {
            return String.format(Locale.ROOT, "%d requests, %d answered 200, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    statuses.size(), answered200(), millis(percentile(0.50)), millis(percentile(0.99)), millis(max()));
        }

        private static double millis(Duration duration) {
            return duration.toNanos() / 1e6;
        }
    }

    /**
     * Normal clients for a while, each in a loop on its own keep-alive connection: a count and a
     * small batch by turns, each with the token, each given {@code patience} to answer.
     *
     * @param prefix the context's path ("" or "/kci")
     */
    public static Traffic traffic(URI base, String prefix, String token, int clients, Duration duration, Duration patience)
            throws InterruptedException {
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        List<Long> nanos = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(patience).build();
                HttpRequest count = HttpRequest.newBuilder(base.resolve(prefix + "/count/boot")).timeout(patience)
                        .header("Authorization", token).GET().build();
                HttpRequest batch = HttpRequest.newBuilder(base.resolve(prefix + "/batch")).timeout(patience)
                        .header("Authorization", token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"job\"}]}"))
                        .build();
                for (int i = 0; System.nanoTime() < end; i++) {
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = client.send(i % 2 == 0 ? count : batch, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException e) {
                        status = 0;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    nanos.add(System.nanoTime() - start);
                    statuses.add(status);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "normal-client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Traffic(List.copyOf(statuses), List.copyOf(nanos));
    }

    /** Writes the figures to {@code target/slow-clients/<name>.txt} and the test log. */
    public static void report(String name, String text) {
        try {
            Path directory = Path.of("target", "slow-clients");
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(name + ".txt"), text + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("{}: {}", name, text);
    }

    /**
     * What a server under slow clients must have done: every quiet request answered 200 within
     * {@code patience}; slow bodies without a token refused (403) and those with one out of time
     * (408), each before its whole body was sent.
     */
    public static void assertHeld(Traffic attacked, List<Answer> answers, Duration patience) {
        assertEquals(attacked.statuses().size(), attacked.answered200(), attacked.summary());
        assertTrue(attacked.max().compareTo(patience) < 0, attacked.summary());
        assertTrue(answers.stream().anyMatch(answer -> answer.kind() == Kind.BODY_WITHOUT_TOKEN), "no 403 seen");
        assertTrue(answers.stream().anyMatch(answer -> answer.kind() == Kind.BODY_WITH_TOKEN), "no 408 seen");
        for (Answer answer : answers) {
            switch (answer.kind()) {
                case BODY_WITHOUT_TOKEN -> assertEquals(403, answer.status(), answer.response());
                case BODY_WITH_TOKEN -> assertEquals(408, answer.status(), answer.response());
                case SLOW_HEAD -> { }
            }
            assertTrue(answer.bodySent() < ANNOUNCED, answer.toString());
        }
    }
}

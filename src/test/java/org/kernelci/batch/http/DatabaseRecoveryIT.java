package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.PostgresProcesses;
import org.kernelci.batch.testing.ProvokedFaults;
import org.kernelci.batch.testing.TestServer;

/**
 * Issue 32: recovery is decided by a successful connection (no 503 from the pool's memory of the
 * last failure once the database answered again), and a frozen database is told apart from a
 * busy pool. The figures (recovery after each restart, {@code /health}'s time while frozen) are
 * printed, not asserted: they depend on the machine.
 */
@ExtendWith(ProvokedFaults.class)
class DatabaseRecoveryIT {
    private static final String TOKEN = TestServer.ADMIN_TOKEN;
    private static final String UNAVAILABLE = "{\"code\":503,\"reason\":\"Database unavailable, retry later\"}";
    /** A client that gives up: a hung answer fails the test instead of hanging it. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * What {@code /health} is given while the database is frozen: generous beside what it takes
     * (milliseconds), short beside what waiting on the database took (12 s before issue 32).
     */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

    /** One answer a client got, when (ms since the epoch, as log lines' times) it was asked and when it came. */
    private record Answer(long sent, long at, String what, int status, String body, String retryAfter) {
    }

    @Test
    @DisplayName("after a restart of the database, once the probe saw it answer, it is not marked down again and no "
            + "request is refused (no flapping)")
    void recoversWithoutFlapping() throws Exception {
        Path data = Files.createTempDirectory("kci-recovery");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        int port = postgres.getPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
        List<String> figures = new ArrayList<>();
        try (TestServer server = TestServer.start(postgres.getJdbcUrl("postgres", "postgres"), Clock.systemUTC(), Map.of());
             CapturedLog log = new CapturedLog(Database.class)) {
            for (int run = 1; run <= 5; run++) {
                List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger sequence = new AtomicInteger();
                int thisRun = run;
                List<Thread> clients = List.of(
                        client("writer", stop, answers, () -> send(http, server.base(), "POST", "/job",
                                "{\"job\":\"recovery-" + thisRun + "-" + sequence.incrementAndGet() + "\",\"kernel\":\"v1\"}")),
                        client("reader", stop, answers, () -> send(http, server.base(), "GET", "/job?limit=1", null)));
                clients.forEach(Thread::start);
                try {
                    waitFor(answers, "POST", 200, System.currentTimeMillis());
                    postgres.close();
                    long stopped = System.currentTimeMillis();
                    waitFor(answers, "POST", 503, stopped);
                    // Down long enough for the pool's own retries to back off to their longest (5 s).
                    Thread.sleep(8_000);
                    Accepting accepting = new Accepting(postgres.getJdbcUrl("postgres", "postgres"));
                    postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                            .setPort(port).start();
                    long acceptedSeen = accepting.since();
                    waitFor(answers, "POST", 200, stopped);
                    Thread.sleep(3_000);
                    stop.set(true);
                    for (Thread client : clients) {
                        client.join();
                    }
                    long back = log.events().stream()
                            .filter(event -> event.getTimeStamp() >= stopped && event.getLevel() == Level.INFO
                                    && event.getFormattedMessage().startsWith("Database answers again after "))
                            .mapToLong(ILoggingEvent::getTimeStamp).findFirst()
                            .orElseThrow(() -> new AssertionError("the probe never saw it back in run " + thisRun));
                    // The probe may connect between two of the 10 ms apart attempts that time it.
                    long accepted = Math.min(acceptedSeen, back);
                    Answer firstWrite = waitFor(answers, "POST", 200, accepted);
                    List<String> downAgain = log.at(Level.WARN).stream()
                            .filter(event -> event.getTimeStamp() > back
                                    && event.getFormattedMessage().endsWith("requests get 503 until it answers"))
                            .map(ILoggingEvent::getFormattedMessage).toList();
                    List<Answer> refused = answers.stream()
                            .filter(answer -> answer.sent() > back && answer.status() / 100 != 2).toList();
                    figures.add(String.format("run %d: first 201 write %d ms after PostgreSQL accepted connections "
                            + "(the probe saw it %d ms after); since, %d requests, %d refused, marked down %d times",
                            run, firstWrite.at() - accepted, back - accepted,
                            answers.stream().filter(answer -> answer.sent() > back).count(), refused.size(),
                            downAgain.size()));
                    assertEquals(List.of(), downAgain, "marked down again after it answered, run " + run);
                    assertEquals(List.of(), refused, "refused after the probe saw it answer, run " + run);
                } finally {
                    stop.set(true);
                    for (Thread client : clients) {
                        client.join();
                    }
                }
            }
        } finally {
            postgres.close();
            System.out.println("DatabaseRecoveryIT.recoversWithoutFlapping:\n  " + String.join("\n  ", figures));
        }
    }

    @Test
    @DisplayName("a frozen database is 'Database unavailable', not 'Service busy', and /health answers while it is")
    void frozenDatabase() throws Exception {
        Path data = Files.createTempDirectory("kci-frozen");
        HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
        List<String> figures = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .start();
             // Two connections (the fewest the migrations take), one of which a write takes just as
             // the database freezes: a pool with none free is what made a frozen database look
             // like a busy service.
             TestServer server = TestServer.start(postgres.getJdbcUrl("postgres", "postgres"), Clock.systemUTC(),
                     Map.of(Setting.DB_POOL_SIZE, "2"))) {
            assertEquals(201, send(http, server.base(), "POST", "/job", "{\"job\":\"frozen\",\"kernel\":\"v1\"}").status());
            assertEquals(200, send(http, server.base(), "GET", "/health", null).status());
            List<Long> postgresProcesses = PostgresProcesses.all(data);
            PostgresProcesses.signal("-STOP", postgresProcesses);
            CompletableFuture<Answer> stuck;
            try {
                long frozen = System.nanoTime();
                // Within HikariCP's 500 ms without validation, this write gets the connection and
                // waits in its INSERT until the database thaws (the pool's connections have no
                // socket timeout; what it is answered then is not this test's concern).
                stuck = CompletableFuture.supplyAsync(() -> send(http, server.base(), "POST", "/job",
                        "{\"job\":\"frozen-stuck\",\"kernel\":\"v1\"}", CLIENT_TIMEOUT));
                Thread.sleep(600);
                long asked = System.nanoTime();
                Answer write = send(http, server.base(), "POST", "/job", "{\"job\":\"frozen-first\",\"kernel\":\"v1\"}",
                        CLIENT_TIMEOUT);
                Answer read = send(http, server.base(), "GET", "/job?limit=1", null, CLIENT_TIMEOUT);
                figures.add(String.format("the first write and read after the freeze: %d ms, answered %s and %s",
                        (System.nanoTime() - asked) / 1_000_000, write.body(), read.body()));
                assertEquals(UNAVAILABLE, write.body(), "the first write while frozen");
                assertEquals(UNAVAILABLE, read.body(), "the first read while frozen");
                assertNotNull(write.retryAfter());
                // /health answers while the database is frozen, long before any timeout of the database's.
                for (int i = 0; i < 5; i++) {
                    asked = System.nanoTime();
                    Answer health = send(http, server.base(), "GET", "/health", null, HEALTH_TIMEOUT);
                    figures.add(String.format("/health while frozen: %d in %d ms", health.status(),
                            (System.nanoTime() - asked) / 1_000_000));
                    assertEquals(UNAVAILABLE, health.body());
                    assertNotNull(health.retryAfter());
                    asked = System.nanoTime();
                    write = send(http, server.base(), "POST", "/job", "{\"job\":\"frozen-" + i + "\",\"kernel\":\"v1\"}",
                            CLIENT_TIMEOUT);
                    read = send(http, server.base(), "GET", "/job?limit=1", null, CLIENT_TIMEOUT);
                    figures.add(String.format("a write and a read while frozen: %d ms", (System.nanoTime() - asked) / 1_000_000));
                    assertEquals(UNAVAILABLE, write.body(), "a write while frozen");
                    assertEquals(UNAVAILABLE, read.body(), "a read while frozen");
                }
                figures.add(String.format("frozen for %d ms", (System.nanoTime() - frozen) / 1_000_000));
            } finally {
                PostgresProcesses.signal("-CONT", postgresProcesses);
            }
            long thawed = System.nanoTime();
            figures.add("the write under way at the freeze, after it: " + stuck.get().status());
            Answer back;
            do {
                back = send(http, server.base(), "POST", "/job", "{\"job\":\"thawed\",\"kernel\":\"v1\"}");
                assertTrue(System.nanoTime() - thawed < Duration.ofSeconds(60).toNanos(), "still " + back);
            } while (back.status() != 201);
            figures.add(String.format("first 201 write %d ms after SIGCONT", (System.nanoTime() - thawed) / 1_000_000));
        } finally {
            System.out.println("DatabaseRecoveryIT.frozenDatabase:\n  " + String.join("\n  ", figures));
        }
    }

    /** When (ms since the epoch) PostgreSQL first accepted a connection: a thread tries every 10 ms. */
    private static final class Accepting {
        private volatile long at;
        private final Thread thread;

        Accepting(String url) {
            thread = new Thread(() -> {
                while (true) {
                    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url)) {
                        at = System.currentTimeMillis();
                        return;
                    } catch (java.sql.SQLException e) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                }
            }, "accepting");
            thread.start();
        }

        long since() throws InterruptedException {
            thread.join(60_000);
            assertTrue(at != 0, "PostgreSQL accepted no connection in a minute");
            return at;
        }
    }

    private static Thread client(String name, AtomicBoolean stop, List<Answer> answers, Request request) {
        return new Thread(() -> {
            while (!stop.get()) {
                Answer answer = request.send();
                answers.add(answer);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "recovery-" + name);
    }

    @FunctionalInterface
    private interface Request {
        Answer send();
    }

    private static Answer send(HttpClient http, URI base, String method, String path, String json) {
        return send(http, base, method, path, json, CLIENT_TIMEOUT);
    }

    private static Answer send(HttpClient http, URI base, String method, String path, String json, Duration timeout) {
        long sent = System.currentTimeMillis();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", TOKEN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(sent, System.currentTimeMillis(), method, response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            return new Answer(sent, System.currentTimeMillis(), method, -1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(sent, System.currentTimeMillis(), method, -1, e.toString(), null);
        }
    }

    /** The first answer of that method and class of status (2xx, 5xx) that came after {@code since}; waits up to a minute. */
    private static Answer waitFor(List<Answer> answers, String what, int status, long since) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (answers) {
                for (Answer answer : answers) {
                    if (answer.at() > since && answer.what().equals(what) && answer.status() / 100 == status / 100) {
                        return answer;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + status / 100 + "xx to " + what + " in a minute");
    }
}

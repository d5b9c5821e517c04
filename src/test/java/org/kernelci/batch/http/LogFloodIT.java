package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;
import org.slf4j.LoggerFactory;

/**
 * What clients can make the service log (issue 33): a database outage under readers is two lines
 * whatever the traffic, and hostile query keys are no line at all and a valid, bounded header.
 * Every event of every logger is counted (the service's own, Jersey's and Caffeine's through JUL).
 * Tomcat's side: deploy/TomcatLogsIT.
 */
class LogFloodIT {
    private static final String[] TOKEN = {"Authorization", TestServer.ADMIN_TOKEN};
    private static final int READERS = 4;

    @Test
    @DisplayName("an outage longer than the token cache under 4 readers: a line down, a line up with the count, nothing else")
    void outage() throws Exception {
        Path data = Files.createTempDirectory("kci-log-flood");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        int port = postgres.getPort();
        ListAppender<ILoggingEvent> everything = rootEvents();
        try (TestServer server = TestServer.start(postgres.getJdbcUrl("postgres", "postgres"), Clock.systemUTC(), Map.of());
             CapturedLog databaseLog = new CapturedLog(Database.class)) {
            assertEquals(200, server.http().get("/job?limit=1", TOKEN).status());
            int before = everything.list.size();
            AtomicBoolean stop = new AtomicBoolean();
            Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                Thread reader = new Thread(() -> {
                    while (!stop.get()) {
                        int status = server.http().get("/job?limit=1", TOKEN).status();
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    }
                });
                reader.start();
                readers.add(reader);
            }
            postgres.close();
            // Longer than the token cache keeps a token: the readers' token loads fail too.
            Thread.sleep(8_000);
            postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (server.http().get("/job?limit=1", TOKEN).status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(1_000);
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            List<String> lines = databaseLog.events().stream().map(LogFloodIT::line).toList();
            List<String> others = everything.list.subList(before, everything.list.size()).stream().map(LogFloodIT::line).toList();
            System.out.printf("LogFloodIT outage: %s requests; the service logged %d lines%n", statuses, lines.size() + others.size());
            assertTrue(statuses.getOrDefault(503, new AtomicLong()).get() > 0, statuses::toString);
            assertTrue(statuses.keySet().stream().allMatch(status -> status == 200 || status == 503), statuses::toString);
            // Besides the Database's: at most the reads under way when it went, retried (one line per window).
            assertTrue(others.stream().allMatch(line -> line.startsWith("INFO A read lost its connection, run again on another (")),
                    others::toString);
            assertTrue(others.size() <= 2, others::toString);
            assertTrue(lines.size() <= 3, lines::toString);
            assertTrue(java.util.stream.Stream.concat(databaseLog.events().stream(), everything.list.stream())
                    .allMatch(event -> event.getThrowableProxy() == null), "a stack trace was logged");
            // The outage's two lines; before them at most one for the requests whose connections were
            // lost under way, before the probe marked it down (each 10 s at most).
            assertEquals(1, lines.stream().filter(line -> line.startsWith("WARN Database unavailable: the database at localhost:"
                    + port) && line.endsWith("; requests get 503 until it answers")).count(), lines::toString);
            assertTrue(lines.size() < 3 || lines.get(0).startsWith("WARN Answered 503 (0 more since the last such line): "),
                    lines::toString);
            String up = lines.get(lines.size() - 1);
            assertTrue(up.matches("INFO Database answers again after \\d+ s; meanwhile answered 503 unavailable [1-9]\\d* times, "
                    + "503 busy \\d+ times"), up);
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(everything);
            postgres.close();
        }
    }

    @Test
    @DisplayName("non-Latin-1, CR/LF, control and 7,000-character keys: 200, an encoded bounded X-Kci-Ignored, no line logged")
    void hostileKeys() throws Exception {
        ListAppender<ILoggingEvent> everything = rootEvents();
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of())) {
            int before = everything.list.size();
            Map<String, String> expected = Map.of(
                    "/job?limit=1&%D0%BA%D0%BB%D1%8E%D1%87=1&%E6%97%A5=2", "%D0%BA%D0%BB%D1%8E%D1%87,%E6%97%A5",
                    "/job?limit=1&x%0D%0AFORGED%20line=1", "x%0D%0AFORGED%20line",
                    "/job?limit=1&" + "k".repeat(7000) + "=1", "k".repeat(IgnoredHeader.MAX_NAME_CHARS) + IgnoredHeader.CUT,
                    "/job?limit=1&a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17&r=18&s=19&t=20&u=21&v=22",
                    "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,(2 more)");
            for (Map.Entry<String, String> request : expected.entrySet()) {
                Reply reply = server.http().get(request.getKey(), TOKEN);
                assertEquals(200, reply.status(), reply.body());
                assertEquals(request.getValue(), reply.header("X-Kci-Ignored"));
            }
            assertEquals(List.of(), everything.list.subList(before, everything.list.size()).stream()
                    .filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO)).map(LogFloodIT::line).toList());
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(everything);
        }
    }

    /** Every event that reaches the root logger from now on (the console still shows WARN and ERROR). */
    private static ListAppender<ILoggingEvent> rootEvents() {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(events);
        return events;
    }

    private static String line(ILoggingEvent event) {
        return event.getLevel() + " " + event.getFormattedMessage();
    }
}

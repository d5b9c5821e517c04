package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.TestServer;
import org.slf4j.LoggerFactory;

/** A client that leaves while its response streams is one short line, not a SEVERE trace (issue 14, item 4). */
class ClientDisconnectIT {
    @Test
    @DisplayName("clients leaving mid-stream: no WARN or SEVERE, their transactions end")
    void clientsLeaving() throws Exception {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(events);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(handler);
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of())) {
            assertEquals(200, server.http().get("/health").status());
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO job (id, created_on, name, job, kernel, status) SELECT lpad(to_hex(i), 24, '0'), "
                        + "now(), repeat('job-' || i, 50), 'next', 'kernel-' || i, 'PASS' FROM generate_series(1, 10000) i");
            }
            for (int client = 0; client < 3; client++) {
                try (Socket socket = new Socket("127.0.0.1", server.base().getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /job?limit=10000 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + TestServer.ADMIN_TOKEN
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    assertTrue(in.readNBytes(4096).length > 0);
                    socket.setSoLinger(true, 0);
                }
            }
            // Their read transactions end: no session of the service stays in a transaction.
            String database = server.jdbcUrl().replaceAll(".*/([^/?]+).*", "$1");
            for (int attempt = 0; ; attempt++) {
                try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                     Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                             + database + "' AND state <> 'idle' AND pid <> pg_backend_pid()")) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        break;
                    }
                }
                assertTrue(attempt < 600, "a read transaction outlived its client");
                Thread.sleep(100);
            }
        } finally {
            root.detachAppender(events);
            java.util.logging.Logger.getLogger("").removeHandler(handler);
        }
        List<String> loud = events.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
        assertEquals(List.of(), loud);
        List<String> severe = records.stream().filter(record -> record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(record -> record.getLoggerName() + ": " + record.getMessage()).toList();
        assertEquals(List.of(), severe);
        assertTrue(events.list.stream().anyMatch(event -> event.getFormattedMessage().startsWith("Client went away")),
                "one short line per client that left");
    }
}

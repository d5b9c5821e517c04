package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.testing.HttpProbe;
import java.util.List;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** The collection-independent conventions of CONTRACT.md section 3, on a real service. */
class FoundationIT {
    private static final String[] TOKEN = {"Authorization", TestServer.ADMIN_TOKEN};
    private static TestServer server;
    private static HttpProbe http;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Clock.systemUTC(), Map.of());
        http = server.http();
        try (Connection connection = connect(server.jdbcUrl()); Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO job (id, created_on, job, kernel, status)
                    SELECT lpad(to_hex(n), 24, '0'), now(), 'mainline', 'v6.1-' || n, 'PASS'
                    FROM generate_series(1, 40) AS n""");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** The servlet container may drop the space and change the case of the charset. */
    static void assertJson(Reply reply) {
        String type = reply.header("Content-Type");
        assertNotNull(type);
        assertEquals("application/json;charset=utf-8", type.replace(" ", "").toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    @DisplayName("migrations create one table per collection with a typed column per declared field")
    void migrationsMatchTheDeclarations() throws SQLException {
        try (Connection connection = connect(server.jdbcUrl())) {
            for (Collection collection : Collections.ALL) {
                if (collection.isView()) {
                    continue;
                }
                Map<String, String> actual = new LinkedHashMap<>();
                try (var statement = connection.prepareStatement(
                        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position")) {
                    statement.setString(1, collection.table());
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            actual.put(rows.getString(1), rows.getString(2));
                        }
                    }
                }
                Map<String, String> declared = new LinkedHashMap<>();
                for (Field field : collection.storedFields()) {
                    declared.put(field.column(), switch (field.type()) {
                        case OBJECT_ID, ID -> "character";
                        case TEXT -> "text";
                        case INTEGER -> "integer";
                        case NUMBER -> "double precision";
                        case BOOLEAN -> "boolean";
                        case TIMESTAMP -> "timestamp with time zone";
                        case DURATION -> "bigint";
                        case JSON, LIST, OBJECT, EXTRAS -> "jsonb";
                    });
                }
                assertEquals(declared, actual, collection.name());
            }
        }
    }

    @Test
    void versionNamesTheService() {
        Reply reply = http.get("/version");
        assertEquals(200, reply.status());
        assertJson(reply);
        assertEquals("{\"code\":200,\"result\":[{\"name\":\"kci-batch\",\"version\":\"0.1.0\"}]}", reply.body());
    }

    @Test
    void healthSaysTheDatabaseIsUp() {
        Reply reply = http.get("/health");
        assertEquals(200, reply.status());
        assertEquals("{\"code\":200,\"result\":[{\"database\":\"up\"}]}", reply.body());
    }

    @Test
    @DisplayName("§3 unknown route is a 404 with a JSON reason")
    void unknownRoute() {
        for (String path : new String[] {"/nothing-here", "/job/0123456789abcdef01234567/extra", "/count/job/x"}) {
            Reply reply = http.get(path, TOKEN);
            assertEquals(404, reply.status(), path);
            assertJson(reply);
            assertTrue(reply.body().startsWith("{\"code\":404,\"reason\":\""), reply.body());
        }
    }

    @Test
    @DisplayName("§3 wrong method is a 405 with a JSON reason")
    void wrongMethod() {
        Reply reply = http.send("DELETE", "/job", null, TOKEN);
        assertEquals(405, reply.status());
        assertEquals("{\"code\":405,\"reason\":\"Operation not allowed\"}", reply.body());
        assertEquals(405, http.send("POST", "/count", new byte[0], TOKEN).status());
        for (String path : new String[] {"/version", "/health"}) {
            Reply post = http.send("POST", path, new byte[0], TOKEN);
            assertEquals(405, post.status(), path);
            assertEquals("{\"code\":405,\"reason\":\"Operation not allowed\"}", post.body());
        }
    }

    @Test
    @DisplayName("§4 GET, PUT and DELETE on /batch are 501")
    void batchMethodsNotImplemented() {
        for (String method : new String[] {"GET", "PUT", "DELETE"}) {
            Reply reply = http.send(method, "/batch", null);
            assertEquals(501, reply.status(), method);
            assertEquals("{\"code\":501,\"reason\":\"Method not implemented\"}", reply.body());
        }
    }

    @Test
    @DisplayName("§3 gzip when accepted and the body is 5 bytes or more; Vary on every response")
    void gzip() {
        Reply zipped = http.get("/job", "Accept-Encoding", "gzip", TOKEN[0], TOKEN[1]);
        assertEquals(200, zipped.status());
        assertTrue(zipped.gzipped());
        assertEquals("Accept-Encoding", zipped.header("Vary"));
        assertTrue(zipped.body().startsWith("{\"code\":200,\"count\":40,"), zipped.body());

        Reply plain = http.get("/job", TOKEN);
        assertFalse(plain.gzipped());
        assertEquals("Accept-Encoding", plain.header("Vary"));
        assertEquals(zipped.body(), plain.body());

        Reply refused = http.get("/job", "Accept-Encoding", "gzip;q=0, identity", TOKEN[0], TOKEN[1]);
        assertFalse(refused.gzipped());

        // Every body of 5 bytes or more: a short one too (CompressionTest: one of 4 is not).
        Reply small = http.get("/health", "Accept-Encoding", "gzip");
        assertTrue(small.gzipped());
        assertEquals("Accept-Encoding", small.header("Vary"));
        for (String malformed : new String[] {";", "gzip,;", ";q=1", ",,"}) {
            Reply odd = http.get("/version", "Accept-Encoding", malformed);
            assertEquals(200, odd.status(), malformed);
        }
        Reply error = http.get("/nothing-here", "Accept-Encoding", "gzip");
        assertEquals("Accept-Encoding", error.header("Vary"));
    }

    @Test
    @DisplayName("§3 a 500 carries a generic reason and no stack trace")
    void internalErrorHidesDetails() throws SQLException {
        try (TestServer broken = TestServer.start(Clock.systemUTC(), Map.of());
             CapturedLog log = new CapturedLog(org.kernelci.batch.execute.BatchRunner.class);
             CapturedLog mapper = new CapturedLog(ErrorMapper.class)) {
            assertEquals(200, broken.http().get("/job", TOKEN).status());
            try (Connection connection = connect(broken.jdbcUrl()); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE boot");
            }
            Reply reply = broken.http().get("/boot", TOKEN);
            assertEquals(500, reply.status());
            assertTrue(reply.body().matches("\\{\"code\":500,\"reason\":\"Internal error \\(logged as [0-9a-f-]{36}\\)\"}"),
                    reply.body());
            assertNotNull(reply.header("Content-Type"));
            // The details are in the log, under the id the client was given.
            String id = reply.body().replaceAll(".*logged as ([0-9a-f-]{36}).*", "$1");
            // The read failed on its own (issue 14): the runner logs it; the mapper only answers it.
            assertEquals(1, log.events().size(), () -> log.events().toString());
            assertTrue(log.events().get(0).getFormattedMessage().startsWith("Internal error " + id), log.events().toString());
            assertTrue(log.events().get(0).getThrowableProxy().getMessage().contains("relation \"boot\" does not exist"));
            assertEquals(List.of(), mapper.events());
        }
    }
}

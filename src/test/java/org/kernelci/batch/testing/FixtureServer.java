package org.kernelci.batch.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.kernelci.batch.auth.TokenStore;

/**
 * One read-only service over the fixed data set of {@code fixtures/collections.sql}, shared by
 * the HTTP tests of this JVM; "today" is 2014-12-08 (UTC).
 */
public final class FixtureServer {
    public static final Instant NOW = Instant.parse("2014-12-08T12:00:00Z");
    public static final String READER_TOKEN = "test-reader-token";
    private static TestServer server;

    private FixtureServer() {
    }

    public static synchronized TestServer get() {
        if (server == null) {
            server = TestServer.start(Clock.fixed(NOW, ZoneOffset.UTC), Map.of());
            server.http().get("/health");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                 Statement statement = connection.createStatement();
                 InputStream sql = FixtureServer.class.getResourceAsStream("/fixtures/collections.sql")) {
                statement.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
                Jdbi.open(connection).useTransaction(handle -> TokenStore.ensureReader(handle, READER_TOKEN, NOW));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    public static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}

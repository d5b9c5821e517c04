package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonArray;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.ProvokedFaults;
import org.kernelci.batch.testing.TestServer;

/**
 * A read the database cannot run for lack of a resource (SQLSTATE class 53): a sort whose
 * temporary files pass temp_file_limit (53400, a real PostgreSQL error). Plain, a 503 with
 * Retry-After naming the cause; in a batch, that entry's 503, the others answered.
 */
@ExtendWith(ProvokedFaults.class)
class TempFileLimitIT {
    private static final String LIMIT = "The database reached one of its configured limits: retry later";

    private static void sql(String url, String statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(statements);
        }
    }

    @Test
    @DisplayName("a sort past temp_file_limit: 503 + Retry-After naming the limit, alone and as its batch entry")
    void tempFileLimit() throws SQLException {
        String url = TestServer.freshDatabase();
        String name = url.replaceAll(".*/([^/?]+).*", "$1");
        // Set before the service's connections open: they all sort in 64 kB and spill at most 64 kB.
        sql(url, "ALTER DATABASE " + name + " SET work_mem = '64kB'; ALTER DATABASE " + name
                + " SET temp_file_limit = '64kB'");
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of())) {
            sql(url, "SET temp_file_limit = -1; SET work_mem = '64MB'; INSERT INTO job (id, created_on, job, kernel) SELECT lpad(to_hex(i), 24, '0'), now(), 'big',"
                    + " md5(i::text) || repeat('k', 1000) FROM generate_series(1, 3000) i");
            Reply plain = server.http().get("/job/distinct/kernel", "Authorization", TestServer.ADMIN_TOKEN);
            assertEquals(503, plain.status(), plain.body());
            assertEquals("30", plain.header("Retry-After"));
            assertEquals(LIMIT, json(plain.body()).getString("reason"));

            Reply batch = server.http().send("POST", "/batch", """
                    {"batch": [{"method": "GET", "operation_id": "a", "collection": "job", "distinct": "kernel"},
                               {"method": "GET", "operation_id": "b", "collection": "job", "query": "limit=1"}]}"""
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
            JsonArray entries = json(batch.body()).getJsonArray("result");
            assertEquals(503, entries.getJsonObject(0).getInt("code"), batch.body());
            assertEquals(LIMIT, entries.getJsonObject(0).getString("reason"));
            assertEquals(200, entries.getJsonObject(1).getInt("code"), batch.body());
            assertFalse(plain.body().contains("temp_file_limit") || batch.body().contains("temp_file_limit"));
        }
    }
}

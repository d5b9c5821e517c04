package org.kernelci.batch.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.ProvokedFaults;
import org.kernelci.batch.testing.TestServer;

/**
 * A pooled connection to a primary that was demoted (issue 31): the server still answers, but
 * refuses writes (SQLSTATE 25006). PostgreSQL of its own (the whole server is made read-only,
 * which its existing sessions take up at once, as a demoted primary's would), not the shared one.
 */
@ExtendWith(ProvokedFaults.class)
class DemotedPrimaryIT {
    private static EmbeddedPostgres postgres;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        server = TestServer.start(postgres.getJdbcUrl("postgres", "postgres"), Clock.systemUTC(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static Reply postJob(String job) {
        return server.http().post("/job", "{\"job\":\"" + job + "\",\"kernel\":\"v1\"}", "Authorization",
                TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
    }

    private static void readOnly(boolean on) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(on ? "ALTER SYSTEM SET default_transaction_read_only = on"
                    : "ALTER SYSTEM RESET default_transaction_read_only");
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /** The backends of the service's pool: its clients but the probes (named) and this test's. */
    private static Set<Integer> poolBackends() {
        Set<Integer> pids = new HashSet<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'"
                     + " AND datname = 'postgres' AND application_name NOT LIKE 'kci-batch%' AND pid <> pg_backend_pid()")) {
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, what);
            Thread.sleep(100);
        }
    }

    @Test
    @DisplayName("a write refused by a demoted primary (25006) is a 503 with Retry-After, never a 500; the pool's"
            + " connections to it are dropped, and writes succeed again without a restart")
    void demotedPrimary() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, postJob("before-" + i).status());
        }
        Set<Integer> before = poolBackends();
        assertFalse(before.isEmpty());
        readOnly(true);
        try {
            Reply[] refused = new Reply[1];
            await("a write refused", () -> {
                Reply reply = postJob("during");
                assertTrue(reply.status() == 201 || reply.status() == 503, reply.status() + " " + reply.body());
                refused[0] = reply;
                return reply.status() == 503;
            });
            assertNotNull(refused[0].header("Retry-After"), refused[0].body());
            assertTrue(refused[0].body().contains("Database unavailable"), refused[0].body());
            await("the pool's connections of before the refusal closed, " + before, () -> {
                Set<Integer> kept = poolBackends();
                kept.retainAll(before);
                return kept.isEmpty();
            });
        } finally {
            readOnly(false);
        }
        await("a write stored again", () -> {
            int status = postJob("after").status();
            assertTrue(status == 201 || status == 503, Integer.toString(status));
            return status == 201;
        });
    }
}

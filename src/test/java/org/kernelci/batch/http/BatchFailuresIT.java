package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernelci.batch.testing.FixtureServer.json;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import jakarta.json.JsonArray;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.testing.CapturedLog;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** CONTRACT section 4: any database error in one operation fails that entry only (issue 14, item 6). */
class BatchFailuresIT {
    @Test
    @DisplayName("an operation PostgreSQL refuses (no privilege on its table) is a 503 entry naming the table and the grant,"
            + " logged once; the others answer")
    void oneRefusedOperation() throws Exception {
        String url = TestServer.freshDatabase();
        try (TestServer owner = TestServer.start(url, Clock.systemUTC(), Map.of())) {
            assertEquals(200, owner.http().get("/health").status());
        }
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kci_no_boot') THEN "
                    + "CREATE ROLE kci_no_boot LOGIN; END IF; END $$");
            statement.execute("GRANT USAGE ON SCHEMA public TO kci_no_boot");
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO kci_no_boot");
            statement.execute("GRANT INSERT, UPDATE ON token TO kci_no_boot");
            statement.execute("REVOKE SELECT ON boot FROM kci_no_boot");
            // Counts of boots read the per-day rollups (issue 17): refuse those too.
            statement.execute("REVOKE SELECT ON boot_rollup FROM kci_no_boot");
        }
        try (TestServer server = TestServer.start(url, Clock.systemUTC(),
                // The shared PostgreSQL's URLs name their user: replace it.
                Map.of(Setting.DB_URL, url.replace("user=postgres", "user=kci_no_boot"),
                        Setting.DB_USER, "kci_no_boot", Setting.MIGRATE, "false"));
             CapturedLog log = new CapturedLog(Database.class)) {
            for (String boot : new String[] {"\"query\":\"limit=1\"", "\"query\":\"limit=5000\"",
                "\"document_id\":\"boot\""}) {
                String collection = boot.contains("document_id") ? "count" : "boot";
                Reply reply = server.http().post("/batch", "{\"batch\":["
                                + "{\"method\":\"GET\",\"operation_id\":\"jobs\",\"collection\":\"job\",\"query\":\"limit=1\"},"
                                + "{\"method\":\"GET\",\"operation_id\":\"boots\",\"collection\":\"" + collection + "\","
                                + boot + "},"
                                + "{\"method\":\"GET\",\"operation_id\":\"count\",\"collection\":\"count\",\"document_id\":\"job\"}]}",
                        "Authorization", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
                assertEquals(200, reply.status(), reply.body());
                assertEquals("1", reply.header("X-Batch-Errors"), reply.body());
                JsonArray entries = json(reply.body()).getJsonArray("result");
                assertEquals(200, entries.getJsonObject(0).getInt("code"), reply.body());
                assertEquals(503, entries.getJsonObject(1).getInt("code"), reply.body());
                // A listing counts its matches from the rollups first: either refused table is named.
                assertTrue(entries.getJsonObject(1).getString("reason").matches("The service's database role lacks SELECT on table "
                        + "(boot|boot_rollup): an operator must GRANT SELECT ON \\1 to it"), reply.body());
                assertEquals(200, entries.getJsonObject(2).getInt("code"), reply.body());
            }
            // Each missing grant logged once however often it is met (three batches); an operator's fix, not an error.
            List<String> lines = log.at(Level.WARN).stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertFalse(lines.isEmpty());
            assertEquals(lines.size(), Set.copyOf(lines).size(), lines::toString);
            assertEquals(List.of(), log.at(Level.ERROR));
        }
    }
}

package org.kernelci.batch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * CONTRACT.md section 10: two nodes on one database; a token changed through one is refused by the
 * other once {@link TokenStore#CACHE_TIME} has passed, although the other cached it. The wait is
 * the bound itself: a busy machine only makes the second request later, never too early.
 */
class TwoNodesTokenIT {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;

    private static JsonObject make(TestServer server) {
        Reply reply = server.http().post("/token", "{\"email\":\"n@x\",\"get\":true}", "Authorization", ADMIN,
                "Content-Type", "application/json");
        assertEquals(201, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    @Test
    @DisplayName("§10 a token revoked or deleted through node A is refused by node B within the cache time")
    void revocationReachesTheOtherNode() throws Exception {
        String url = TestServer.freshDatabase();
        try (TestServer a = TestServer.start(url, Clock.systemUTC(), Map.of());
             TestServer b = TestServer.start(url, Clock.systemUTC(), Map.of())) {
            JsonObject revoked = make(a);
            JsonObject deleted = make(a);
            for (JsonObject token : new JsonObject[] {revoked, deleted}) {
                // Node B has the token in its cache.
                assertEquals(200, b.http().get("/job?limit=1", "Authorization", token.getString("token")).status());
            }
            Reply revoke = a.http().post("/token/" + revoked.getString("_id"), "{\"expired\":true}", "Authorization",
                    ADMIN, "Content-Type", "application/json");
            assertEquals(200, revoke.status(), revoke.body());
            Reply delete = a.http().send("DELETE", "/token/" + deleted.getString("_id"), null, "Authorization", ADMIN);
            assertEquals(200, delete.status(), delete.body());
            long acknowledged = System.nanoTime();
            // Node A refuses at once: its own change cleared its cache.
            assertEquals(403, a.http().get("/job?limit=1", "Authorization", revoked.getString("token")).status());
            Thread.sleep(Math.max(0, TokenStore.CACHE_TIME.toMillis() - (System.nanoTime() - acknowledged) / 1_000_000));
            for (JsonObject token : new JsonObject[] {revoked, deleted}) {
                assertEquals(403, b.http().get("/job?limit=1", "Authorization", token.getString("token")).status(),
                        "node B, " + TokenStore.CACHE_TIME + " after the change");
            }
        }
    }
}

package org.kernelci.batch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kernelci.batch.testing.FixtureServer.json;

import jakarta.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.CountingDataSource;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** The token cache: bounded, one load per token, no revoked token brought back (issue 14, item 8). */
class TokenCacheIT {
    private static final String LOOKUP = "WHERE token_hash = ?";

    private static JsonObject make(TestServer server, String body) {
        Reply reply = server.http().post("/token", body, "Authorization", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json");
        assertEquals(201, reply.status(), reply.body());
        return json(reply.body()).getJsonArray("result").getJsonObject(0);
    }

    @Test
    @DisplayName("requests arriving together with an unseen token load it once")
    void oneLoadPerToken() throws Exception {
        String url = TestServer.freshDatabase();
        CountingDataSource counting = new CountingDataSource(url);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of(), Optional.of(counting.dataSource()))) {
            String token = make(server, "{\"email\":\"r@x\",\"get\":true}").getString("token");
            // The first load waits until all eight requests have asked for the token.
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            counting.clear();
            counting.pauseNext(LOOKUP, reached, release);
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                statuses.add(clients.submit(() -> {
                    start.await();
                    return server.http().get("/job?limit=1", "Authorization", token).status();
                }));
            }
            reached.await();
            Thread.sleep(300); // lets the other seven reach the cache; passing early only weakens the test
            release.countDown();
            for (Future<Integer> status : statuses) {
                assertEquals(200, status.get());
            }
            assertEquals(1, counting.executions().stream().filter(sql -> sql.contains(LOOKUP)).count());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    @DisplayName("a lookup that read a token before it was revoked does not put it back in the cache")
    void noResurrection() throws Exception {
        String url = TestServer.freshDatabase();
        CountingDataSource counting = new CountingDataSource(url);
        ExecutorService clients = Executors.newSingleThreadExecutor();
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of(), Optional.of(counting.dataSource()))) {
            JsonObject made = make(server, "{\"email\":\"r@x\",\"get\":true}");
            String token = made.getString("token");
            String id = made.getString("_id");
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            counting.pauseNext(LOOKUP, reached, release);
            // This request's lookup has read the token, still valid, and waits.
            Future<Reply> racing = clients.submit(() -> server.http().get("/job?limit=1", "Authorization", token));
            reached.await();
            Reply revoked = server.http().post("/token/" + id, "{\"expired\":true}", "Authorization",
                    TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
            assertEquals(200, revoked.status(), revoked.body());
            release.countDown();
            racing.get();
            assertEquals(403, server.http().get("/job?limit=1", "Authorization", token).status());
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * A token value whose cache key lands in the same bin of a hash table of up to 1,024 bins as
     * {@code value}'s (as ConcurrentHashMap, under Caffeine, spreads hash codes): where a lookup
     * run under the bin's lock would hold it up.
     */
    private static String sameBin(String value) {
        int bin = bin(TokenStore.hash(value));
        for (int i = 0; ; i++) {
            String candidate = "same-bin-" + i;
            if (bin(TokenStore.hash(candidate)) == bin) {
                return candidate;
            }
        }
    }

    private static int bin(byte[] hash) {
        int h = java.util.HexFormat.of().formatHex(hash).hashCode();
        return (h ^ (h >>> 16)) & 1023;
    }

    @Test
    @DisplayName("a slow lookup holds up only the requests for its own token")
    void slowLookupHoldsUpOnlyItsToken() throws Exception {
        String url = TestServer.freshDatabase();
        CountingDataSource counting = new CountingDataSource(url);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer server = TestServer.start(url, Clock.systemUTC(), Map.of(), Optional.of(counting.dataSource()))) {
            String slow = make(server, "{\"email\":\"s@x\",\"get\":true}").getString("token");
            String other = sameBin(slow);
            server.addToken(other, "can_get");
            CountDownLatch reached = new CountDownLatch(1);
            counting.pauseNext(LOOKUP, reached, release);
            Future<Integer> held = clients.submit(() -> server.http().get("/job?limit=1", "Authorization", slow).status());
            reached.await();
            Future<Integer> meanwhile = clients.submit(() -> server.http().get("/job?limit=1", "Authorization", other)
                    .status());
            // Not a measure of speed: without the fix this request waits for the release, which never comes first.
            assertEquals(200, meanwhile.get(60, java.util.concurrent.TimeUnit.SECONDS));
            release.countDown();
            assertEquals(200, held.get());
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    @DisplayName("a new KCI_ADMIN_TOKEN revokes the value it replaces")
    void rotatingTheAdminToken() {
        String url = TestServer.freshDatabase();
        try (TestServer first = TestServer.start(url, Clock.systemUTC(), Map.of(Setting.ADMIN_TOKEN, "admin-one"))) {
            assertEquals(200, first.http().get("/token", "Authorization", "admin-one").status());
        }
        try (TestServer second = TestServer.start(url, Clock.systemUTC(), Map.of(Setting.ADMIN_TOKEN, "admin-two"))) {
            assertEquals(200, second.http().get("/token", "Authorization", "admin-two").status());
            assertEquals(403, second.http().get("/token", "Authorization", "admin-one").status());
        }
        // Back to the first value: it is valid again, the second is not.
        try (TestServer third = TestServer.start(url, Clock.systemUTC(), Map.of(Setting.ADMIN_TOKEN, "admin-one"))) {
            assertEquals(200, third.http().get("/token", "Authorization", "admin-one").status());
            assertEquals(403, third.http().get("/token", "Authorization", "admin-two").status());
        }
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.app.Setting;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/** Per-token rate limits count operations: a batch of N counts N (issue 33). */
class OperationRatesIT {
    private static Reply batch(TestServer server, String token, int operations) {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < operations; i++) {
            body.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"operation_id\":\"c").append(i)
                    .append("\",\"collection\":\"count\",\"document_id\":\"job\"}");
        }
        return server.http().post("/batch", body.append("]}").toString(), "Authorization", token,
                "Content-Type", "application/json");
    }

    @Test
    @DisplayName("a batch of N takes N of the token's operations: past them 429 with Retry-After, other tokens answer, then it recovers")
    void batchesCountTheirOperations() throws Exception {
        try (TestServer server = TestServer.start(Clock.systemUTC(), Map.of(Setting.RATE_OPERATIONS, "5",
                Setting.RATE_BURST, "20", Setting.MAX_OPERATIONS, "20"))) {
            server.addToken("rate-a", "can_get");
            server.addToken("rate-b", "can_get");
            assertEquals(200, batch(server, "rate-a", 15).status());
            for (int i = 0; i < 4; i++) {
                assertEquals(200, server.http().get("/job?limit=1", "Authorization", "rate-a").status());
            }
            // 19 of 20 taken (and about one refilled): a batch of 15 does not pass, though one request.
            Reply limited = batch(server, "rate-a", 15);
            assertEquals(429, limited.status(), limited.body());
            assertEquals("{\"code\":429,\"reason\":\"Too many operations: this token may ask for 5 a second "
                    + "(KCI_RATE_OPERATIONS) and 20 at once (KCI_RATE_BURST), a batch of N counting N: retry later\"}",
                    limited.body());
            int retryAfter = Integer.parseInt(limited.header("Retry-After"));
            assertTrue(retryAfter >= 2 && retryAfter <= 3, "Retry-After " + retryAfter);

            assertEquals(200, batch(server, "rate-b", 15).status(), "another token has its own operations");

            Thread.sleep(retryAfter * 1000L + 300);
            Reply recovered = batch(server, "rate-a", 15);
            assertEquals(200, recovered.status(), recovered.body());
            // A plain request past the rate is refused before it runs, with the same reason.
            Reply plain = server.http().get("/job?limit=1", "Authorization", "rate-a");
            for (int i = 0; i < 10 && plain.status() == 200; i++) {
                plain = server.http().get("/job?limit=1", "Authorization", "rate-a");
            }
            assertEquals(429, plain.status(), plain.body());
            assertTrue(Integer.parseInt(plain.header("Retry-After")) >= 1);
        }
    }
}

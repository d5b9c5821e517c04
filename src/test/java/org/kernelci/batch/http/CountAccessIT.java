package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;

/** §5 before §3: {@code /count} checks the token before it reads the query. */
class CountAccessIT {
    private static final String FORBIDDEN = "{\"code\":403,\"reason\":\"Operation not permitted: provided token is not authorized\"}";

    @Test
    @DisplayName("a malformed query without a valid token is a 403, not a 400 naming fields")
    void tokenBeforeQuery() {
        HttpProbe http = FixtureServer.get().http();
        for (String path : new String[] {"/count?limit=abc", "/count/boot?limit=abc", "/count/boot?skip=-1"}) {
            Reply anonymous = http.get(path);
            assertEquals(403, anonymous.status(), path + " " + anonymous.body());
            assertEquals(FORBIDDEN, anonymous.body());
            assertEquals(FORBIDDEN, http.get(path, "Authorization", "not-a-token").body());
            assertEquals(400, http.get(path, "Authorization", FixtureServer.READER_TOKEN).status(), path);
        }
        // A reader may not count labs whatever the query says.
        assertEquals(FORBIDDEN, http.get("/count/lab?limit=abc", "Authorization", FixtureServer.READER_TOKEN).body());
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe;
import org.kernelci.batch.testing.HttpProbe.Reply;

/** Request bodies sent with {@code Content-Encoding: gzip} (issue 14, item 11). */
class GzipRequestsIT {
    private static final String BATCH = "{\"batch\":[{\"method\":\"GET\",\"collection\":\"count\",\"document_id\":\"job\"}]}";

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static Reply post(byte[] body, String encoding) {
        HttpProbe http = FixtureServer.get().http();
        return http.send("POST", "/batch", body, "Authorization", FixtureServer.READER_TOKEN,
                "Content-Type", "application/json", "Content-Encoding", encoding);
    }

    @Test
    @DisplayName("a gzipped batch is read as the plain one")
    void gzippedBatch() throws IOException {
        HttpProbe http = FixtureServer.get().http();
        Reply plain = http.post("/batch", BATCH, "Authorization", FixtureServer.READER_TOKEN, "Content-Type", "application/json");
        Reply gzipped = post(gzip(BATCH.getBytes(StandardCharsets.UTF_8)), "gzip");
        assertEquals(200, gzipped.status(), gzipped.body());
        assertEquals(plain.body(), gzipped.body());
        assertEquals(plain.body(), post(gzip(BATCH.getBytes(StandardCharsets.UTF_8)), "x-gzip").body());
    }

    @Test
    @DisplayName("a body that is not gzip is a 400; a coding the service lacks a 415")
    void badGzip() throws IOException {
        Reply notGzip = post(BATCH.getBytes(StandardCharsets.UTF_8), "gzip");
        assertEquals(400, notGzip.status(), notGzip.body());
        assertEquals("{\"code\":400,\"reason\":\"Request body is not valid gzip (Content-Encoding: gzip)\"}", notGzip.body());
        byte[] whole = gzip(BATCH.getBytes(StandardCharsets.UTF_8));
        Reply truncated = post(Arrays.copyOf(whole, whole.length - 6), "gzip");
        assertEquals(400, truncated.status(), truncated.body());
        Reply brotli = post(BATCH.getBytes(StandardCharsets.UTF_8), "br");
        assertEquals(415, brotli.status(), brotli.body());
        assertEquals("{\"code\":415,\"reason\":\"Unsupported Content-Encoding 'br': use gzip or none\"}", brotli.body());
        // The token is checked first.
        Reply anonymous = FixtureServer.get().http().send("POST", "/batch", BATCH.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Content-Encoding", "br");
        assertEquals(403, anonymous.status(), anonymous.body());
    }

    @Test
    @DisplayName("the decompressed size obeys the body limit: a zip bomb is a 413")
    void zipBomb() throws IOException {
        byte[] spaces = new byte[64 * 1024 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        byte[] bomb = gzip(spaces);
        Reply reply = post(bomb, "gzip");
        assertEquals(413, reply.status(), reply.body());
        assertEquals("{\"code\":413,\"reason\":\"Request body larger than 1048576 bytes\"}", reply.body());
    }
}

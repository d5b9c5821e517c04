package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CompressionTest {
    @Test
    @DisplayName("a q-value that is not a number from 0 to 1 does not accept gzip")
    void qualityMustBeANumber() {
        assertTrue(Compression.acceptsGzip("gzip"));
        assertTrue(Compression.acceptsGzip("gzip;q=0.5"));
        assertFalse(Compression.acceptsGzip("gzip;q=0"));
        assertFalse(Compression.acceptsGzip("gzip;q=NaN"));
        assertFalse(Compression.acceptsGzip("*;q=nan"));
        assertFalse(Compression.acceptsGzip("gzip;q=Infinity"));
        assertFalse(Compression.acceptsGzip("gzip;q=1e3"));
        assertFalse(Compression.acceptsGzip("gzip;q=0x1p0"));
    }

    @Test
    @DisplayName("§3 a body of 5 bytes or more is gzipped, one of 4 goes out as it is")
    void fiveBytesOrMore() throws IOException {
        for (String body : new String[] {"", "{}", "1234"}) {
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
            try (Compression.DeferredGzip gzip = new Compression.DeferredGzip(sent, headers)) {
                gzip.write(body.getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(body, sent.toString(StandardCharsets.UTF_8));
            assertNull(headers.getFirst("Content-Encoding"));
        }
        for (String body : new String[] {"12345", "{\"code\":200,\"result\":[]}"}) {
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
            try (Compression.DeferredGzip gzip = new Compression.DeferredGzip(sent, headers)) {
                // Byte by byte: the switch happens mid-body.
                for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
                    gzip.write(b);
                }
            }
            assertEquals("gzip", headers.getFirst("Content-Encoding"));
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(sent.toByteArray()))) {
                assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), in.readAllBytes());
            }
        }
    }
}

package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

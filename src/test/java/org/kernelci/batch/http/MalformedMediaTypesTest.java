package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MalformedMediaTypesTest {
    @Test
    @DisplayName("the values let through unparsed do parse, as a content type and as an Accept")
    void commonValuesParse() {
        for (String value : MalformedMediaTypes.COMMON) {
            MediaType.valueOf(value.split(",")[0].strip());
            assertTrue(MalformedMediaTypes.parsesAsAccept(value), value);
        }
    }

    @Test
    @DisplayName("a value that does not parse is malformed, as a content type and as an Accept")
    void malformed() {
        assertFalse(MalformedMediaTypes.isMediaType("json"));
        assertFalse(MalformedMediaTypes.isAccept("*/*;q=abc"));
        assertFalse(MalformedMediaTypes.isAccept("application/json, text"));
        assertTrue(MalformedMediaTypes.isMediaType(null));
    }
}

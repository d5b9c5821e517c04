package org.kernelci.batch.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonOutputTest {
    @Test
    @DisplayName("numbers JSON cannot write (NaN, infinities) are written as null")
    void nonFiniteNumbersAreNull() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonOutput json = new JsonOutput(bytes);
        json.beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY).value(Double.NEGATIVE_INFINITY)
                .value(1.5).endArray();
        json.flush();
        assertEquals("[null,null,null,1.5]", bytes.toString(StandardCharsets.UTF_8));
    }
}

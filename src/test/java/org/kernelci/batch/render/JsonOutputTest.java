package org.kernelci.batch.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    @DisplayName("text is written as UTF-8, pairs as one code point, across the buffer's edges; a lone half of a pair escaped")
    void utf8() {
        String text = "caf\u00e9 \u20ac \ud83d\ude00 \"q\" \\ \n";
        StringBuilder repeated = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            repeated.append(text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonOutput json = new JsonOutput(bytes);
        json.beginObject().name("k\u00e9").value(repeated.toString()).name("lone").value("a\ud83db").endObject();
        json.flush();
        String escaped = repeated.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        String expected = "{\"k\u00e9\":\"" + escaped + "\",\"lone\":\"a\\ud83db\"}";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
    }
}

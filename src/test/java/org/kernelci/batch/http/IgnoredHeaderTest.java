package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IgnoredHeaderTest {
    @Test
    @DisplayName("printable ASCII names as they are, comma-separated")
    void plain() {
        assertEquals("fields,sort=nope,sort_on", IgnoredHeader.value(List.of("fields", "sort=nope", "sort_on")));
    }

    @Test
    @DisplayName("non-ASCII, control characters, space, % and , percent-encoded as UTF-8")
    void encoded() {
        assertEquals("%D0%BA%D0%BB%D1%8E%D1%87,x%0D%0Ay,a%20b,100%25,a%2Cb,%C3%A9",
                IgnoredHeader.value(List.of("ключ", "x\r\ny", "a b", "100%", "a,b", "é")));
    }

    @Test
    @DisplayName("a long name cut at 64 characters, never inside a %XX, and marked")
    void cut() {
        assertEquals("k".repeat(64) + IgnoredHeader.CUT, IgnoredHeader.value(List.of("k".repeat(8000))));
        assertEquals("k".repeat(63) + IgnoredHeader.CUT, IgnoredHeader.value(List.of("k".repeat(63) + "é")));
        assertEquals("k".repeat(64), IgnoredHeader.value(List.of("k".repeat(64))));
    }

    @Test
    @DisplayName("at most 20 names, then how many more")
    void bounded() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            names.add("ключ".repeat(50) + i);
        }
        String value = IgnoredHeader.value(names);
        assertTrue(value.endsWith(",(980 more)"), value);
        assertEquals(21, value.split(",").length);
        assertTrue(value.length() <= 21 * (IgnoredHeader.MAX_NAME_CHARS + IgnoredHeader.CUT.length() + 1), value);
        assertTrue(value.chars().allMatch(c -> c >= 0x20 && c < 0x7f), value);
    }
}

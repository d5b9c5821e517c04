package org.kernelci.batch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {
    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @DisplayName("§5 addresses and CIDR ranges match properly, IPv4 and IPv6")
    @CsvSource({
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.1, 127.0.0.2, false",
        "10.0.0.0/8, 10.1.2.3, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.0/31, 192.168.1.1, true",
        "192.168.1.0/31, 192.168.1.2, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "::1, ::1, true",
        "2001:db8::/32, 2001:db8:1::5, true",
        "2001:db8::/32, 2001:db9::5, false",
        "10.0.0.0/8, ::1, false",
        "10.0.0.0/8, not-an-address, false",
    })
    void contains(String range, String address, boolean expected) {
        assertEquals(expected, AddressRange.parse(range).contains(address));
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("legacy shorthands, host names and odd prefixes are no ranges")
    @ValueSource(strings = {"127.1", "2130706433", "1", "10.0.0.1/08", "10.0.0.0/33", "face.de", "localhost",
        "256.1.1.1", "10.0.0.0/", "::1/129"})
    void rejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("a host name from a header is never looked up: it matches nothing")
    @ValueSource(strings = {"face.de", "127.1", "localhost"})
    void namesMatchNothing(String address) {
        assertEquals(false, AddressRange.anyContains(List.of("0.0.0.0/0", "::/0"), address));
    }
}

package org.kernelci.batch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.batch.ApiException;

/** CONTRACT.md §2: the query string is application/x-www-form-urlencoded, order and repeats kept. */
class QueryStringParserTest {

    private static QueryParams.Pair pair(String key, String value) {
        return new QueryParams.Pair(key, value);
    }

    /** "k1=v1¦k2=v2" as a list of pairs: '¦' separates pairs, '␠' stands for a space. */
    private static List<QueryParams.Pair> pairs(String expected) {
        List<QueryParams.Pair> pairs = new ArrayList<>();
        if (expected.isEmpty()) {
            return pairs;
        }
        for (String piece : expected.replace('␠', ' ').split("¦", -1)) {
            int equals = piece.indexOf('=');
            pairs.add(pair(piece.substring(0, equals), piece.substring(equals + 1)));
        }
        return pairs;
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @DisplayName("§2 decoding: %XX, '+', leading '?', order, repeats, empty pieces, keys without '='")
    @CsvSource(delimiter = '→', quoteCharacter = '`', textBlock = """
            # raw                                      → expected pairs, '¦' between pairs
            a=1                                        → a=1
            ?a=1                                       → a=1
            ??a=1                                      → ?a=1
            ?                                          → ``
            &                                          → ``
            &&&                                        → ``
            ?&a=1&                                     → a=1
            a=1&&b=2                                   → a=1¦b=2
            a=1&b=2&c=3                                → a=1¦b=2¦c=3
            c=3&b=2&a=1                                → c=3¦b=2¦a=1
            job=next&job=mainline&job=next             → job=next¦job=mainline¦job=next
            status=PASS&job=next&status=FAIL           → status=PASS¦job=next¦status=FAIL
            a                                          → a=
            a&b=2                                      → a=¦b=2
            a=                                         → a=
            =                                          → =
            =1                                         → =1
            a==1                                       → a==1
            a=1=2                                      → a=1=2
            a=%3D                                      → a==
            %61=%62                                    → a=b
            a=%41%42%43                                → a=ABC
            a=%4a%4B                                   → a=JK
            a=%2B                                      → a=+
            a=+                                        → a=␠
            a=1+2                                      → a=1␠2
            a+b=c+d                                    → a␠b=c␠d
            a=%20                                      → a=␠
            a=%26                                      → a=&
            a=%26b%3Dc                                 → a=&b=c
            a%26b=c                                    → a&b=c
            a=%25                                      → a=%
            a=%2525                                    → a=%25
            a=%7C                                      → a=|
            a=%C3%A9                                   → a=é
            a=%E2%82%AC                                → a=€
            a=%F0%9F%90%A7                             → a=🐧
            a=é                                        → a=é
            a=🐧+%F0%9F%90%A7                          → a=🐧␠🐧
            a=%27%3B%20drop%20table%20boot%3B--        → a=';␠drop␠table␠boot;--
            a=x';drop                                  → a=x';drop
            ?a=1&?b=2                                  → a=1¦?b=2
            """)
    void decodes(String raw, String expected) {
        assertEquals(pairs(expected), QueryStringParser.parse(raw).pairs());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @DisplayName("§2 no query string at all: no pairs")
    void emptyInput(String raw) {
        assertSame(QueryParams.EMPTY, QueryStringParser.parse(raw));
    }

    @Test
    @DisplayName("§2 repeated keys kept in request order, none merged")
    void repeatedKeysInOrder() {
        assertEquals(
                List.of(pair("sort", "b"), pair("limit", "5"), pair("sort", "a"), pair("sort", "b")),
                QueryStringParser.parse("sort=b&limit=5&sort=a&sort=b").pairs());
    }

    @Test
    @DisplayName("§2 thousands of pairs, order preserved")
    void manyPairs() {
        StringBuilder raw = new StringBuilder();
        List<QueryParams.Pair> expected = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            raw.append(i == 0 ? "" : "&").append("k").append(i % 7).append('=').append(i);
            expected.add(pair("k" + (i % 7), Integer.toString(i)));
        }
        assertEquals(expected, QueryStringParser.parse(raw.toString()).pairs());
    }

    @Test
    @DisplayName("§2 decoded '%26' and '%3D' are data, not separators")
    void escapedSeparatorsAreData() {
        assertEquals(List.of(pair("a&b", "c=d&e")), QueryStringParser.parse("a%26b=c%3Dd%26e").pairs());
    }

    static Stream<Arguments> malformed() {
        String hex = "a '%' not followed by two hexadecimal digits";
        String utf8 = "escapes that are not UTF-8";
        return Stream.of(
                // raw, expected reason
                Arguments.of("a=%", "Malformed query string at 'a=%': " + hex),
                Arguments.of("a=%4", "Malformed query string at 'a=%4': " + hex),
                Arguments.of("a=%G1", "Malformed query string at 'a=%G1': " + hex),
                Arguments.of("a=%1G", "Malformed query string at 'a=%1G': " + hex),
                Arguments.of("a=%%41", "Malformed query string at 'a=%%41': " + hex),
                Arguments.of("a=% 1", "Malformed query string at 'a=% 1': " + hex),
                Arguments.of("a=%-1", "Malformed query string at 'a=%-1': " + hex),
                Arguments.of("a=%+1", "Malformed query string at 'a=%+1': " + hex),
                Arguments.of("a=%٤١", "Malformed query string at 'a=%٤١': " + hex),
                Arguments.of("a=%ＡＢ", "Malformed query string at 'a=%ＡＢ': " + hex),
                Arguments.of("a=%4１", "Malformed query string at 'a=%4１': " + hex),
                Arguments.of("%=1", "Malformed query string at '%=1': " + hex),
                Arguments.of("%zz", "Malformed query string at '%zz': " + hex),
                Arguments.of("ok=1&b=x%", "Malformed query string at 'b=x%': " + hex),
                Arguments.of("?limit=10%", "Malformed query string at 'limit=10%': " + hex),
                Arguments.of("a=%C3", "Malformed query string at 'a=%C3': " + utf8),
                Arguments.of("a=%FF", "Malformed query string at 'a=%FF': " + utf8),
                Arguments.of("a=%C0%AF", "Malformed query string at 'a=%C0%AF': " + utf8),
                Arguments.of("a=%80", "Malformed query string at 'a=%80': " + utf8),
                Arguments.of("a=%E2%82", "Malformed query string at 'a=%E2%82': " + utf8),
                Arguments.of("a=%ED%A0%80", "Malformed query string at 'a=%ED%A0%80': " + utf8),
                Arguments.of("a=%F4%90%80%80", "Malformed query string at 'a=%F4%90%80%80': " + utf8),
                Arguments.of("%FE=1", "Malformed query string at '%FE=1': " + utf8),
                Arguments.of("x=1&a=%C3%28&y=2", "Malformed query string at 'a=%C3%28': " + utf8));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    @DisplayName("§2 a malformed escape or invalid UTF-8 is a 400 naming the pair")
    void rejectsMalformed(String raw, String reason) {
        ApiException e = assertThrows(ApiException.class, () -> QueryStringParser.parse(raw));
        assertEquals(400, e.status());
        assertEquals(reason, e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=100%25", "a=%00", "a=%7F", "a=%EF%BF%BF", "a=%F4%8F%BF%BF"})
    @DisplayName("§2 well-formed escapes at the edges of ASCII and Unicode decode")
    void edgeEscapesDecode(String raw) {
        assertEquals(1, QueryStringParser.parse(raw).pairs().size());
    }
}

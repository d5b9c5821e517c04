package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MalformedMediaTypesTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @DisplayName("a header value parses or not, as a Content-Type and as an Accept, the same each time it is asked")
    @CsvSource(delimiter = '|', value = {
        "application/json | true | true",
        "application/json; charset=UTF-8 | true | true",
        "application/json, text/javascript, */*; q=0.01 | false | true",
        "json | false | false",
        "*/*;q=abc | true | false",
        "application/json, text | false | false",
    })
    void verdicts(String value, boolean mediaType, boolean accept) {
        // Asked twice: the second verdict is the kept one, and must be the same.
        for (int i = 0; i < 2; i++) {
            assertEquals(mediaType, MalformedMediaTypes.isMediaType(value), "as a Content-Type: " + value);
            assertEquals(accept, MalformedMediaTypes.isAccept(value), "as an Accept: " + value);
        }
    }
}

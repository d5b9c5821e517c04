package org.kernelci.batch.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.ApiException;

/** CONTRACT.md section 8: the envelope of ArangoDB's batch, read without a server. */
class ArangoEnvelopeTest {
    private static final String PART = "Content-Type: application/x-arango-batchpart\r\n";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The seed's way of building a body: parts joined by CRLF + delimiter, the closing one right after the last. */
    private static String seedBody(String boundary, String... parts) {
        return "--" + boundary + "\r\n" + String.join("\r\n--" + boundary + "\r\n", parts) + "--" + boundary + "--\r\n";
    }

    private static String reason(String body, String boundary) {
        ApiException e = assertThrows(ApiException.class, () -> ArangoEnvelope.parse(bytes(body), boundary));
        assertEquals(400, e.status());
        return e.reason();
    }

    @Test
    @DisplayName("§8 seed: five parts with Content-Id, the boundary declared; a body read to the end of its part")
    void seedFiveParts() {
        String body = seedBody("SomeBoundaryValue",
                PART + "Content-Id: myId1\r\n\r\nGET /_api/version HTTP/1.1\r\n",
                PART + "Content-Id: myId2\r\n\r\nDELETE /_api/collection/products HTTP/1.1\r\n",
                PART + "Content-Id: someId\r\n\r\nPOST /_api/collection/products HTTP/1.1\r\n\r\n{\"name\": \"products\" }\r\n",
                PART + "Content-Id: nextId\r\n\r\nGET /_api/collection/products/figures HTTP/1.1\r\n",
                PART + "Content-Id: otherId\r\n\r\nDELETE /_api/collection/products HTTP/1.1\r\n");
        ArangoEnvelope.Envelope envelope = ArangoEnvelope.parse(bytes(body), "SomeBoundaryValue");
        List<ArangoEnvelope.Part> parts = envelope.parts();
        assertEquals("SomeBoundaryValue", envelope.boundary());
        assertEquals(5, parts.size());
        assertEquals(List.of("myId1", "myId2", "someId", "nextId", "otherId"),
                parts.stream().map(ArangoEnvelope.Part::contentId).toList());
        assertEquals("GET", parts.get(0).method());
        assertEquals("/_api/version", parts.get(0).target());
        assertEquals(0, parts.get(0).body().length);
        assertEquals("POST", parts.get(2).method());
        // The CRLF before the next delimiter belongs to the delimiter: the body keeps its own CRLF.
        assertEquals("{\"name\": \"products\" }\r\n", new String(parts.get(2).body(), StandardCharsets.UTF_8));
        assertEquals("DELETE", parts.get(4).method());
        assertEquals("/_api/collection/products", parts.get(4).target());
        assertEquals(4, parts.get(4).index());
    }

    @Test
    @DisplayName("§8 seed: the implicit boundary from the first line, targets without a leading '/'")
    void seedImplicitBoundary() {
        String body = seedBody("SomeBoundaryValue",
                PART + "\r\nDELETE /_api/collection/notexisting1 HTTP/1.1\r\n",
                PART + "\r\nDELETE _api/collection/notexisting2 HTTP/1.1\r\n");
        ArangoEnvelope.Envelope envelope = ArangoEnvelope.parse(bytes(body), null);
        assertEquals("SomeBoundaryValue", envelope.boundary());
        assertEquals(List.of("/_api/collection/notexisting1", "_api/collection/notexisting2"),
                envelope.parts().stream().map(ArangoEnvelope.Part::target).toList());
        assertNull(envelope.parts().get(0).contentId());
    }

    @Test
    @DisplayName("§8 bare LF line ends, headers, a Content-Length shorter than the part, binary bytes in the body")
    void bareLinefeedsAndLength() {
        String body = "--b\n" + "content-type: Application/X-Arango-Batchpart; charset=x\ncontent-id:  7 \n\n"
                + "PUT /boot/x?y=1 HTTP/1.1\nContent-Type: application/json\nContent-Length: 5\nX-Empty:\n\n"
                + "{\"a\"}and more\n--b--";
        ArangoEnvelope.Part part = ArangoEnvelope.parse(bytes(body), "b").parts().get(0);
        assertEquals("7", part.contentId());
        assertEquals("/boot/x?y=1", part.target());
        assertEquals("application/json", part.header("content-type"));
        assertEquals("", part.header("X-Empty"));
        assertEquals("{\"a\"}", new String(part.body(), StandardCharsets.UTF_8));

        byte[] binary = {0, (byte) 0xff, '\r', '\n', '-', '-', 'x'};
        byte[] head = bytes("--b\r\n" + PART + "\r\nPOST /job HTTP/1.1\r\n\r\n");
        byte[] tail = bytes("\r\n--b--\r\n");
        byte[] whole = new byte[head.length + binary.length + tail.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(binary, 0, whole, head.length, binary.length);
        System.arraycopy(tail, 0, whole, head.length + binary.length, tail.length);
        assertArrayEquals(binary, ArangoEnvelope.parse(whole, "b").parts().get(0).body());
    }

    @Test
    @DisplayName("§8 transport padding after a delimiter; the preamble is not accepted, the epilogue is ignored")
    void paddingAndEpilogue() {
        String body = "--b  \t\r\n" + PART + "\r\nGET /version HTTP/1.1\r\n--b-- anything after\r\ngarbage";
        assertEquals(1, ArangoEnvelope.parse(bytes(body), "b").parts().size());
        assertEquals("The body does not begin with the boundary line '--b'", reason("preamble\r\n" + body, "b"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no boundary at all|{\"batch\":[]}|No multipart boundary: the Content-Type has no 'boundary' parameter and the body does not begin with '--<boundary>'",
        "empty body|<empty>|No multipart boundary: the Content-Type has no 'boundary' parameter and the body does not begin with '--<boundary>'",
        "no parts|--b--|The batch has no parts",
        "never closed|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nGET /version HTTP/1.1\\r\\n|part[0]: the closing boundary '--b--' is missing",
        "wrong part type|--b\\r\\nContent-Type: text/plain\\r\\n\\r\\nGET /version HTTP/1.1\\r\\n--b--|part[0]: the part's Content-Type must be application/x-arango-batchpart, not 'text/plain'",
        "no part type|--b\\r\\nContent-Id: 1\\r\\n\\r\\nGET /version HTTP/1.1\\r\\n--b--|part[0]: the part's Content-Type must be application/x-arango-batchpart, not absent",
        "headers only|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n--b--|part[0]: the part holds no request line",
        "no request line|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\n--b--|part[0]: the part holds no request line",
        "two words|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nGET /version\\r\\n--b--|part[0]: the request line 'GET /version' cannot be read: expected '<METHOD> <target> HTTP/1.1'",
        "HTTP/2|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nGET / HTTP/2\\r\\n--b--|part[0]: the request line 'GET / HTTP/2' cannot be read: expected '<METHOD> <target> HTTP/1.1'",
        "a header without colon|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nGET / HTTP/1.1\\r\\nnocolon\\r\\n--b--|part[0]: the header line 'nocolon' cannot be read",
        "a folded header|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nGET / HTTP/1.1\\r\\nA: b\\r\\n c\\r\\n--b--|part[0]: the header line ' c' cannot be read",
        "a long Content-Length|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nPUT /boot/1 HTTP/1.1\\r\\nContent-Length: 100\\r\\n\\r\\n{}\\r\\n--b--|part[0]: Content-Length 100 is larger than the 2 bytes that follow",
        "a bad Content-Length|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nPUT /boot/1 HTTP/1.1\\r\\nContent-Length: -1\\r\\n\\r\\n{}\\r\\n--b--|part[0]: Content-Length '-1' is not a number",
        "chunked|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nPUT /boot/1 HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n{}\\r\\n--b--|part[0]: Transfer-Encoding is not accepted in a part: send the body as it is, with or without Content-Length",
        "the second part wrong|--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\nGET / HTTP/1.1\\r\\n--b\\r\\nContent-Type: application/x-arango-batchpart\\r\\n\\r\\n\\u0000\\r\\n--b--|part[1]: a header line holds a bare CR or a NUL byte",
        "a boundary line that goes on|--bb\\r\\n--b--|part[0]: the boundary line goes on with 'b'",
    })
    void malformed(String what, String body, String expected) {
        String text = body.equals("<empty>") ? "" : body.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000");
        assertEquals(expected, reason(text, text.startsWith("--b") ? "b" : null), what);
    }

    @Test
    @DisplayName("§8 a declared boundary of 71 characters is refused; a quoted-looking boundary is taken as given")
    void boundaryLength() {
        assertEquals("The multipart boundary must have 1 to 70 characters", reason("--x", "x".repeat(71)));
        assertEquals("The multipart boundary must have 1 to 70 characters", reason("--x", ""));
        String body = "--a b:c\r\n" + PART + "\r\nGET / HTTP/1.1\r\n--a b:c--";
        assertEquals(1, ArangoEnvelope.parse(bytes(body), "a b:c").parts().size());
    }

    @Test
    @DisplayName("§8 generated garbage: every input is parts or a 400, never another exception")
    void garbage() {
        Random random = new Random(20261202);
        String[] pieces = {"--b", "\r\n", "\n", "\r", PART, "Content-Id: x\r\n", "GET / HTTP/1.1", "PUT /boot/1 HTTP/1.0",
            "Content-Length: 3", "Content-Length: 99999999999", ":", " ", "--b--", "\u0000", "\u00ff", "{}", "--"};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder body = new StringBuilder(round % 2 == 0 ? "--b\r\n" : "");
            for (int i = random.nextInt(14); i > 0; i--) {
                body.append(pieces[random.nextInt(pieces.length)]);
            }
            try {
                ArangoEnvelope.parse(bytes(body.toString()), random.nextBoolean() ? "b" : null);
            } catch (ApiException e) {
                assertEquals(400, e.status(), body.toString());
            }
        }
    }
}

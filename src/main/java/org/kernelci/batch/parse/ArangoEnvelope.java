package org.kernelci.batch.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.kernelci.batch.ApiException;

/**
 * Reads ArangoDB's batch envelope (CONTRACT.md section 8): a {@code multipart/form-data} body
 * whose parts each hold one raw HTTP/1.1 request. Strict and bounded: it works on the bytes
 * already read (the body limit applies before), never waits for more, and answers anything
 * malformed with a 400 naming the part ({@code part[3]: ...}, counted from 0).
 *
 * <p>Framing (RFC 2046 section 5.1.1): a delimiter is {@code --<boundary>} at the start of the
 * body or of a line, the line end before it belonging to it; CRLF or a bare LF end lines. A
 * line that starts with the delimiter but goes on with anything but the closing {@code --} or
 * white space is a mistake, not content: a part cannot contain its boundary.
 */
public final class ArangoEnvelope {
    /** The MIME type every part must declare. */
    public static final String PART_TYPE = "application/x-arango-batchpart";
    /** RFC 2046: 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    private ArangoEnvelope() {
    }

    /** A header of a part's request, as sent (the value without surrounding white space). */
    public record Header(String name, String value) {
    }

    /**
     * One part: its {@code Content-Id} (null when absent) and the request it holds.
     *
     * @param target the request target as sent: a path with an optional query
     * @param body   the body: {@code Content-Length} bytes, or the rest of the part
     */
    public record Part(int index, String contentId, String method, String target, List<Header> headers, byte[] body) {
        public Part {
            headers = List.copyOf(headers);
        }

        /** The first value of the request header, compared case-insensitively; null when absent. */
        public String header(String name) {
            for (Header header : headers) {
                if (header.name().equalsIgnoreCase(name)) {
                    return header.value();
                }
            }
            return null;
        }
    }

    /** A body's boundary (declared or read from its first line) and its parts, in order. */
    public record Envelope(String boundary, List<Part> parts) {
        public Envelope {
            parts = List.copyOf(parts);
        }
    }

    /**
     * The parts of a body, in order.
     *
     * @param declaredBoundary the {@code boundary} parameter of the Content-Type, or null: then
     *                         the first line of the body gives it
     */
    public static Envelope parse(byte[] body, String declaredBoundary) {
        String boundary = declaredBoundary != null ? declaredBoundary : implicitBoundary(body);
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw ApiException.badRequest("The multipart boundary must have 1 to " + MAX_BOUNDARY + " characters");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        if (!startsWith(body, 0, delimiter)) {
            throw ApiException.badRequest("The body does not begin with the boundary line '--" + boundary + "'");
        }
        List<Part> parts = new ArrayList<>();
        int position = 0; // at a delimiter
        while (true) {
            int index = parts.size();
            int after = position + delimiter.length;
            if (startsWith(body, after, new byte[] {'-', '-'})) {
                if (index == 0) {
                    throw ApiException.badRequest("The batch has no parts");
                }
                return new Envelope(boundary, parts); // what follows the closing delimiter is the epilogue, ignored
            }
            int start = lineEnd(body, after, index);
            int next = nextDelimiter(body, start, delimiter);
            if (next < 0) {
                throw ApiException.badRequest(where(index) + "the closing boundary '--" + boundary + "--' is missing");
            }
            int end = next == start ? start : next - (next >= 2 && body[next - 2] == '\r' ? 2 : 1);
            parts.add(part(index, body, start, Math.max(start, end)));
            position = next;
        }
    }

    /** The boundary of the first line, {@code --<boundary>}. */
    private static String implicitBoundary(byte[] body) {
        if (!startsWith(body, 0, new byte[] {'-', '-'})) {
            throw ApiException.badRequest("No multipart boundary: the Content-Type has no 'boundary' parameter and the body"
                    + " does not begin with '--<boundary>'");
        }
        int end = 2;
        while (end < body.length && body[end] != '\r' && body[end] != '\n' && end - 2 <= MAX_BOUNDARY) {
            end++;
        }
        return new String(body, 2, end - 2, StandardCharsets.ISO_8859_1).strip();
    }

    /**
     * Past the rest of a delimiter line: optional transport padding (spaces, tabs), then CRLF or
     * LF. Returns where the part begins.
     */
    private static int lineEnd(byte[] body, int from, int index) {
        int i = from;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
            i++;
        }
        if (i < body.length && body[i] == '\n') {
            return i + 1;
        }
        if (i + 1 < body.length && body[i] == '\r' && body[i + 1] == '\n') {
            return i + 2;
        }
        if (i >= body.length) {
            throw ApiException.badRequest(where(index) + "the body ends after the boundary line");
        }
        int stop = from;
        while (stop < body.length && stop - from < 40 && body[stop] != '\r' && body[stop] != '\n') {
            stop++;
        }
        throw ApiException.badRequest(where(index) + "the boundary line goes on with '"
                + printable(new String(body, from, stop - from, StandardCharsets.ISO_8859_1), 20) + "'");
    }

    /** The next delimiter at the start of a line from {@code from} on, or -1. */
    private static int nextDelimiter(byte[] body, int from, byte[] delimiter) {
        if (startsWith(body, from, delimiter)) {
            return from;
        }
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n' && startsWith(body, i + 1, delimiter)) {
                return i + 1;
            }
        }
        return -1;
    }

    /** A part's MIME headers, then the raw request it holds: {@code body[from, to)}, read in place. */
    private static Part part(int index, byte[] body, int from, int to) {
        Lines lines = new Lines(body, from, to, index);
        String contentType = null;
        String contentId = null;
        for (String line = lines.next(); ; line = lines.next()) {
            if (line == null || line.isEmpty()) {
                // RFC 2046: a part without a body may end right after its headers.
                break;
            }
            Header header = header(line, index);
            switch (header.name().toLowerCase(Locale.ROOT)) {
                case "content-type" -> contentType = header.value();
                case "content-id" -> contentId = header.value();
                default -> { } // other MIME headers (Content-Transfer-Encoding...) do not change the request
            }
        }
        if (contentType == null || !isPartType(contentType)) {
            throw ApiException.badRequest(where(index) + "the part's Content-Type must be " + PART_TYPE + ", not "
                    + (contentType == null ? "absent" : "'" + contentType + "'"));
        }
        String requestLine = lines.next();
        if (requestLine == null || requestLine.isEmpty()) {
            throw ApiException.badRequest(where(index) + "the part holds no request line");
        }
        String[] words = requestLine.split(" ", -1);
        if (words.length != 3 || !isToken(words[0]) || !isTarget(words[1])
                || !(words[2].equals("HTTP/1.1") || words[2].equals("HTTP/1.0"))) {
            throw ApiException.badRequest(where(index) + "the request line '" + printable(requestLine, 80)
                    + "' cannot be read: expected '<METHOD> <target> HTTP/1.1'");
        }
        List<Header> headers = new ArrayList<>();
        for (String line = lines.next(); line != null && !line.isEmpty(); line = lines.next()) {
            headers.add(header(line, index));
        }
        byte[] content = lines.rest();
        String length = null;
        for (Header header : headers) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (name.equals("transfer-encoding")) {
                throw ApiException.badRequest(where(index) + "Transfer-Encoding is not accepted in a part: send the body"
                        + " as it is, with or without Content-Length");
            }
            if (name.equals("content-length")) {
                if (length != null && !length.equals(header.value())) {
                    throw ApiException.badRequest(where(index) + "two different Content-Length headers");
                }
                length = header.value();
            }
        }
        if (length != null) {
            if (!length.matches("[0-9]{1,10}")) {
                throw ApiException.badRequest(where(index) + "Content-Length '" + printable(length, 20) + "' is not a number");
            }
            long declared = Long.parseLong(length);
            if (declared > content.length) {
                throw ApiException.badRequest(where(index) + "Content-Length " + declared + " is larger than the "
                        + content.length + " bytes that follow");
            }
            content = Arrays.copyOf(content, (int) declared);
        }
        return new Part(index, contentId, words[0], words[1], headers, content);
    }

    private static boolean isPartType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT).equals(PART_TYPE);
    }

    /** {@code Name: value}, the name a token; no folding (obsolete since RFC 7230). */
    private static Header header(String line, int index) {
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.substring(0, colon))) {
            throw ApiException.badRequest(where(index) + "the header line '" + printable(line, 80) + "' cannot be read");
        }
        String value = line.substring(colon + 1).strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw ApiException.badRequest(where(index) + "the header '" + line.substring(0, colon)
                        + "' holds a control character");
            }
        }
        return new Header(line.substring(0, colon), value);
    }

    /** RFC 9110 token characters. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A request target: visible ASCII, no white space. */
    private static boolean isTarget(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String where(int index) {
        return "part[" + index + "]: ";
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** At most {@code max} characters of the text, control characters shown as {@code ?}. */
    private static String printable(String text, int max) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            shown.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return text.length() > max ? shown + "..." : shown.toString();
    }

    /** The lines of a part (CRLF or LF), read as ISO-8859-1 as HTTP reads header bytes, then its raw rest. */
    private static final class Lines {
        private final byte[] body;
        private final int to;
        private final int index;
        private int position;

        Lines(byte[] body, int from, int to, int index) {
            this.body = body;
            this.position = from;
            this.to = to;
            this.index = index;
        }

        /** The next line without its end; the last line may end with the part; null at the end. */
        String next() {
            if (position >= to) {
                return null;
            }
            int end = position;
            while (end < to && body[end] != '\n') {
                end++;
            }
            int stop = end > position && body[end - 1] == '\r' ? end - 1 : end;
            for (int i = position; i < stop; i++) {
                if (body[i] == '\r' || body[i] == 0) {
                    throw ApiException.badRequest(where(index) + "a header line holds a bare CR or a NUL byte");
                }
            }
            String line = new String(body, position, stop - position, StandardCharsets.ISO_8859_1);
            position = Math.min(end + 1, to);
            return line;
        }

        /** What is left of the part: the request's body. */
        byte[] rest() {
            return Arrays.copyOfRange(body, Math.min(position, to), to);
        }
    }
}

package org.kernelci.batch.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The value of {@code X-Kci-Ignored}: the names a query ignored, which are client text, made safe
 * for a header. Each name is percent-encoded (UTF-8) outside printable ASCII, and {@code %} and
 * {@code ,} too, so that no byte a container refuses or a CR/LF ever reaches the header (Tomcat
 * drops a header with a character past Latin-1 and logs it with a stack trace). The value is
 * bounded: at most {@value #MAX_NAMES} names of at most {@value #MAX_NAME_CHARS} characters each
 * as encoded; a longer name is cut and marked {@value #CUT}, and names past the count are counted
 * in a last element {@code (N more)}. The markers hold a space, which no encoded name does.
 * Without the bound an 8,000-character key overflowed Tomcat's header buffer: a 500.
 */
final class IgnoredHeader {
    static final int MAX_NAMES = 20;
    static final int MAX_NAME_CHARS = 64;
    static final String CUT = " (cut)";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IgnoredHeader() {
    }

    /** The header's value for these names, in their order. */
    static String value(List<String> names) {
        StringBuilder value = new StringBuilder();
        for (String name : names.subList(0, Math.min(names.size(), MAX_NAMES))) {
            if (!value.isEmpty()) {
                value.append(',');
            }
            value.append(encoded(name));
        }
        if (names.size() > MAX_NAMES) {
            value.append(",(").append(names.size() - MAX_NAMES).append(" more)");
        }
        return value.toString();
    }

    /** The name percent-encoded, cut after {@value #MAX_NAME_CHARS} characters (never inside a {@code %XX}). */
    static String encoded(String name) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            int width = c > 0x20 && c < 0x7f && c != '%' && c != ',' ? 1 : 3;
            if (encoded.length() + width > MAX_NAME_CHARS) {
                return encoded.append(CUT).toString();
            }
            if (width == 1) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }
}

package org.kernelci.batch.parse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.kernelci.batch.ApiException;

/**
 * Decodes a query string as {@code application/x-www-form-urlencoded}: pairs split on {@code &},
 * {@code +} as space, {@code %XX} as UTF-8 bytes. One leading {@code ?} is ignored and empty
 * pieces ({@code a=1&&b=2}) are skipped. A malformed escape or invalid UTF-8 is a 400.
 */
public final class QueryStringParser {
    private QueryStringParser() {
    }

    public static QueryParams parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return QueryParams.EMPTY;
        }
        String text = raw.charAt(0) == '?' ? raw.substring(1) : raw;
        List<QueryParams.Pair> pairs = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('&', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                String piece = text.substring(start, end);
                int equals = piece.indexOf('=');
                String key = equals < 0 ? piece : piece.substring(0, equals);
                String value = equals < 0 ? "" : piece.substring(equals + 1);
                pairs.add(new QueryParams.Pair(decode(key, piece), decode(value, piece)));
            }
            start = end + 1;
        }
        return new QueryParams(pairs);
    }

    private static String decode(String text, String piece) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
                int low = high >= 0 ? hexDigit(text.charAt(i + 2)) : -1;
                if (low < 0) {
                    throw malformed(piece, "a '%' not followed by two hexadecimal digits");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(piece, "escapes that are not UTF-8");
        }
    }

    /** The value of an ASCII hexadecimal digit, or -1: {@code Character.digit} also takes other scripts' digits. */
    private static int hexDigit(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    private static ApiException malformed(String piece, String problem) {
        return ApiException.badRequest("Malformed query string at '" + piece + "': " + problem);
    }
}

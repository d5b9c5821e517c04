package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.plan.Read;

/**
 * The ETags of read answers (CONTRACT.md section 9): a hash of what was asked (the request, and
 * the reads as planned, with their resolved dates), of the caller's permissions (a token never
 * learns from a 304 what it may not read), and of the change counts of the tables read, taken in
 * the answer's own snapshot. Every committed write adds to its table's count, so the tag changes
 * whenever a committed write could change the answer. Weak: the same answer may be sent gzipped
 * or not.
 */
final class EntityTags {
    static final String IF_NONE_MATCH = "If-None-Match";

    private EntityTags() {
    }

    /** What identifies a GET: its path and its raw query string. */
    static String identity(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI() + "?" + Objects.toString(request.getQueryString(), "");
    }

    /** What identifies a batch: its path, its query string and (a hash of) its body. */
    static String identity(HttpServletRequest request, byte[] body) {
        return identity(request) + " " + HexFormat.of().formatHex(sha256(body));
    }

    static String of(Token token, String identity, List<Read> reads, Map<String, Long> changes) {
        StringBuilder text = new StringBuilder(identity).append('\n').append(token.permissions().stream().sorted().toList())
                .append('\n').append(reads).append('\n').append(new TreeMap<>(changes));
        return "W/\"" + HexFormat.of().formatHex(sha256(text.toString().getBytes(StandardCharsets.UTF_8)), 0, 16) + "\"";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an {@code If-None-Match} value names the tag (weak comparison; {@code *} names any). */
    static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = opaque(tag);
        for (String candidate : ifNoneMatch.split(",")) {
            String trimmed = candidate.strip();
            if (trimmed.equals("*") || opaque(trimmed).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}

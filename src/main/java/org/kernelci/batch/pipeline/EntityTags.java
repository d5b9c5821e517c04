package org.kernelci.batch.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
public final class EntityTags {
    public static final String IF_NONE_MATCH = "If-None-Match";

    private EntityTags() {
    }

    /** What identifies a batch: its request's method, path and query string, and (a hash of) its body. */
    public static String identity(String request, byte[] body) {
        return request + " " + HexFormat.of().formatHex(sha256(body));
    }

    /**
     * What was asked, hashed: the request, the caller's permissions and the reads as planned.
     * Kept with a planned batch ({@link RecentBatches}); {@link #of(MessageDigest, Map)} hashes on.
     */
    public static MessageDigest asked(Token token, String identity, List<Read> reads) {
        MessageDigest digest = sha256();
        digest.update((identity + '\n' + permissions(token) + '\n' + reads + '\n').getBytes(StandardCharsets.UTF_8));
        return digest;
    }

    /** The caller's permissions, in their declaration's order ({@link Token#permissions()} keeps it). */
    public static String permissions(Token token) {
        return token.permissions().toString();
    }

    /** The tag of what was asked ({@link #asked}, left as it is) as of these change counts. */
    public static String of(MessageDigest asked, Map<String, Long> changes) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) asked.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        byte[] hash = digest.digest(new TreeMap<>(changes).toString().getBytes(StandardCharsets.UTF_8));
        return "W/\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an {@code If-None-Match} value names the tag (weak comparison; {@code *} names any). */
    public static boolean matches(String ifNoneMatch, String tag) {
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

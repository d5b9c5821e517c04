package org.kernelci.batch.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** An IP address or CIDR range such as {@code 10.1.0.0/16} or {@code 2001:db8::/32}. */
public final class AddressRange {
    /** A dotted quad, or an IPv6 literal (it has a colon): never a host name, never "127.1". */
    private static final Pattern LITERAL =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final byte[] network;
    private final int prefix;

    private AddressRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** @throws IllegalArgumentException when the text is not an address or a range */
    public static AddressRange parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String bits = trimmed.substring(slash + 1);
            if (!bits.matches("0|[1-9][0-9]{0,2}")) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
            }
            try {
                prefix = Integer.parseInt(bits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + text, e);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("prefix out of range: " + text);
            }
        }
        return new AddressRange(bytes, prefix);
    }

    public boolean contains(String address) {
        byte[] candidate = literal(address);
        if (candidate == null || candidate.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    static boolean anyContains(List<String> ranges, String address) {
        if (address == null) {
            return false;
        }
        for (String range : ranges) {
            try {
                if (parse(range).contains(address)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // a malformed stored entry matches nothing
            }
        }
        return false;
    }

    /** The bytes of an IP literal (never a host name lookup), IPv4-mapped IPv6 as IPv4. */
    private static byte[] literal(String text) {
        if (text == null || text.isEmpty() || !LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

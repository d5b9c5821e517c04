package org.kernelci.batch.http;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The pages that may show the dashboard in a frame: the source list of the dashboard's CSP
 * {@code frame-ancestors} ({@code KCI_FRAME_ANCESTORS}); {@code 'none'} by default. Checked whole
 * at start-up, as it goes into a header: source expressions only, so no {@code ;} or {@code ,}
 * can add a directive or a policy.
 */
public record FrameAncestors(String sources) {
    public static final FrameAncestors NONE = new FrameAncestors("'none'");
    /** CSP3's source expressions that apply to frame-ancestors: host-source, scheme-source, 'self'. */
    private static final Pattern SOURCE = Pattern.compile("'self'"
            + "|[A-Za-z][A-Za-z0-9+.-]*:"
            + "|(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:\\*|(?:\\*\\.)?[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*)"
            + "(?::(?:[0-9]+|\\*))?(?:/[A-Za-z0-9._~!$&()*+=:@%/-]*)?");

    /** The sources of a setting's value, separated by white space; a source that is none throws, naming it. */
    public static FrameAncestors parse(String value) {
        List<String> sources = List.of(value.strip().split("[ \\t]+"));
        for (String source : sources) {
            if (source.equals("'none'") && sources.size() > 1) {
                throw new IllegalArgumentException("'none' goes alone: it allows no page, the other sources some");
            }
            if (!source.equals("'none'") && !SOURCE.matcher(source).matches()) {
                throw new IllegalArgumentException("'" + source + "' is not a CSP source expression for frame-ancestors "
                        + "(such as https://portal.example.org, https://*.example.org, https: or 'self'; "
                        + "separated by spaces, no ; or ,)");
            }
        }
        return new FrameAncestors(String.join(" ", sources));
    }
}

package org.kernelci.batch.render;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A small streaming JSON writer: members in the order written (the envelope's order matters to
 * readers of the wire format), raw JSON for stored {@code jsonb} members, non-ASCII written as
 * UTF-8 like the original.
 */
public final class JsonOutput {
    private final Writer out;
    private boolean[] first = new boolean[16];
    private int depth;
    private boolean afterName;

    public JsonOutput(OutputStream stream) {
        this.out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
    }


    public JsonOutput beginObject() {
        return open('{');
    }

    public JsonOutput endObject() {
        return close('}');
    }

    public JsonOutput beginArray() {
        return open('[');
    }

    public JsonOutput endArray() {
        return close(']');
    }

    public JsonOutput name(String name) {
        separate();
        quoted(name);
        write(':');
        afterName = true;
        return this;
    }

    public JsonOutput value(String text) {
        if (text == null) {
            return nullValue();
        }
        separate();
        quoted(text);
        return this;
    }

    public JsonOutput value(long number) {
        separate();
        write(Long.toString(number));
        return this;
    }

    /** NaN and the infinities are not JSON: they are written as {@code null}. */
    public JsonOutput value(double number) {
        separate();
        write(!Double.isFinite(number) ? "null" : number == Math.rint(number) && Math.abs(number) < 1e15
                ? Long.toString((long) number) + ".0" : Double.toString(number));
        return this;
    }

    public JsonOutput value(boolean flag) {
        separate();
        write(flag ? "true" : "false");
        return this;
    }

    public JsonOutput nullValue() {
        separate();
        write("null");
        return this;
    }

    /** Writes already-serialized JSON as the next value. */
    public JsonOutput raw(String json) {
        separate();
        int start = 0;
        for (int i = 0; i < json.length(); i++) {
            if (unpairedSurrogate(json, i)) {
                writeRange(json, start, i);
                write(String.format("\\u%04x", (int) json.charAt(i)));
                start = i + 1;
            }
        }
        writeRange(json, start, json.length());
        return this;
    }

    /**
     * A lone half of a surrogate pair cannot be written as UTF-8: it is written as a JSON escape,
     * so that the text reads back exactly as it was (an {@code operation_id} is echoed so).
     */
    private static boolean unpairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonOutput open(char bracket) {
        separate();
        write(bracket);
        if (++depth == first.length) {
            first = java.util.Arrays.copyOf(first, depth * 2);
        }
        first[depth] = true;
        return this;
    }

    private JsonOutput close(char bracket) {
        depth--;
        write(bracket);
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (first[depth]) {
                first[depth] = false;
            } else {
                write(',');
            }
        }
    }

    private void quoted(String text) {
        write('"');
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            String escape = null;
            if (c == '"') {
                escape = "\\\"";
            } else if (c == '\\') {
                escape = "\\\\";
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029 || unpairedSurrogate(text, i)) {
                escape = switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> String.format("\\u%04x", (int) c);
                };
            }
            if (escape != null) {
                writeRange(text, start, i);
                write(escape);
                start = i + 1;
            }
        }
        writeRange(text, start, length);
        write('"');
    }

    private void writeRange(String text, int start, int end) {
        if (end > start) {
            try {
                out.write(text, start, end - start);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void write(String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(char c) {
        try {
            out.write(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.kernelci.batch.render;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A small streaming JSON writer: members in the order written (the envelope's order matters to
 * readers of the wire format), raw JSON for stored {@code jsonb} members, non-ASCII written as
 * UTF-8 like the original.
 */
public final class JsonOutput {
    private final OutputStream out;
    // Encoded here, a value at a time: an OutputStreamWriter's encoder costs more per call than
    // the text of most members (a third of a dashboard's rendering).
    private final byte[] buffer = new byte[8192];
    private int size;
    private boolean[] first = new boolean[16];
    private int depth;
    private boolean afterName;

    /** Writes to the stream as its buffer fills, and on {@link #flush()}. */
    public JsonOutput(OutputStream stream) {
        this.out = stream;
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
            drain();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        out.write(buffer, 0, size);
        size = 0;
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

    /** The text's characters as UTF-8 (the quoting left only whole surrogate pairs in it). */
    private void writeRange(String text, int start, int end) {
        try {
            for (int i = start; i < end; i++) {
                if (size > buffer.length - 4) {
                    drain();
                }
                char c = text.charAt(i);
                if (c < 0x80) {
                    buffer[size++] = (byte) c;
                } else if (c < 0x800) {
                    buffer[size++] = (byte) (0xc0 | c >> 6);
                    buffer[size++] = (byte) (0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int point = Character.toCodePoint(c, text.charAt(++i));
                    buffer[size++] = (byte) (0xf0 | point >> 18);
                    buffer[size++] = (byte) (0x80 | point >> 12 & 0x3f);
                    buffer[size++] = (byte) (0x80 | point >> 6 & 0x3f);
                    buffer[size++] = (byte) (0x80 | point & 0x3f);
                } else {
                    buffer[size++] = (byte) (0xe0 | c >> 12);
                    buffer[size++] = (byte) (0x80 | c >> 6 & 0x3f);
                    buffer[size++] = (byte) (0x80 | c & 0x3f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String text) {
        writeRange(text, 0, text.length());
    }

    /** An ASCII character: a bracket, a quote, a colon or a comma. */
    private void write(char c) {
        if (size == buffer.length) {
            try {
                drain();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        buffer[size++] = (byte) c;
    }
}

package org.kernelci.batch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a newline-delimited stream, read one at a time so that a dump of any size needs
 * only one line in memory. Each line is decoded as strict UTF-8 on its own, so one bad line does
 * not stop the rest; a trailing {@code \r} and a byte order mark on the first line are dropped.
 */
public final class NdjsonLines {
    /** Longer lines are reported unreadable (and skipped) rather than held in memory. */
    public static final int MAX_LINE_BYTES = 16 << 20;

    /** One line of the stream, numbered from 1. */
    public sealed interface Line {
        long number();
    }

    public record Text(long number, String text) implements Line {
    }

    public record Unreadable(long number, String reason) implements Line {
    }

    private final InputStream input;
    private final byte[] buffer = new byte[1 << 16];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int position;
    private int limit;
    private byte[] line = new byte[8192];
    private int length;
    private long number;
    private long bytesRead;

    public NdjsonLines(InputStream input) {
        this.input = input;
    }

    /** The next line, or null at the end of the stream. */
    public Line next() throws IOException {
        length = 0;
        boolean tooLong = false;
        boolean started = false;
        while (true) {
            if (position == limit) {
                int read = input.read(buffer);
                if (read < 0) {
                    return started ? finish(tooLong) : null;
                }
                position = 0;
                limit = read;
                bytesRead += read;
                continue;
            }
            started = true;
            int newline = position;
            while (newline < limit && buffer[newline] != '\n') {
                newline++;
            }
            int count = newline - position;
            if (!tooLong && length + count > MAX_LINE_BYTES) {
                tooLong = true;
            }
            if (!tooLong) {
                append(position, count);
            }
            if (newline < limit) {
                position = newline + 1;
                return finish(tooLong);
            }
            position = limit;
        }
    }

    /** Bytes taken from the stream so far (read ahead of the lines returned by at most a buffer). */
    public long bytesRead() {
        return bytesRead;
    }

    private void append(int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(buffer, from, line, length, count);
        length += count;
    }

    private Line finish(boolean tooLong) {
        number++;
        if (tooLong) {
            return new Unreadable(number, "line longer than " + MAX_LINE_BYTES + " bytes");
        }
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        String text;
        try {
            text = decoder.reset().decode(ByteBuffer.wrap(line, 0, end)).toString();
        } catch (CharacterCodingException e) {
            return new Unreadable(number, "not valid UTF-8");
        }
        if (number == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new Text(number, text);
    }
}

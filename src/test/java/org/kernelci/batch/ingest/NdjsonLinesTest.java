package org.kernelci.batch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A byte stream into numbered lines, each decoded on its own. */
class NdjsonLinesTest {
    private static List<NdjsonLines.Line> lines(byte[] bytes) throws IOException {
        NdjsonLines lines = new NdjsonLines(new ByteArrayInputStream(bytes));
        List<NdjsonLines.Line> all = new ArrayList<>();
        for (NdjsonLines.Line line = lines.next(); line != null; line = lines.next()) {
            all.add(line);
        }
        assertEquals(bytes.length, lines.bytesRead());
        return all;
    }

    private static List<NdjsonLines.Line> lines(String text) throws IOException {
        return lines(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("LF and CRLF endings, a last line without one, empty lines kept and numbered")
    void endings() throws IOException {
        assertEquals(List.of(new NdjsonLines.Text(1, "a"), new NdjsonLines.Text(2, ""), new NdjsonLines.Text(3, "b"),
                new NdjsonLines.Text(4, "c")), lines("a\n\r\nb\r\nc"));
        assertEquals(List.of(new NdjsonLines.Text(1, "a")), lines("a\n"));
        assertEquals(List.of(), lines(""));
    }

    @Test
    @DisplayName("invalid UTF-8 makes only its own line unreadable; a byte order mark is dropped")
    void encoding() throws IOException {
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x', '\n', (byte) 0xC3, '(', '\n', (byte) 0xC3, (byte) 0xA9};
        assertEquals(List.of(new NdjsonLines.Text(1, "x"), new NdjsonLines.Unreadable(2, "not valid UTF-8"),
                new NdjsonLines.Text(3, "é")), lines(bytes));
    }

    @Test
    @DisplayName("a line over the limit is reported and skipped without being held in memory")
    void tooLong() throws IOException {
        byte[] bytes = new byte[NdjsonLines.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(bytes, (byte) 'a');
        bytes[bytes.length - 3] = '\n';
        List<NdjsonLines.Line> lines = lines(bytes);
        assertEquals(List.of(new NdjsonLines.Unreadable(1, "line longer than " + NdjsonLines.MAX_LINE_BYTES + " bytes"),
                new NdjsonLines.Text(2, "aa")), lines);
    }
}

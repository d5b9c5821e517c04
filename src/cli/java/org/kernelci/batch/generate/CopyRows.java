package org.kernelci.batch.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Rows of one collection streamed into its table with {@code COPY ... FROM STDIN} (text format).
 * The column list comes from the collection's declaration; a row is filled cell by cell, and
 * cells left unset are written as NULL.
 */
final class CopyRows implements AutoCloseable {
    private static final int BUFFER = 1 << 16;
    private static final int REPORT_EVERY = 8192;

    private final List<String> columns = new ArrayList<>();
    private final String[] cells;
    private final Writer out;
    private final LongConsumer progress;
    private final long progressBase;
    private long rows;

    /**
     * @param progress     told the number of rows written so far, {@code progressBase} included
     * @param progressBase rows written before this table
     */
    CopyRows(Connection connection, Collection collection, LongConsumer progress, long progressBase)
            throws SQLException {
        for (Field field : collection.storedFields()) {
            columns.add(field.column());
        }
        this.cells = new String[columns.size()];
        StringBuilder sql = new StringBuilder("COPY \"").append(collection.table()).append("\" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "\"" : ", \"").append(columns.get(i)).append('"');
        }
        sql.append(") FROM STDIN");
        PGConnection pg = connection.unwrap(PGConnection.class);
        this.out = new BufferedWriter(
                new OutputStreamWriter(new PGCopyOutputStream(pg, sql.toString(), BUFFER), StandardCharsets.UTF_8),
                BUFFER);
        this.progress = progress;
        this.progressBase = progressBase;
    }

    /** The position of a column in the row; fails when the declaration has no such column. */
    int column(String name) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IllegalStateException("no column " + name + " in the declaration");
        }
        return index;
    }

    void set(int column, String value) {
        cells[column] = value;
    }

    void set(int column, long value) {
        cells[column] = Long.toString(value);
    }

    void set(int column, boolean value) {
        cells[column] = value ? "t" : "f";
    }

    /** Writes the row and clears the cells for the next one. */
    void endRow() {
        try {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    out.write('\t');
                }
                String cell = cells[i];
                if (cell == null) {
                    out.write("\\N");
                } else {
                    writeEscaped(cell);
                }
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Arrays.fill(cells, null);
        rows++;
        if (rows % REPORT_EVERY == 0) {
            progress.accept(progressBase + rows);
        }
    }

    long rows() {
        return rows;
    }

    private void writeEscaped(String cell) throws IOException {
        int length = cell.length();
        int from = 0;
        for (int i = 0; i < length; i++) {
            char c = cell.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                out.write(cell, from, i - from);
                out.write(escape);
                from = i + 1;
            }
        }
        out.write(cell, from, length - from);
    }

    /** Ends the COPY; the rows are then in the table (within the caller's transaction). */
    @Override
    public void close() throws SQLException {
        try {
            out.close();
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("COPY failed", e);
        }
        progress.accept(progressBase + rows);
    }
}

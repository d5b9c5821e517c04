package org.kernelci.batch.sql;

import org.kernelci.batch.schema.FieldType;

/**
 * The rows a statement answered, as its {@link ReadStatement} decodes them: the JDBC side
 * ({@code jdbc/ResultSetRows}) implements it, so that this package stays free of JDBC. Columns
 * count from 1.
 */
public interface ResultRows {
    /** Moves to the next row; false past the last. */
    boolean next();

    /** A whole number column (0 for NULL). */
    long whole(int column);

    /** A text column (null for NULL). */
    String text(int column);

    /** A column as a field of that type holds its value (the column codec's), null for NULL. */
    Object value(int column, FieldType type);
}

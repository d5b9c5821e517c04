package org.kernelci.batch.execute;

import java.util.List;

/**
 * The bytes a batch's documents may still hold, spent as they are read: up front for the rows
 * read with the batch, then by each fetch of a cursor while the response is written. A value is
 * counted as its characters (text, JSON) or 8 bytes; that is near what it takes on the wire.
 */
final class Budget {
    private long remaining;

    Budget(long bytes) {
        this.remaining = bytes;
    }

    /** Spends the bytes of these rows if they fit; false (nothing spent) if not. */
    synchronized boolean trySpend(long bytes) {
        if (bytes > remaining) {
            return false;
        }
        remaining -= bytes;
        return true;
    }

    /** Spends the bytes of rows being streamed, or stops the stream. */
    void spend(List<Object[]> rows, String cursor) {
        if (!trySpend(size(rows))) {
            throw new BudgetExceededException("The batch's documents passed its byte budget while cursor " + cursor
                    + " was written: the response is cut off");
        }
    }

    static long size(List<Object[]> rows) {
        long size = 0;
        for (Object[] row : rows) {
            size += size(row);
        }
        return size;
    }

    static long size(Object[] row) {
        long size = 0;
        for (Object value : row) {
            size += value instanceof String text ? text.length() : 8;
        }
        return size;
    }

    /** A streamed response went past the budget: it is cut off, which the client sees as an error. */
    static final class BudgetExceededException extends IllegalStateException {
        BudgetExceededException(String message) {
            super(message);
        }
    }
}

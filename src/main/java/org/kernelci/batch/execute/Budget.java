package org.kernelci.batch.execute;

import java.util.List;
import org.kernelci.batch.ApiException;

/**
 * The bytes a batch's documents may still hold, spent as they are read: up front for the rows
 * read with the batch, then by each fetch of a cursor while the response is written (into the
 * answer the HTTP edge holds whole, so nothing of it was sent yet). A value is counted as its
 * characters (text, JSON) or 8 bytes; that is near what it takes on the wire.
 */
final class Budget {
    private final long limit;
    private long remaining;

    Budget(long bytes) {
        this.limit = bytes;
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

    /** Spends the bytes of rows being fetched, or refuses the whole answer (413). */
    void spend(List<Object[]> rows) {
        if (!trySpend(size(rows))) {
            // As an operation past the budget up front is told, but for the whole answer.
            throw new ApiException(413, "The batch's documents hold more than " + limit
                    + " bytes in all: ask for fewer (limit, field) or split the batch");
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
}

package org.kernelci.batch.execute;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.kernelci.batch.jdbc.ResultSetRows;
import org.kernelci.batch.sql.ReadStatement;

/**
 * The rows of an open cursor, fetched {@link #STREAMED_ROWS} at a time while they
 * are iterated; iterable once, inside the transaction that declared the cursor.
 */
final class CursorRows implements Iterable<Object[]> {
    /** Listings with a larger limit are streamed from a cursor, this many rows per fetch. */
    static final int STREAMED_ROWS = 1000;

    private final Connection connection;
    private final String cursor;
    private final ReadStatement.Rows rows;
    private final Budget budget;
    private boolean iterated;

    /** @param rows the statement the cursor was declared for: how its rows decode */
    CursorRows(Connection connection, String cursor, ReadStatement.Rows rows, Budget budget) {
        this.connection = connection;
        this.cursor = cursor;
        this.rows = rows;
        this.budget = budget;
    }

    @Override
    public Iterator<Object[]> iterator() {
        if (iterated) {
            throw new IllegalStateException("The rows of cursor " + cursor + " were read already");
        }
        iterated = true;
        return new Iterator<>() {
            private List<Object[]> batch = List.of();
            private int next;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (next < batch.size()) {
                    return true;
                }
                if (exhausted) {
                    return false;
                }
                batch = fetch();
                next = 0;
                exhausted = batch.size() < STREAMED_ROWS;
                return !batch.isEmpty();
            }

            @Override
            public Object[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.get(next++);
            }
        };
    }

    private List<Object[]> fetch() {
        try (Statement statement = connection.createStatement();
             ResultSet fetched = statement.executeQuery("FETCH FORWARD " + STREAMED_ROWS + " FROM " + cursor)) {
            List<Object[]> list = rows.decode(new ResultSetRows(fetched));
            budget.spend(list);
            return list;
        } catch (ResultSetRows.RowReadException e) {
            throw new IllegalStateException("Fetching from cursor " + cursor + " failed: " + e.getMessage(), e.failure());
        } catch (SQLException e) {
            throw new IllegalStateException("Fetching from cursor " + cursor + " failed: " + e.getMessage(), e);
        }
    }
}

package org.kernelci.batch.execute;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.kernelci.batch.schema.Field;

/**
 * The rows of an open cursor, fetched {@link BatchRunner#STREAMED_ROWS} at a time while they
 * are iterated; iterable once, inside the transaction that declared the cursor.
 */
final class CursorRows implements Iterable<Object[]> {
    private final Connection connection;
    private final String cursor;
    private final List<Field> projection;
    private final Budget budget;
    private boolean iterated;

    CursorRows(Connection connection, String cursor, List<Field> projection, Budget budget) {
        this.connection = connection;
        this.cursor = cursor;
        this.projection = projection;
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
                exhausted = batch.size() < BatchRunner.STREAMED_ROWS;
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
             ResultSet rows = statement.executeQuery("FETCH FORWARD " + BatchRunner.STREAMED_ROWS + " FROM " + cursor)) {
            List<Object[]> fetched = BatchRunner.rows(rows, projection);
            budget.spend(fetched);
            return fetched;
        } catch (SQLException e) {
            throw new IllegalStateException("Fetching from cursor " + cursor + " failed: " + e.getMessage(), e);
        }
    }
}

package org.kernelci.batch.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kernelci.batch.schema.Field;

/**
 * A statement of a read, typed by what it answers: its SQL (text and binds) and how its rows
 * decode into that answer.
 *
 * @param <T> what the statement answers
 */
public sealed interface ReadStatement<T> permits ReadStatement.Count, ReadStatement.Rows, ReadStatement.ChangeCounts {

    SqlQuery sql();

    /** The answer, from the statement's rows. */
    T decode(ResultRows rows);

    /** A number: the first column of the one row ({@code count(*)}, a sum of rollup rows). */
    record Count(SqlQuery sql) implements ReadStatement<Long> {
        @Override
        public Long decode(ResultRows rows) {
            rows.next();
            return rows.whole(1);
        }
    }

    /** Documents: each row's columns are the projection's fields, in order. */
    record Rows(SqlQuery sql, List<Field> projection) implements ReadStatement<List<Object[]>> {
        public Rows {
            projection = List.copyOf(projection);
        }

        @Override
        public List<Object[]> decode(ResultRows rows) {
            int width = projection.size();
            List<Object[]> list = new ArrayList<>();
            while (rows.next()) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = rows.value(i + 1, projection.get(i).type());
                }
                list.add(row);
            }
            return list;
        }

        /** The same rows read through a cursor declared with this name (fetched later, see execute). */
        public Rows declared(String cursor) {
            return new Rows(new SqlQuery("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + sql.text(), sql.binds()),
                    projection);
        }
    }

    /** Every table's change count ({@link SqlCompiler#changeCounts}), by table. */
    record ChangeCounts(SqlQuery sql) implements ReadStatement<Map<String, Long>> {
        public ChangeCounts() {
            this(SqlCompiler.changeCounts());
        }

        @Override
        public Map<String, Long> decode(ResultRows rows) {
            Map<String, Long> counts = new TreeMap<>();
            while (rows.next()) {
                counts.put(rows.text(1), rows.whole(2));
            }
            return counts;
        }
    }
}

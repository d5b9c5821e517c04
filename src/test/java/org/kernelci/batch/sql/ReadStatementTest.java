package org.kernelci.batch.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/** A read statement decodes its rows into its answer; the column values come from the codec. */
class ReadStatementTest {
    private static final SqlQuery SQL = new SqlQuery("SELECT x FROM t WHERE a = ?", List.of("a"), true);

    /** Rows held in memory; a column's value is the one stored, typed as asked. */
    private static final class Rows implements ResultRows {
        private final List<Object[]> rows;
        private final List<FieldType> asked = new ArrayList<>();
        private int next = -1;

        Rows(Object[]... rows) {
            this.rows = Arrays.asList(rows);
        }

        @Override
        public boolean next() {
            return ++next < rows.size();
        }

        @Override
        public long whole(int column) {
            return ((Number) rows.get(next)[column - 1]).longValue();
        }

        @Override
        public String text(int column) {
            return (String) rows.get(next)[column - 1];
        }

        @Override
        public Object value(int column, FieldType type) {
            asked.add(type);
            return rows.get(next)[column - 1];
        }
    }

    @Test
    @DisplayName("a count is the first column of its one row")
    void count() {
        assertEquals(42L, new ReadStatement.Count(SQL).decode(new Rows(new Object[] {42L})));
    }

    @Test
    @DisplayName("rows are read column by column, each as its projected field's type, in order")
    void rows() {
        List<Field> projection = List.of(new Field("job", "job", FieldType.TEXT),
                new Field("warnings", "warnings", FieldType.INTEGER));
        Rows result = new Rows(new Object[] {"next", 3}, new Object[] {null, 0});
        List<Object[]> decoded = new ReadStatement.Rows(SQL, projection).decode(result);
        assertEquals(2, decoded.size());
        assertArrayEquals(new Object[] {"next", 3}, decoded.get(0));
        assertArrayEquals(new Object[] {null, 0}, decoded.get(1));
        assertEquals(List.of(FieldType.TEXT, FieldType.INTEGER, FieldType.TEXT, FieldType.INTEGER), result.asked);
        assertEquals(List.of(), new ReadStatement.Rows(SQL, projection).decode(new Rows()));
    }

    @Test
    @DisplayName("rows declared as a cursor keep their binds and are planned for their values")
    void declared() {
        ReadStatement.Rows rows = new ReadStatement.Rows(SQL, List.of(new Field("job", "job", FieldType.TEXT)));
        ReadStatement.Rows declared = rows.declared("rows_3");
        assertEquals("DECLARE rows_3 NO SCROLL CURSOR FOR SELECT x FROM t WHERE a = ?", declared.sql().text());
        assertEquals(List.of("a"), declared.sql().binds());
        assertFalse(declared.sql().genericPlan());
        assertEquals(rows.projection(), declared.projection());
    }

    @Test
    @DisplayName("change counts are every table's, by table")
    void changeCounts() {
        ReadStatement.ChangeCounts changes = new ReadStatement.ChangeCounts();
        assertEquals(SqlCompiler.changeCounts(), changes.sql());
        assertEquals(Map.of("boot", 7L, "job", 2L),
                changes.decode(new Rows(new Object[] {"job", 2L}, new Object[] {"boot", 7L})));
    }
}

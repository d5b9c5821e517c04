package org.kernelci.batch.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SQL text with {@code ?} placeholders and the values bound to them, in order. A value is a
 * String, Integer, Long, Double, Boolean, OffsetDateTime, LocalDate or {@link SqlArray}, or null
 * where the text casts its placeholder to the column's type.
 *
 * @param genericPlan whether one plan serves all values of the binds (a sum of rollup rows through
 *                    its grouping's index), so that PostgreSQL may plan it once per connection;
 *                    else it is planned for its values on every run
 */
public record SqlQuery(String text, List<Object> binds, boolean genericPlan) {
    public SqlQuery {
        binds = Collections.unmodifiableList(new ArrayList<>(binds));
    }

    /** A statement planned for its values on every run. */
    public SqlQuery(String text, List<Object> binds) {
        this(text, binds, false);
    }
}

package org.kernelci.batch.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SQL text with {@code ?} placeholders and the values bound to them, in order. A value is a
 * String, Integer, Long, Double, Boolean, OffsetDateTime, LocalDate or {@link SqlArray}, or null
 * where the text casts its placeholder to the column's type.
 */
public record SqlQuery(String text, List<Object> binds) {
    public SqlQuery {
        binds = Collections.unmodifiableList(new ArrayList<>(binds));
    }
}

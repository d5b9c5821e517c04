package org.kernelci.batch.sql;

import java.util.List;

/**
 * SQL text with {@code ?} placeholders and the values bound to them, in order. A value is a
 * String, Integer, Long, Double, Boolean, OffsetDateTime, LocalDate or {@link SqlArray}.
 */
public record SqlQuery(String text, List<Object> binds) {
    public SqlQuery {
        binds = List.copyOf(binds);
    }
}

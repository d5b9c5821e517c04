package org.kernelci.batch.sql;

import java.util.Arrays;
import java.util.List;

/** An array bind value, for {@code = ANY(?)}; {@code elementType} is a PostgreSQL type name. */
public record SqlArray(String elementType, List<Object> values) {
    public SqlArray {
        values = List.copyOf(values);
    }

    @Override
    public String toString() {
        return elementType + Arrays.toString(values.toArray());
    }
}

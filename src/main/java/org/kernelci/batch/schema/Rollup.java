package org.kernelci.batch.schema;

import java.util.List;

/**
 * One grouping of a collection's per-day counts (CONTRACT-exact rollups, issue 17): for every
 * UTC day and every combination of these fields' values, how many documents there are. The
 * table {@code <collection table>_rollup} holds every grouping of the collection, told apart by
 * {@link #grouping()}, PostgreSQL's {@code GROUPING()} bit mask over the collection's rollup
 * dimensions (a bit set for each dimension the grouping leaves out, the first dimension the
 * highest bit), so that the migration's triggers and the reads agree.
 *
 * @param fields   the fields counted by, in declaration order; none for per-day totals
 * @param grouping the bit mask of the dimensions this grouping leaves out
 */
public record Rollup(List<Field> fields, int grouping) {
    public Rollup {
        fields = List.copyOf(fields);
    }

    /** The grouping of {@code fields} among {@code dimensions} (fields' order follows the dimensions'). */
    static Rollup of(List<Field> fields, List<Field> dimensions) {
        int mask = 0;
        for (int i = 0; i < dimensions.size(); i++) {
            if (!fields.contains(dimensions.get(i))) {
                mask |= 1 << (dimensions.size() - 1 - i);
            }
        }
        return new Rollup(dimensions.stream().filter(fields::contains).toList(), mask);
    }
}

package org.kernelci.batch.schema;

import java.util.List;

/**
 * An index of a collection's documents on {@code equal}'s fields, then {@code order}, then
 * {@code _id} (a migration makes it). A list that filters on exactly {@code equal}, one value
 * each, and at most on a range of {@code order}, sorted by {@code order}, walks it in order and
 * stops at its page: the best plan for every value, so one plan, made once, serves them all.
 *
 * @param equal the fields the index leads with, in the index's order
 * @param order the field it then orders by
 */
public record ListIndex(List<Field> equal, Field order) {
    public ListIndex {
        equal = List.copyOf(equal);
    }
}

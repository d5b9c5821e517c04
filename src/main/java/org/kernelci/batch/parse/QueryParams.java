package org.kernelci.batch.parse;

import java.util.List;

/** The decoded pairs of a query string, in request order, repeated keys kept. */
public record QueryParams(List<Pair> pairs) {
    public static final QueryParams EMPTY = new QueryParams(List.of());

    public QueryParams {
        pairs = List.copyOf(pairs);
    }

    /** One {@code key=value} pair; a key without {@code =} has the empty value. */
    public record Pair(String key, String value) {
    }
}

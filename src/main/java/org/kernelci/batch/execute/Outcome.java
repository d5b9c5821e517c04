package org.kernelci.batch.execute;

import java.util.List;
import org.kernelci.batch.schema.Field;

/** What a read found, or why it found nothing. */
public sealed interface Outcome {
    /**
     * A page of documents and the total number that matched; the rows may be fetched while they
     * are iterated, once.
     */
    record Documents(long count, int limit, long skip, List<Field> projection, Iterable<Object[]> rows)
            implements Outcome {
    }

    /** The document with an id (a missing one is a 404 {@link Failure}). */
    record Document(List<Field> projection, Object[] row) implements Outcome {
    }

    /** The number of matching documents per collection, in answer order. */
    record Counts(List<Tally> tallies) implements Outcome {
    }

    /** The distinct values of a field, sorted, and how many there are in all. */
    record Values(Field field, long count, List<Object> values) implements Outcome {
        public Values {
            values = List.copyOf(values);
        }
    }

    /** How many distinct values a field has in a collection (named as the request named it). */
    record DistinctCount(String field, String name, long count) implements Outcome {
    }

    /** The read failed on its own: past its deadline (504) or an internal error (500). */
    record Failure(int status, String reason) implements Outcome {
    }

    /** How many documents one collection (named as the request named it) matched. */
    record Tally(String name, long count) {
    }
}

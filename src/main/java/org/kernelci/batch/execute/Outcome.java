package org.kernelci.batch.execute;

import java.util.List;
import java.util.Optional;
import org.kernelci.batch.Problem;
import org.kernelci.batch.schema.Field;

/** What a read or a write did, or why it did nothing: its {@link #failure()}. */
public sealed interface Outcome {
    /** Why the operation has no answer of its own: a {@link Failure}'s or a {@link Missing} document's; else empty. */
    default Optional<Problem> failure() {
        return Optional.empty();
    }

    /**
     * A page of documents and the total number that matched; the rows may be fetched while they
     * are iterated, once.
     */
    record Documents(long count, int limit, long skip, List<Field> projection, Shape shape, Iterable<Object[]> rows)
            implements Outcome {
    }

    /** What a listing's documents are: matches, one per group, or one per group also under {@code result}. */
    enum Shape { LIST, GROUPS, WHOLE_GROUPS }

    /** The document with an id (a missing one is {@link Missing}). */
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

    /**
     * A comparison (CONTRACT.md section 12.5): the baseline's document, then each target's, in
     * order; for jobs, each job's members, and the differences among their builds (JSON).
     */
    record Comparison(List<Document> compared, Optional<String> delta) implements Outcome {
        public Comparison {
            compared = List.copyOf(compared);
        }
    }

    /** A boot's regression (CONTRACT.md section 12.3): how many documents, and them as a JSON array, oldest first. */
    record BootRegression(int count, String documents) implements Outcome {
    }

    /** A bisection's document, as JSON (CONTRACT.md section 12.4). */
    record Bisection(String document) implements Outcome {
    }

    /**
     * No document has the id: the one way a missing document is answered (404, {@link Problem#missing});
     * {@code collection} as the request named it, which a dialect may say (Appery's does).
     */
    record Missing(String collection, String id) implements Outcome {
        @Override
        public Optional<Problem> failure() {
            return Optional.of(Problem.missing(id));
        }
    }

    /** Reports stored: their ids, in order, and the {@code created_on} they got (epoch ms). */
    record Created(List<String> ids, long createdOn) implements Outcome {
        public Created {
            ids = List.copyOf(ids);
        }
    }

    /** A document changed: as it is now, and its new {@code updated_on} (epoch ms). */
    record Updated(Document document, long updatedOn) implements Outcome {
    }

    /** A document deleted. */
    record Deleted(String id) implements Outcome {
    }

    /**
     * The operation failed on its own: refused, forbidden, past its deadline, the database short
     * of a resource, an internal error... (see {@link Problem.Kind}).
     */
    record Failure(Problem problem) implements Outcome {
        @Override
        public Optional<Problem> failure() {
            return Optional.of(problem);
        }
    }

    /** How many documents one collection (named as the request named it) matched. */
    record Tally(String name, long count) {
    }
}

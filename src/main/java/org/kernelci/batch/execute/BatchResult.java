package org.kernelci.batch.execute;

import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcomes of a batch, one per operation in request order, with what must stay open while
 * they are written (the snapshot of streamed rows): close it once the response is written.
 *
 * @param changes for a batch of reads, the change counts of the tables read in its snapshot
 *                (what its ETag is made of); empty otherwise, or when they could not be read
 */
public record BatchResult(List<Outcome> outcomes, Closeable open, Optional<Map<String, Long>> changes)
        implements Closeable {
    public BatchResult {
        outcomes = List.copyOf(outcomes);
    }

    public BatchResult(List<Outcome> outcomes, Closeable open) {
        this(outcomes, open, Optional.of(Map.of()));
    }

    /** Whether an outcome is a failed entry: a failure, or a document that is not there. */
    public static boolean failed(Outcome outcome) {
        return outcome.failure().isPresent();
    }

    public int failures() {
        return (int) outcomes.stream().filter(BatchResult::failed).count();
    }

    @Override
    public void close() throws java.io.IOException {
        open.close();
    }
}

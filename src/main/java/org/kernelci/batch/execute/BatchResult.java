package org.kernelci.batch.execute;

import java.io.Closeable;
import java.util.List;

/**
 * The outcomes of a batch, one per operation in request order, with what must stay open while
 * they are written (the snapshot of streamed rows): close it once the response is written.
 */
public record BatchResult(List<Outcome> outcomes, Closeable open) implements Closeable {
    public BatchResult {
        outcomes = List.copyOf(outcomes);
    }

    /** Whether an outcome is a failed entry: a failure, or a document that is not there. */
    public static boolean failed(Outcome outcome) {
        return outcome instanceof Outcome.Failure || outcome instanceof Outcome.Missing;
    }

    public int failures() {
        return (int) outcomes.stream().filter(BatchResult::failed).count();
    }

    @Override
    public void close() throws java.io.IOException {
        open.close();
    }
}

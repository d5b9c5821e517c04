package org.kernelci.batch.http;

import java.util.List;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.OpenReads;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.plan.Read;

/**
 * Runs reads for a request. Their transaction stays open while the response streams out, and
 * closes when the request ends.
 */
final class Reads {
    private Reads() {
    }

    static List<Outcome> run(BatchRunner runner, List<Read> reads, CloseableService closer) {
        OpenReads open = runner.open(reads);
        closer.add(open);
        return open.outcomes();
    }

    /** A plain GET is a batch of one read whose failure is the response's. */
    static Outcome one(BatchRunner runner, Read read, CloseableService closer) {
        Outcome outcome = run(runner, List.of(read), closer).get(0);
        if (outcome instanceof Outcome.Failure failure) {
            throw new ApiException(failure.status(), failure.reason());
        }
        return outcome;
    }
}

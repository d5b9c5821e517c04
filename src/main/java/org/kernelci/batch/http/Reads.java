package org.kernelci.batch.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.glassfish.jersey.server.CloseableService;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.OpenReads;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.metrics.ServiceMetrics;
import org.kernelci.batch.plan.Read;

/**
 * Runs reads for a request, measured (database time, rows streamed). Their transaction stays
 * open while the response streams out, and closes when the request ends.
 */
final class Reads {
    private final BatchRunner runner;
    private final ServiceMetrics metrics;

    Reads(BatchRunner runner, ServiceMetrics metrics) {
        this.runner = runner;
        this.metrics = metrics;
    }

    ServiceMetrics metrics() {
        return metrics;
    }

    List<Outcome> run(List<Read> reads, CloseableService closer) {
        long start = System.nanoTime();
        OpenReads open = runner.open(reads);
        closer.add(open);
        metrics.databaseReads(System.nanoTime() - start);
        List<Outcome> outcomes = new ArrayList<>(open.outcomes().size());
        for (Outcome outcome : open.outcomes()) {
            outcomes.add(outcome instanceof Outcome.Documents documents ? counted(documents) : outcome);
        }
        return outcomes;
    }

    /** A plain GET is a batch of one read whose failure is the response's. */
    Outcome one(Read read, CloseableService closer) {
        Outcome outcome = run(List.of(read), closer).get(0);
        if (outcome instanceof Outcome.Failure failure) {
            throw new ApiException(failure.status(), failure.reason());
        }
        return outcome;
    }

    /** The same documents, each counted as it is written out. */
    private Outcome.Documents counted(Outcome.Documents documents) {
        Iterable<Object[]> rows = () -> {
            Iterator<Object[]> iterator = documents.rows().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public Object[] next() {
                    Object[] row = iterator.next();
                    metrics.rowStreamed();
                    return row;
                }
            };
        };
        return new Outcome.Documents(documents.count(), documents.limit(), documents.skip(), documents.projection(), rows);
    }
}

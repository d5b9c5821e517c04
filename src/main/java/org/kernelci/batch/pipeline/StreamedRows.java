package org.kernelci.batch.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.metrics.ServiceMetrics;

/** Outcomes whose documents count in the service's metrics as they are written out. */
public final class StreamedRows {
    private StreamedRows() {
    }

    /** The same outcomes, each document counted ({@link ServiceMetrics#rowStreamed}) when it is written. */
    public static List<Outcome> counted(ServiceMetrics metrics, List<Outcome> outcomes) {
        List<Outcome> counted = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            counted.add(outcome instanceof Outcome.Documents documents ? counted(metrics, documents) : outcome);
        }
        return counted;
    }

    private static Outcome.Documents counted(ServiceMetrics metrics, Outcome.Documents documents) {
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
        return new Outcome.Documents(documents.count(), documents.limit(), documents.skip(), documents.projection(),
                documents.shape(), rows);
    }
}

package org.kernelci.batch.plan;

import org.kernelci.batch.ApiException;
import org.kernelci.batch.parse.BatchOperation;

/** A batch operation after planning: a read or a write to run, or the reason it cannot run. */
public sealed interface BatchStep {
    BatchOperation operation();

    record Planned(BatchOperation operation, Read read) implements BatchStep {
    }

    record Writing(BatchOperation operation, Write write) implements BatchStep {
    }

    record Rejected(BatchOperation operation, ApiException failure) implements BatchStep {
    }
}

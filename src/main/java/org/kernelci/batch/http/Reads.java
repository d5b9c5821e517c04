package org.kernelci.batch.http;

import java.util.List;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.plan.Read;

/** A plain GET is a batch of one read whose failure is the response's. */
final class Reads {
    private Reads() {
    }

    static Outcome one(BatchRunner runner, Read read) {
        Outcome outcome = runner.run(List.of(read)).get(0);
        if (outcome instanceof Outcome.Failure failure) {
            throw new ApiException(failure.status(), failure.reason());
        }
        return outcome;
    }
}

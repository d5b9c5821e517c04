package org.kernelci.batch.auth;

import java.util.ArrayList;
import java.util.List;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.plan.BatchStep;
import org.kernelci.batch.plan.Read;
import org.kernelci.batch.plan.Write;

/**
 * The authorisation step between planning and executing, the same for every batch dialect: a
 * planned operation the token may not perform as its plain request (CONTRACT.md sections 5 and
 * 6) becomes a rejected step, answered 403 as that request would be, so that the executor runs
 * only what the caller may do.
 */
public final class Authorisation {
    private Authorisation() {
    }

    /** The steps, in order, with each the token may not perform rejected (403). */
    public static List<BatchStep> authorise(Token token, List<BatchStep> steps) {
        List<BatchStep> authorised = new ArrayList<>(steps.size());
        for (BatchStep step : steps) {
            authorised.add(allows(token, step) ? step : new BatchStep.Rejected(step.operation(), ApiException.forbidden()));
        }
        return authorised;
    }

    /** The reads of a batch of reads only that the token may run, in order: what the batch reads. */
    public static List<Read> allowedReads(Token token, List<BatchStep> steps) {
        List<Read> reads = new ArrayList<>();
        for (BatchStep step : steps) {
            if (step instanceof BatchStep.Planned planned && allows(token, step)) {
                reads.add(planned.read());
            }
        }
        return reads;
    }

    /** Whether the token may perform the write as its plain request (CONTRACT.md sections 5 and 6). */
    private static boolean allows(Token token, Write write) {
        if (write instanceof Write.Create || write instanceof Write.TestReport) {
            return token.mayReport(write.collection());
        }
        return write instanceof Write.Update ? token.mayUpdate(write.collection()) : token.mayDelete(write.collection());
    }

    /** A rejected step is not the token's to refuse: it keeps the planner's reason. */
    private static boolean allows(Token token, BatchStep step) {
        if (step instanceof BatchStep.Planned planned) {
            return planned.read().collections().stream().allMatch(token::mayRead);
        }
        return !(step instanceof BatchStep.Writing writing) || allows(token, writing.write());
    }
}

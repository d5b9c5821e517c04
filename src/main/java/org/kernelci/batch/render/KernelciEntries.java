package org.kernelci.batch.render;

import java.util.ArrayList;
import java.util.List;
import org.kernelci.batch.Problem;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.BatchOperation;

/**
 * Outcomes in the kernelci batch format (CONTRACT.md section 4): {@code {"code":200,"result":[entries]}},
 * each entry with its operation's {@code operation_id} and its own {@code code}. A kernelci batch
 * only reads, so its outcomes are reads or failures (each entry its problem's code and reason).
 */
public final class KernelciEntries {
    private KernelciEntries() {
    }

    /** Writes the envelope's {@code result} member, list operations in the shape {@code lists}. */
    public static void write(JsonOutput json, List<BatchOperation> operations, List<Outcome> outcomes, ListShape lists) {
        List<BatchEntry> entries = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            BatchOperation operation = operations.get(i);
            Outcome outcome = outcomes.get(i);
            int code = outcome.failure().map(Problem::status).orElse(200);
            entries.add(new BatchEntry(operation.operationId(), code, outcome, operation.countKey()));
        }
        OutcomeWriter.writeBatch(json, entries, lists);
    }
}

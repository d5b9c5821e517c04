package org.kernelci.batch.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.BatchOperation;

/**
 * A batch's wire format, at the pipeline's two edges: how a body spells operations, and how
 * their outcomes are written. Between the two, planning, authorisation and execution never see
 * it. To add a dialect: its parser in {@code parse/}, its writer in {@code render/}, a class
 * here, and where {@link BatchPipeline} (or the resource, for a content type) picks it.
 */
public interface Dialect {
    /** The body's operations, in order; a malformed body is an {@code ApiException} naming the culprit. */
    List<BatchOperation> operations(byte[] body);

    /** Writes the outcomes, one per operation, in the dialect's wire format (a 200's body). */
    void write(OutputStream out, List<BatchOperation> operations, List<Outcome> outcomes) throws IOException;
}

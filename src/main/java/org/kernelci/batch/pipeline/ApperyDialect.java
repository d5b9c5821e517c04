package org.kernelci.batch.pipeline;

import java.io.OutputStream;
import java.util.List;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.ApperyBatchParser;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.render.ApperyResults;
import org.kernelci.batch.render.JsonOutput;

/** Appery.io's dialect (CONTRACT.md section 7): a JSON array of operations, answered by a positional array. */
final class ApperyDialect implements Dialect {
    @Override
    public List<BatchOperation> operations(byte[] body) {
        return ApperyBatchParser.parse(body);
    }

    @Override
    public void write(OutputStream out, List<BatchOperation> operations, List<Outcome> outcomes) {
        JsonOutput json = new JsonOutput(out);
        ApperyResults.write(json, outcomes);
        json.flush();
    }
}

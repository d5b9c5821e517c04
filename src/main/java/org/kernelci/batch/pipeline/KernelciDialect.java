package org.kernelci.batch.pipeline;

import java.io.OutputStream;
import java.util.List;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.BatchOperation;
import org.kernelci.batch.parse.BatchRequestParser;
import org.kernelci.batch.render.JsonOutput;
import org.kernelci.batch.render.KernelciEntries;
import org.kernelci.batch.render.ListShape;

/**
 * The kernelci dialect (CONTRACT.md section 4): a JSON object with a {@code batch} array, answered
 * {@code {"code":200,"result":[entries]}}. It runs reads only: its parser refuses other methods.
 */
final class KernelciDialect implements Dialect {
    private final ListShape lists;

    KernelciDialect(ListShape lists) {
        this.lists = lists;
    }

    @Override
    public List<BatchOperation> operations(byte[] body) {
        return BatchRequestParser.parse(body);
    }

    @Override
    public void write(OutputStream out, List<BatchOperation> operations, List<Outcome> outcomes) {
        JsonOutput json = new JsonOutput(out);
        json.beginObject().name("code").value(200);
        KernelciEntries.write(json, operations, outcomes, lists);
        json.endObject();
        json.flush();
    }
}

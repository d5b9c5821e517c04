package org.kernelci.batch.parse;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * A {@code POST /batch} body as operations, and the dialect it came in, which only the response
 * needs: a JSON array is Appery's (CONTRACT.md section 7), anything else kernelci's (section 4).
 * ArangoDB's (section 8) is told by its Content-Type and read by {@link ArangoEnvelope}.
 */
public record BatchBody(Dialect dialect, List<BatchOperation> operations) {
    /** The wire formats of a batch: how operations are spelled and outcomes written. */
    public enum Dialect {
        KERNELCI, APPERY,
        /** {@code multipart/form-data}: raw HTTP requests, read by {@link ArangoEnvelope}, not by {@link #parse}. */
        ARANGO
    }

    public BatchBody {
        operations = List.copyOf(operations);
    }

    public static BatchBody parse(byte[] body) {
        JsonValue root = JsonBody.read(body);
        return root instanceof JsonArray array
                ? new BatchBody(Dialect.APPERY, ApperyBatchParser.parse(array))
                : new BatchBody(Dialect.KERNELCI, BatchRequestParser.parse(root));
    }
}

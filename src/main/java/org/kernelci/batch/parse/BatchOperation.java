package org.kernelci.batch.parse;

import jakarta.json.JsonValue;
import org.kernelci.batch.ApiException;

/**
 * One operation of a batch body, as sent: the two spellings of the kernelci docs folded into one
 * shape. Absent members are null.
 *
 * @param index        the position in the batch, from 0
 * @param operationId  the {@code operation_id} as JSON text, to echo verbatim
 * @param method       the HTTP method the operation asks for
 * @param collection   {@code collection} or {@code resource}
 * @param document     {@code document_id} or {@code document}
 * @param query        the query string
 * @param distinct     the field whose distinct values are wanted (the original's later API)
 * @param countKey     how a count names its collection in the answer: the key that named the
 *                     collection in the request ({@code collection} or {@code resource})
 * @param data         the document a POST or PUT writes (null for reads and DELETE)
 * @param refusal      why the body's dialect will not run it, answered as its entry (a dialect
 *                     that executes no writes refuses them at its edge); null when it may run
 */
public record BatchOperation(
        int index,
        String operationId,
        String method,
        String collection,
        String document,
        String query,
        String distinct,
        String countKey,
        JsonValue data,
        ApiException refusal) {
}

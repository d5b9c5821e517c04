package org.kernelci.batch.parse;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kernelci.batch.ApiException;

/**
 * Reads a {@code POST /batch} body (CONTRACT.md section 4): strict UTF-8 JSON (else 422), then
 * its structure (else 400 with a reason that points at the operation and key). Both spellings,
 * {@code collection}/{@code document_id} and {@code resource}/{@code document}, are accepted, even
 * mixed. A JSON null member counts as absent.
 */
public final class BatchRequestParser {
    private static final Set<String> KEYS =
            Set.of("method", "operation_id", "collection", "document_id", "resource", "document", "query", "distinct");
    /** The kernelci dialect executes reads only (CONTRACT.md section 4): another method is its entry's 501. */
    private static final String READ = "GET";
    private static final String NOT_A_BATCH =
            "Provided JSON is not valid: expected an object with a non-empty array 'batch'";

    private BatchRequestParser() {
    }

    public static List<BatchOperation> parse(byte[] body) {
        return parse(JsonBody.read(body));
    }

    /** The operations of a body already read as JSON. */
    public static List<BatchOperation> parse(JsonValue root) {
        if (!(root instanceof JsonObject object) || !(object.get("batch") instanceof JsonArray batch)
                || batch.isEmpty()) {
            throw ApiException.badRequest(NOT_A_BATCH);
        }
        List<BatchOperation> operations = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            operations.add(operation(i, batch.get(i)));
        }
        return operations;
    }

    private static BatchOperation operation(int index, JsonValue value) {
        String at = "batch[" + index + "]";
        if (!(value instanceof JsonObject object)) {
            throw ApiException.badRequest(at + ": expected an object");
        }
        for (String key : object.keySet()) {
            if (!KEYS.contains(key)) {
                throw ApiException.badRequest(at + ": unknown key '" + key + "'");
            }
        }
        Map<String, String> strings = new java.util.HashMap<>();
        for (String key : KEYS) {
            JsonValue member = object.get(key);
            if (key.equals("operation_id") || member == null || member == JsonValue.NULL) {
                continue;
            }
            if (!(member instanceof JsonString string)) {
                throw ApiException.badRequest(at + ": '" + key + "' must be a string");
            }
            strings.put(key, string.getString());
        }
        String collection = same(at, strings, "collection", "resource");
        String document = same(at, strings, "document_id", "document");
        JsonValue operationId = object.get("operation_id");
        String method = strings.get("method");
        return new BatchOperation(index,
                operationId == null ? null : operationId.toString(),
                method,
                collection,
                document,
                strings.get("query"),
                strings.get("distinct"),
                strings.containsKey("collection") ? "collection" : "resource",
                null,
                method == null || method.equalsIgnoreCase(READ) ? null : new ApiException(501, "Method not implemented"));
    }

    private static String same(String at, Map<String, String> strings, String older, String later) {
        String first = strings.get(older);
        String second = strings.get(later);
        if (first != null && second != null && !first.equals(second)) {
            throw ApiException.badRequest(at + ": '" + older + "' and '" + later + "' differ");
        }
        return first != null ? first : second;
    }
}

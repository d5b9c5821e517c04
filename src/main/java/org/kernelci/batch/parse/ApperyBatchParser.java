package org.kernelci.batch.parse;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.kernelci.batch.ApiException;

/**
 * Reads an Appery.io batch (CONTRACT.md section 7, seed 003): a JSON array of operations with
 * {@code method}, {@code collection}, {@code _id}, {@code data} and, beyond Appery, {@code query}.
 * Only the shape is checked here (else a 400 for the whole batch naming the element); whether an
 * operation can run is its own entry's answer. A JSON null member counts as absent.
 */
public final class ApperyBatchParser {
    private static final Set<String> MEMBERS = Set.of("method", "collection", "_id", "data", "query");
    private static final Set<String> STRINGS = Set.of("method", "collection", "_id", "query");

    private ApperyBatchParser() {
    }

    /** The operations of a body (strict UTF-8 JSON, else 422) that is a JSON array. */
    public static List<BatchOperation> parse(byte[] body) {
        if (!(JsonBody.read(body) instanceof JsonArray batch)) {
            throw ApiException.badRequest("Provided JSON is not valid: expected a non-empty array of operations");
        }
        return parse(batch);
    }

    public static List<BatchOperation> parse(JsonArray batch) {
        if (batch.isEmpty()) {
            throw ApiException.badRequest("Provided JSON is not valid: expected a non-empty array of operations");
        }
        List<BatchOperation> operations = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            operations.add(operation(i, batch.get(i)));
        }
        return operations;
    }

    private static BatchOperation operation(int index, JsonValue value) {
        String at = "[" + index + "]";
        if (!(value instanceof JsonObject object)) {
            throw ApiException.badRequest(at + ": expected an object");
        }
        for (String key : object.keySet()) {
            if (!MEMBERS.contains(key)) {
                throw ApiException.badRequest(at + ": unknown member '" + key + "'");
            }
        }
        for (String key : STRINGS) {
            JsonValue member = object.get(key);
            if (member != null && member != JsonValue.NULL && !(member instanceof JsonString)) {
                throw ApiException.badRequest(at + ": '" + key + "' must be a string");
            }
        }
        JsonValue data = object.get("data");
        if (data != null && data != JsonValue.NULL && !(data instanceof JsonObject)) {
            throw ApiException.badRequest(at + ": 'data' must be an object");
        }
        String method = string(object, "method");
        String collection = string(object, "collection");
        if (method == null) {
            throw ApiException.badRequest(at + ": 'method' is required");
        }
        if (collection == null) {
            throw ApiException.badRequest(at + ": 'collection' is required");
        }
        return new BatchOperation(index, null, method, collection, string(object, "_id"), string(object, "query"),
                null, "collection", data == JsonValue.NULL ? null : data, null);
    }

    private static String string(JsonObject object, String key) {
        return object.get(key) instanceof JsonString string ? string.getString() : null;
    }
}

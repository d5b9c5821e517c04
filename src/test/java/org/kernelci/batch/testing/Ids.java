package org.kernelci.batch.testing;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Reads ids as the service renders them: {@code {"$oid": "<hex>"}} or a plain string. */
public final class Ids {
    private Ids() {
    }

    public static String of(JsonValue value) {
        if (value instanceof JsonObject object) {
            return object.getString("$oid");
        }
        return ((JsonString) value).getString();
    }

    /** The id of a document, {@code _id}. */
    public static String of(JsonObject document) {
        return of(document.get("_id"));
    }
}

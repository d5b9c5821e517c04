package org.kernelci.batch.ingest;

import java.util.Map;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/**
 * A document as its table row: a value per field that is set, typed for binding (String for ids,
 * text and JSON, Integer, Double, Boolean, OffsetDateTime for timestamps, Long for durations).
 * Absent fields are stored as NULL.
 */
public record StoredDocument(Collection collection, Map<Field, Object> values) {
    public StoredDocument {
        values = Map.copyOf(values);
    }

    public String id() {
        return (String) values.get(collection.idField());
    }

    /** The value of a field by its wire name, or null when it is not set. */
    public Object get(String fieldName) {
        return collection.field(fieldName).map(values::get).orElse(null);
    }
}

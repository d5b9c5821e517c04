package org.kernelci.batch.render;

import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * Writes an outcome's members into an open JSON object: the part a plain GET's envelope and a
 * batch entry share.
 */
public final class OutcomeWriter {
    /** Looked up once: {@code Json.createReader} looks the provider up on every call, in the jars. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private OutcomeWriter() {
    }

    /**
     * @param countKey   the member that names the counted collection: {@code collection}, or
     *                   {@code resource} for batches in the later spelling
     * @param batchEntry whether the members are a batch entry's: count items put {@code count}
     *                   before the name, and distinct values are wrapped as the original's batch
     *                   wrapped them
     */
    public static void writeMembers(JsonOutput json, Outcome outcome, String countKey, boolean batchEntry) {
        if (outcome instanceof Outcome.Documents documents) {
            json.name("count").value(documents.count());
            json.name("limit").value(documents.limit());
            json.name("skip").value(documents.skip());
            writeDocuments(json, documents);
        } else if (outcome instanceof Outcome.Document document) {
            json.name("result").beginArray();
            writeDocument(json, document.projection(), document.row());
            json.endArray();
        } else if (outcome instanceof Outcome.Counts counts) {
            json.name("result").beginArray();
            for (Outcome.Tally tally : counts.tallies()) {
                json.beginObject();
                if (batchEntry) {
                    json.name("count").value(tally.count()).name(countKey).value(tally.name());
                } else {
                    json.name(countKey).value(tally.name()).name("count").value(tally.count());
                }
                json.endObject();
            }
            json.endArray();
        } else if (outcome instanceof Outcome.Values values) {
            if (batchEntry) {
                json.name("result").beginArray().beginObject();
                writeValues(json, values);
                json.endObject().endArray();
            } else {
                writeValues(json, values);
            }
        } else if (outcome instanceof Outcome.BootRegression regression) {
            json.name("count").value(regression.count()).name("result").raw(regression.documents());
        } else if (outcome instanceof Outcome.Bisection bisection) {
            json.name("result").beginArray().raw(bisection.document()).endArray();
        } else if (outcome instanceof Outcome.DistinctCount distinctCount) {
            json.name("result").beginArray().beginObject()
                    .name("field").value(distinctCount.field())
                    .name("count").value(distinctCount.count())
                    .name(countKey).value(distinctCount.name())
                    .endObject().endArray();
        } else {
            // A failure, or a missing document: its problem's reason.
            json.name("reason").value(outcome.failure().orElseThrow().reason());
        }
    }

    /**
     * {@code "result":[documents]}; a group's document read without {@code field} is also its own
     * {@code result} member, where the original's aggregate put it.
     */
    private static void writeDocuments(JsonOutput json, Outcome.Documents documents) {
        json.name("result").beginArray();
        for (Object[] row : documents.rows()) {
            if (documents.shape() == Outcome.Shape.WHOLE_GROUPS) {
                json.beginObject();
                writeFields(json, documents.projection(), row);
                json.name("result");
                writeDocument(json, documents.projection(), row);
                json.endObject();
            } else {
                writeDocument(json, documents.projection(), row);
            }
        }
        json.endArray();
    }

    /** {@code "result":[values],"count":N}: distinct values as the original's later API answered them. */
    private static void writeValues(JsonOutput json, Outcome.Values values) {
        json.name("result").beginArray();
        for (Object value : values.values()) {
            writeValue(json, values.field().type(), value);
        }
        json.endArray();
        json.name("count").value(values.count());
    }

    /**
     * Writes a batch's {@code result} member: one entry per operation, in request order, each
     * with its {@code operation_id} as sent and its own {@code code}; list operations in the
     * shape the service is set to ({@link ListShape}).
     */
    public static void writeBatch(JsonOutput json, List<BatchEntry> entries, ListShape lists) {
        json.name("result").beginArray();
        for (BatchEntry entry : entries) {
            json.beginObject();
            if (entry.operationId() != null) {
                json.name("operation_id").raw(entry.operationId());
            }
            json.name("code").value(entry.code());
            if (lists == ListShape.ORIGINAL && entry.outcome() instanceof Outcome.Documents documents
                    && documents.shape() == Outcome.Shape.LIST) {
                json.name("result").beginArray().beginObject();
                writeDocuments(json, documents);
                json.name("count").value(documents.count()).name("limit").value(documents.limit());
                json.endObject().endArray();
            } else {
                writeMembers(json, entry.outcome(), entry.countKey(), true);
            }
            json.endObject();
        }
        json.endArray();
    }

    /**
     * A document: its fields in declaration order (an alias such as {@code build_id} written
     * beside its field), then the members its extras keep. An unset field is written as its
     * type says ({@code null}, {@code []} or <code>{}</code>), as the original's models wrote every
     * member: real clients read them unguarded (CONTRACT.md section 1).
     */
    public static void writeDocument(JsonOutput json, List<Field> projection, Object[] row) {
        json.beginObject();
        writeFields(json, projection, row);
        json.endObject();
    }

    /** A document's members, in an open object. */
    private static void writeFields(JsonOutput json, List<Field> projection, Object[] row) {
        for (int i = 0; i < projection.size(); i++) {
            Object value = row[i];
            Field field = projection.get(i);
            if (field.type() == FieldType.EXTRAS) {
                if (value != null) {
                    writeExtras(json, (String) value);
                }
                continue;
            }
            json.name(field.name());
            writeValue(json, field.type(), value);
            for (String alias : field.aliases()) {
                json.name(alias);
                writeValue(json, field.type(), value);
            }
        }
    }

    /** A field's value in the kernelci wire format; null is the type's unset value. */
    public static void writeValue(JsonOutput json, FieldType type, Object value) {
        if (value == null) {
            json.raw(type.unset());
            return;
        }
        switch (type) {
            case ID, TEXT -> json.value((String) value);
            case OBJECT_ID -> json.beginObject().name("$oid").value((String) value).endObject();
            case TIMESTAMP, DURATION -> json.beginObject().name("$date").value((Long) value).endObject();
            case INTEGER -> json.value((Integer) value);
            case NUMBER -> json.value((Double) value);
            case BOOLEAN -> json.value((Boolean) value);
            case JSON, LIST, OBJECT -> json.raw((String) value);
            case EXTRAS -> throw new IllegalArgumentException("extras are members, not a value");
        }
    }

    private static void writeExtras(JsonOutput json, String extras) {
        try (JsonReader reader = JSON.createReader(new StringReader(extras))) {
            for (Map.Entry<String, JsonValue> member : reader.readObject().entrySet()) {
                json.name(member.getKey()).raw(member.getValue().toString());
            }
        }
    }
}

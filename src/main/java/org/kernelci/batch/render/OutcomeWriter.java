package org.kernelci.batch.render;

import java.util.List;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.schema.Field;

/**
 * Writes an outcome's members into an open JSON object: the part a plain GET's envelope and a
 * batch entry share. Null fields are left out of documents.
 */
public final class OutcomeWriter {
    private OutcomeWriter() {
    }

    /**
     * @param countKey the member that names the counted collection: {@code collection}, or
     *                 {@code resource} for batches in the later spelling
     * @param countFirst whether count items put {@code count} before the name
     */
    public static void writeMembers(JsonOutput json, Outcome outcome, String countKey, boolean countFirst) {
        if (outcome instanceof Outcome.Documents documents) {
            json.name("count").value(documents.count());
            json.name("limit").value(documents.limit());
            json.name("skip").value(documents.skip());
            json.name("result").beginArray();
            for (Object[] row : documents.rows()) {
                writeDocument(json, documents.projection(), row);
            }
            json.endArray();
        } else if (outcome instanceof Outcome.Document document) {
            json.name("result").beginArray();
            writeDocument(json, document.projection(), document.row());
            json.endArray();
        } else if (outcome instanceof Outcome.Counts counts) {
            json.name("result").beginArray();
            for (Outcome.Tally tally : counts.tallies()) {
                json.beginObject();
                if (countFirst) {
                    json.name("count").value(tally.count()).name(countKey).value(tally.name());
                } else {
                    json.name(countKey).value(tally.name()).name("count").value(tally.count());
                }
                json.endObject();
            }
            json.endArray();
        } else {
            json.name("reason").value(((Outcome.Failure) outcome).reason());
        }
    }

    /**
     * Writes a batch's {@code result} member: one entry per operation, in request order, each
     * with its {@code operation_id} as sent and its own {@code code}.
     */
    public static void writeBatch(JsonOutput json, List<BatchEntry> entries) {
        json.name("result").beginArray();
        for (BatchEntry entry : entries) {
            json.beginObject();
            if (entry.operationId() != null) {
                json.name("operation_id").raw(entry.operationId());
            }
            json.name("code").value(entry.code());
            writeMembers(json, entry.outcome(), entry.countKey(), true);
            json.endObject();
        }
        json.endArray();
    }

    public static void writeDocument(JsonOutput json, List<Field> projection, Object[] row) {
        json.beginObject();
        for (int i = 0; i < projection.size(); i++) {
            Object value = row[i];
            if (value == null) {
                continue;
            }
            Field field = projection.get(i);
            json.name(field.name());
            switch (field.type()) {
                case ID, TEXT -> json.value((String) value);
                case REF -> json.beginObject().name("$oid").value((String) value).endObject();
                case TIMESTAMP, DURATION -> json.beginObject().name("$date").value((Long) value).endObject();
                case INTEGER -> json.value((Integer) value);
                case NUMBER -> json.value((Double) value);
                case BOOLEAN -> json.value((Boolean) value);
                case JSON -> json.raw((String) value);
            }
        }
        json.endObject();
    }
}

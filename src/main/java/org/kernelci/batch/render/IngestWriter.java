package org.kernelci.batch.render;

import java.util.List;
import java.util.Map;
import org.kernelci.batch.ingest.ImportSummary;
import org.kernelci.batch.schema.FieldType;

/** Writes the results of writes: the ids of stored reports, the summary of an import. */
public final class IngestWriter {
    private IngestWriter() {
    }

    /** {@code "result":[{"_id":{"$oid":"..."}}, ...]}: one entry per report, in request order. */
    public static void writeIds(JsonOutput json, List<String> ids) {
        json.name("result").beginArray();
        for (String id : ids) {
            json.beginObject().name("_id");
            OutcomeWriter.writeValue(json, FieldType.OBJECT_ID, id);
            json.endObject();
        }
        json.endArray();
    }

    /**
     * {@code "result":[{"imported":N,"rejected":M,"errors":[{"line":L,"reason":"..."}],
     * "extra_members":{"name":documents}}]}.
     */
    public static void writeImport(JsonOutput json, ImportSummary summary) {
        json.name("result").beginArray().beginObject();
        json.name("imported").value(summary.imported());
        json.name("rejected").value(summary.rejected());
        json.name("errors").beginArray();
        for (ImportSummary.LineError error : summary.errors()) {
            json.beginObject().name("line").value(error.line()).name("reason").value(error.reason()).endObject();
        }
        json.endArray();
        json.name("extra_members").beginObject();
        for (Map.Entry<String, Long> member : summary.extraMembers().entrySet()) {
            json.name(member.getKey()).value(member.getValue());
        }
        json.endObject();
        json.endObject().endArray();
    }
}

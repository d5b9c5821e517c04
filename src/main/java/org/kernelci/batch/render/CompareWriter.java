package org.kernelci.batch.render;

import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * Writes a comparison (CONTRACT.md section 12.5) as {@code "result":[c]}: c is
 * <code>{"_id": {"$oid": id}, "baseline": ..., "compare_to": [...]}</code>, and for jobs also
 * {@code "delta_result"}. Builds and boots are written as a GET renders them, but for a build's
 * {@code dtb_dir_data}: the number of its entries, which kernelci-frontend's build comparison
 * shows (the original's compare did the same).
 */
public final class CompareWriter {
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Field DTB_DIR_DATA = Collections.DEFCONFIG.field("dtb_dir_data").orElseThrow();
    private static final Field DTB_COUNT = new Field(DTB_DIR_DATA.name(), DTB_DIR_DATA.column(), FieldType.INTEGER);

    private CompareWriter() {
    }

    public static void write(JsonOutput json, String id, Outcome.Comparison comparison) {
        json.name("result").beginArray().beginObject();
        json.name("_id");
        OutcomeWriter.writeValue(json, FieldType.OBJECT_ID, id);
        List<Outcome.Document> compared = comparison.compared();
        json.name("baseline");
        document(json, compared.get(0));
        json.name("compare_to").beginArray();
        for (Outcome.Document target : compared.subList(1, compared.size())) {
            document(json, target);
        }
        json.endArray();
        comparison.delta().ifPresent(delta -> json.name("delta_result").raw(delta));
        json.endObject().endArray();
    }

    private static void document(JsonOutput json, Outcome.Document document) {
        int dtb = document.projection().indexOf(DTB_DIR_DATA);
        if (dtb < 0) {
            OutcomeWriter.writeDocument(json, document.projection(), document.row());
            return;
        }
        List<Field> projection = new ArrayList<>(document.projection());
        projection.set(dtb, DTB_COUNT);
        Object[] row = document.row().clone();
        row[dtb] = entries((String) row[dtb]);
        OutcomeWriter.writeDocument(json, projection, row);
    }

    /** How many entries a stored list has; none when unset or not a list. */
    private static int entries(String list) {
        if (list == null) {
            return 0;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(list))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonArray array ? array.size() : 0;
        }
    }
}

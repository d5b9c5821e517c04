package org.kernelci.batch.plan;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.ingest.FieldValues;
import org.kernelci.batch.ingest.ReportForm;
import org.kernelci.batch.ingest.ReportForms;
import org.kernelci.batch.ingest.ReportReader;
import org.kernelci.batch.ingest.TestGroupReader;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * Checks and converts writes (CONTRACT.md section 6), for plain requests and batch operations
 * alike: a report as {@code POST /<collection>} reads it, a change as an import line converts
 * its members ({@link FieldValues}, the one conversion), an id as {@code GET /<collection>/<id>}.
 */
public final class WritePlanner {
    /** Members the server sets: a PUT may not. */
    private static final Set<String> SET_BY_THE_SERVER = Set.of(Collection.ID, "created_on", "updated_on");

    private final Clock clock;

    public WritePlanner(Clock clock) {
        this.clock = clock;
    }

    /**
     * Reports of the collection: documents of a report form, or test groups with what they hold; a
     * collection without reports (lab, test cases, the views) is a 405, as its plain POST.
     */
    public Write create(Collection collection, JsonValue data) {
        if (collection == Collections.TEST_GROUP) {
            return new Write.TestReport(collection, TestGroupReader.read(data, clock.instant()));
        }
        ReportForm form = ReportForms.of(collection)
                .orElseThrow(() -> new ApiException(405, "Operation not allowed"));
        return new Write.Create(collection, ReportReader.read(form, data, clock.instant()));
    }

    /** Whether {@code POST /<collection>} takes reports of the collection (CONTRACT.md sections 6 and 12.6). */
    public static boolean takesReports(Collection collection) {
        return collection == Collections.TEST_GROUP || ReportForms.of(collection).isPresent();
    }

    /** The members of a PUT body, every problem named in one 400; a view is a 405. */
    public Write.Update update(Collection collection, String id, JsonValue body) {
        writable(collection);
        String typedId = id(id);
        if (!(body instanceof JsonObject object)) {
            throw ApiException.badRequest("Invalid document: expected a JSON object");
        }
        Map<Field, Object> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            String name = member.getKey();
            Optional<Field> field = collection.field(name);
            if (SET_BY_THE_SERVER.contains(name)) {
                problems.add("'" + name + "' cannot be set");
            } else if (field.isEmpty()) {
                problems.add("unknown member '" + name + "'");
            } else if (!field.get().isStored()) {
                problems.add("'" + name + "' is computed from other documents: it cannot be set");
            } else if (member.getValue() == JsonValue.NULL) {
                values.put(field.get(), null);
            } else {
                try {
                    values.put(field.get(), FieldValues.value(field.get().type(), member.getValue()));
                } catch (IllegalArgumentException e) {
                    problems.add(FieldValues.refused(name, field.get().type(), member.getValue()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("Invalid document: " + String.join("; ", problems));
        }
        Instant now = clock.instant();
        values.put(collection.field("updated_on").orElseThrow(), now.atOffset(ZoneOffset.UTC));
        return new Write.Update(collection, typedId, values);
    }

    public Write.Delete delete(Collection collection, String id) {
        writable(collection);
        return new Write.Delete(collection, id(id));
    }

    /** Views are computed when read: no method writes them (CONTRACT.md section 12). */
    private static void writable(Collection collection) {
        if (collection.isView()) {
            throw new ApiException(405, "Operation not allowed");
        }
    }

    /** A document id as a route gives it: 24 hex digits (stored lowercase), else a 400. */
    public static String id(String id) {
        try {
            return (String) FieldType.ID.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong ID value provided");
        }
    }
}

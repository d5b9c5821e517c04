package org.kernelci.batch.ingest;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.ingest.ReportForm.Member;
import org.kernelci.batch.parse.JsonBody;
import org.kernelci.batch.schema.Field;

/**
 * Reads the body of a POST report: one JSON object or a non-empty array of them (else 422 for
 * text that is not JSON, 400 for other JSON), each checked against the collection's
 * {@link ReportForm}. Every problem of every report is listed in one 400, so a client fixes its
 * reports in one round; members the form does not store are kept in the document's extras (the
 * original's validator dropped them; a migration must not).
 */
public final class ReportReader {
    private static final String INVALID = "Invalid report: ";
    /** Fields a report cannot set: its id, times, name and references are the server's. */
    private static final Set<String> SERVER_SET =
            Set.of("_id", "created_on", "updated_on", "name", "job_id", "defconfig_id");

    private ReportReader() {
    }

    /**
     * The documents the body reports, complete but for their references to other documents.
     *
     * @param now their {@code created_on}
     */
    public static List<StoredDocument> read(ReportForm form, byte[] body, Instant now) {
        return read(form, JsonBody.read(body), now);
    }

    /** The documents a body already read as JSON reports (a batch operation's data). */
    public static List<StoredDocument> read(ReportForm form, JsonValue root, Instant now) {
        List<JsonValue> reports = root instanceof JsonArray array ? array : List.of(root);
        if (reports.isEmpty()) {
            throw ApiException.badRequest(INVALID + "expected an object or a non-empty array of objects");
        }
        boolean numbered = root instanceof JsonArray;
        StringJoiner problems = new StringJoiner("; ");
        List<StoredDocument> documents = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            String at = numbered ? "[" + i + "] " : "";
            if (!(reports.get(i) instanceof JsonObject report)) {
                problems.add(at + "expected an object");
                continue;
            }
            Map<Field, Object> values = new LinkedHashMap<>();
            List<String> found = check(form, report, values);
            fields(form, report, values, found);
            // Members the form does not store and no field is declared for are kept as the
            // document's extras, not dropped.
            JsonObject extras = ExportFormat.extras(report, name -> form.collection().field(name).isPresent()
                    || form.stores(name), found);
            if (!extras.isEmpty()) {
                values.put(form.collection().extrasField(), extras.toString());
            }
            found.forEach(problem -> problems.add(at + problem));
            if (found.isEmpty()) {
                documents.add(form.document(values, now));
            }
        }
        if (problems.length() > 0) {
            throw ApiException.badRequest(INVALID + problems);
        }
        return documents;
    }

    /**
     * Members the form does not know that are fields of the collection (the later schema's, such
     * as a boot's {@code device_type}): converted by their field's type, as an import line's are.
     * The fields the server sets ({@link #SERVER_SET}) are left to it.
     */
    private static void fields(ReportForm form, JsonObject report, Map<Field, Object> values, List<String> problems) {
        for (Map.Entry<String, JsonValue> member : report.entrySet()) {
            Optional<Field> field = form.collection().field(member.getKey());
            if (field.isEmpty() || form.knows(member.getKey()) || SERVER_SET.contains(field.get().name())
                    || member.getValue() == JsonValue.NULL || values.containsKey(field.get())) {
                continue;
            }
            try {
                values.put(field.get(), FieldValues.value(field.get().type(), member.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add(FieldValues.refused(member.getKey(), field.get().type(), member.getValue()));
            }
        }
    }

    /** The problems of one report, in the form's member order; its stored values go into {@code values}. */
    private static List<String> check(ReportForm form, JsonObject report, Map<Field, Object> values) {
        List<String> problems = new ArrayList<>();
        for (Member member : form.members()) {
            JsonValue value = report.get(member.name());
            if (value == null || value == JsonValue.NULL) {
                if (member.required()) {
                    problems.add("'" + member.name() + "' is required");
                }
                continue;
            }
            Object typed = typed(member, value);
            String name = "'" + member.name() + "'";
            if (typed == null) {
                problems.add(name + " must be " + member.kind().description());
            } else if (typed instanceof String text && hasNul(member, text)) {
                problems.add(name + " must not contain NUL characters");
            } else if (!member.allowed().isEmpty() && !member.allowed().contains(typed)) {
                problems.add(name + " must be one of " + String.join(", ", member.allowed()));
            } else if (member.target().isPresent()) {
                Object stored = switch (member.conversion()) {
                    case AS_IS -> typed;
                    case SECONDS_TO_MILLISECONDS -> milliseconds((Double) typed);
                };
                if (stored == null) {
                    problems.add(name + " must be a number of seconds from 0 to 1e12");
                } else {
                    values.put(member.target().get(), stored);
                }
            }
        }
        return problems;
    }

    /** The value as its member's JSON type wants it, or null when it has another type. */
    private static Object typed(Member member, JsonValue value) {
        return switch (member.kind()) {
            case STRING -> value instanceof JsonString string ? string.getString() : null;
            case INTEGER -> value instanceof JsonNumber number ? integer(number.bigDecimalValue()) : null;
            case NUMBER -> value instanceof JsonNumber number && Double.isFinite(number.doubleValue())
                    ? number.doubleValue() : null;
            case BOOLEAN -> value == JsonValue.TRUE ? Boolean.TRUE : value == JsonValue.FALSE ? Boolean.FALSE : null;
            case OBJECT -> value instanceof JsonObject ? value.toString() : null;
            case ARRAY -> value instanceof JsonArray ? value.toString() : null;
        };
    }

    /** PostgreSQL stores NUL neither in text nor in jsonb, where it appears escaped. */
    private static boolean hasNul(Member member, String text) {
        return switch (member.kind()) {
            case OBJECT, ARRAY -> text.contains("\\u0000");
            case STRING, INTEGER, NUMBER, BOOLEAN -> text.indexOf('\0') >= 0;
        };
    }

    /** An integral value in the range of an int ({@code 3.0} included), or null. */
    private static Integer integer(BigDecimal value) {
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static Long milliseconds(double seconds) {
        if (seconds < 0 || seconds > 1e12) {
            return null;
        }
        return BigDecimal.valueOf(seconds).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}

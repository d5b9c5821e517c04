package org.kernelci.batch.ingest;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.ObjectId;

/**
 * Reads one document of a MongoDB export of the original (one JSON object per line, as
 * {@code mongoexport} writes it) into a row of the collection's table. Each member is converted
 * by the type its field is declared with in {@code Collections}: ids as {@code {"$oid": ...}} or
 * 24 hex digits; dates as {@code {"$date": ms}}, {@code {"$date": "<ISO-8601>"}} or an ISO-8601
 * string; boot {@code time} as {@code {"$date": ms}} or milliseconds; JSON members as they are.
 * Members the declaration does not know are kept as they are in the document's extras and named,
 * since dumps carry fields this schema does not have. A document without {@code _id} gets a new id, one without
 * {@code created_on} the second its id holds (the import's time if it has no id either).
 */
public final class ExportFormat {
    /** Made once: looking the provider up for every line would cost more than parsing it. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());

    /** What one line came to. */
    public sealed interface Reading {
    }

    /**
     * @param extraMembers the members no field is declared for, kept in the extras, in document order
     */
    public record Accepted(StoredDocument document, List<String> extraMembers) implements Reading {
        public Accepted {
            extraMembers = List.copyOf(extraMembers);
        }
    }

    /** @param reason every bad member, or why the line is not a document */
    public record Rejected(String reason) implements Reading {
    }

    private ExportFormat() {
    }

    /**
     * @param now the {@code created_on} of a document without one
     */
    public static Reading read(Collection collection, String line, Instant now) {
        JsonValue parsed;
        try (JsonParser parser = PARSERS.createParser(new StringReader(line))) {
            parser.next();
            parsed = parser.getValue();
            if (parser.hasNext()) {
                return new Rejected("not valid JSON");
            }
        } catch (JsonParsingException e) {
            // At the end of the input the parser's column is past the line: say what happened instead.
            long column = e.getLocation().getColumnNumber();
            return new Rejected(column > 0 && column <= line.length()
                    ? "not valid JSON (column " + column + ")" : "not valid JSON (the line ends too early)");
        } catch (RuntimeException e) {
            return new Rejected("not valid JSON");
        }
        if (!(parsed instanceof JsonObject object)) {
            return new Rejected("not a JSON object");
        }
        Map<Field, Object> values = new HashMap<>();
        List<String> problems = new ArrayList<>();
        JsonObject extras = extras(object, name -> collection.field(name).isPresent(), problems);
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            Optional<Field> field = collection.field(member.getKey());
            // A computed member (a group's test_cases) is derived when read: the line's is ignored.
            if (field.isPresent() && field.get().isStored() && member.getValue() != JsonValue.NULL) {
                try {
                    values.put(field.get(), FieldValues.value(field.get().type(), member.getValue()));
                } catch (IllegalArgumentException e) {
                    problems.add(FieldValues.refused(member.getKey(), field.get().type(), member.getValue()));
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Rejected(String.join("; ", problems));
        }
        Field createdOn = collection.field("created_on").orElseThrow();
        // Without created_on, the time in the id (ObjectIds begin with their creation second), so
        // that importing the line again changes nothing; without an id either, now.
        Object given = values.get(collection.idField());
        Instant fallback = given == null ? now
                : Instant.ofEpochSecond(Long.parseLong(((String) given).substring(0, 8), 16));
        values.putIfAbsent(createdOn, fallback.atOffset(ZoneOffset.UTC));
        Instant created = ((OffsetDateTime) values.get(createdOn)).toInstant();
        values.computeIfAbsent(collection.idField(), id -> ObjectId.generate(created));
        if (!extras.isEmpty()) {
            values.put(collection.extrasField(), extras.toString());
        }
        return new Accepted(new StoredDocument(collection, values), List.copyOf(extras.keySet()));
    }

    /**
     * The members of a document that are not {@code declared} (null members are absent), as
     * they are, in document order: what its extras keep. One with a NUL character, which
     * PostgreSQL cannot store, is a problem. Reports keep theirs the same way.
     */
    public static JsonObject extras(JsonObject document, Predicate<String> declared, List<String> problems) {
        JsonObjectBuilder extras = JSON.createObjectBuilder();
        for (Map.Entry<String, JsonValue> member : document.entrySet()) {
            if (declared.test(member.getKey()) || member.getValue() == JsonValue.NULL) {
                continue;
            }
            if (member.getKey().indexOf('\0') >= 0 || member.getValue().toString().contains("\\u0000")) {
                problems.add("'" + member.getKey().replace("\0", "\\u0000") + "' must be JSON without NUL characters");
            } else {
                extras.add(member.getKey(), member.getValue());
            }
        }
        return extras.build();
    }

}

package org.kernelci.batch.ingest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;
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
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{24}");
    private static final int SHOWN_VALUE_CHARS = 60;
    /** ISO-8601 with an offset as {@code Z}, {@code +01:00} or {@code +0100} (old mongoexport), or none (UTC). */
    private static final DateTimeFormatter ISO_DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

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
            if (field.isPresent() && member.getValue() != JsonValue.NULL) {
                try {
                    values.put(field.get(), value(field.get().type(), member.getValue()));
                } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
                    problems.add("'" + member.getKey() + "' must be " + expected(field.get().type())
                            + ", not " + shown(member.getValue()));
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

    /** The typed value of a member, or an exception when it does not have the field's type. */
    private static Object value(FieldType type, JsonValue json) {
        return switch (type) {
            case OBJECT_ID, ID -> id(json);
            case TEXT -> text(json);
            case INTEGER -> number(json).intValueExact();
            case NUMBER -> finite(number(json).doubleValue());
            case BOOLEAN -> {
                if (json == JsonValue.TRUE || json == JsonValue.FALSE) {
                    yield json == JsonValue.TRUE;
                }
                throw new IllegalArgumentException();
            }
            case TIMESTAMP -> {
                if (json instanceof JsonString) {
                    yield timestamp(json);
                }
                yield timestamp(dateMember(json).orElseThrow(IllegalArgumentException::new));
            }
            case DURATION -> duration(json);
            case JSON, EXTRAS -> json(json);
        };
    }

    private static String expected(FieldType type) {
        return switch (type) {
            case OBJECT_ID, ID -> "{\"$oid\": \"<24 hex digits>\"} or a 24-hex-digit string";
            case TEXT -> "a string without NUL characters";
            case INTEGER -> "an integer";
            case NUMBER -> "a finite number";
            case BOOLEAN -> "true or false";
            case TIMESTAMP -> "{\"$date\": <milliseconds>}, {\"$date\": \"<ISO-8601>\"} or an ISO-8601 string";
            case DURATION -> "{\"$date\": <milliseconds>} or a number of milliseconds, not negative";
            case JSON -> "JSON without NUL characters";
            case EXTRAS -> "a JSON object without NUL characters";
        };
    }

    private static String id(JsonValue json) {
        JsonValue inner = json instanceof JsonObject object && object.size() == 1 ? object.get("$oid") : json;
        if (inner instanceof JsonString string && HEX_ID.matcher(string.getString()).matches()) {
            return string.getString().toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException();
    }

    private static String text(JsonValue json) {
        if (json instanceof JsonString string && string.getString().indexOf('\0') < 0) {
            return string.getString();
        }
        throw new IllegalArgumentException();
    }

    /** PostgreSQL refuses NUL in text and jsonb; such a line is the client's to fix. */
    private static String json(JsonValue json) {
        String text = json.toString();
        if (text.contains("\\u0000")) {
            throw new IllegalArgumentException();
        }
        return text;
    }

    /** A JSON number, or one of the extended-JSON wrappers {@code $numberInt}, {@code $numberLong}, {@code $numberDouble}. */
    private static BigDecimal number(JsonValue json) {
        if (json instanceof JsonNumber number) {
            return number.bigDecimalValue();
        }
        if (json instanceof JsonObject object && object.size() == 1) {
            for (String wrapper : List.of("$numberInt", "$numberLong", "$numberDouble")) {
                if (object.get(wrapper) instanceof JsonString string) {
                    return new BigDecimal(string.getString());
                }
            }
        }
        throw new IllegalArgumentException();
    }

    private static double finite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private static Optional<JsonValue> dateMember(JsonValue json) {
        if (json instanceof JsonObject object && object.size() == 1 && object.containsKey("$date")) {
            return Optional.of(object.get("$date"));
        }
        return Optional.empty();
    }

    private static OffsetDateTime timestamp(JsonValue json) {
        OffsetDateTime value = json instanceof JsonString string
                ? isoDateTime(string.getString())
                : Instant.ofEpochMilli(number(json).longValueExact()).atOffset(ZoneOffset.UTC);
        if (value.getYear() < 0 || value.getYear() > 9999) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private static long duration(JsonValue json) {
        JsonValue inner = dateMember(json).orElse(json);
        long millis = inner instanceof JsonString
                ? timestamp(inner).toInstant().toEpochMilli()
                : number(inner).longValueExact();
        if (millis < 0) {
            throw new IllegalArgumentException();
        }
        return millis;
    }

    private static OffsetDateTime isoDateTime(String text) {
        if (text.length() <= 10) {
            return FieldType.parseDay(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        TemporalAccessor parsed = ISO_DATE_TIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime withOffset
                ? withOffset.withOffsetSameInstant(ZoneOffset.UTC)
                : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC);
    }

    private static String shown(JsonValue json) {
        String text = json.toString();
        return text.length() <= SHOWN_VALUE_CHARS ? text : text.substring(0, SHOWN_VALUE_CHARS) + "...";
    }
}

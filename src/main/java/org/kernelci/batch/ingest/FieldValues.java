package org.kernelci.batch.ingest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.kernelci.batch.schema.FieldType;

/**
 * The one conversion of a JSON member into its field's typed value, shared by every write that
 * takes documents' members as they are stored: an import line ({@link ExportFormat}) and a
 * {@code PUT} (the write planner). Ids as {@code {"$oid": ...}} or 24 hex digits; dates as
 * {@code {"$date": ms}}, {@code {"$date": "<ISO-8601>"}} or an ISO-8601 string; boot
 * {@code time} as {@code {"$date": ms}} or milliseconds; JSON members as they are.
 */
public final class FieldValues {
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{24}");
    private static final int SHOWN_VALUE_CHARS = 60;
    /** ISO-8601 with an offset as {@code Z}, {@code +01:00} or {@code +0100} (old mongoexport), or none (UTC). */
    private static final DateTimeFormatter ISO_DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    private FieldValues() {
    }

    /**
     * The typed value of a member (as {@link org.kernelci.batch.ingest.StoredDocument} holds it).
     *
     * @throws IllegalArgumentException when it does not have the field's type
     */
    public static Object value(FieldType type, JsonValue json) {
        try {
            return convert(type, json);
        } catch (ArithmeticException | DateTimeException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Why a member was refused: {@code 'name' must be <what the type takes>, not <value>}. */
    public static String refused(String name, FieldType type, JsonValue json) {
        return "'" + name + "' must be " + expected(type) + ", not " + shown(json);
    }

    private static Object convert(FieldType type, JsonValue json) {
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
            case JSON, LIST, OBJECT, EXTRAS -> json(json);
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
            case JSON, LIST, OBJECT -> "JSON without NUL characters";
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

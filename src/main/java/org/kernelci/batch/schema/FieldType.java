package org.kernelci.batch.schema;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The storage and wire type of a field. Each constant knows its PostgreSQL type (used only in
 * casts of bind parameters) and how to turn query-string text into a typed value.
 */
public enum FieldType {
    /**
     * A document id, 24 lowercase hex digits rendered as {"$oid": ...} as the original's
     * ObjectIds were: every {@code _id} and every reference to another document.
     */
    OBJECT_ID("char(24)", "a 24-digit hexadecimal id"),
    /** An id rendered as a plain string: the lab's {@code token}, a string in {@code get_lab.json}. */
    ID("char(24)", "a 24-digit hexadecimal id"),
    TEXT("text", "text without NUL characters"),
    INTEGER("integer", "an integer"),
    NUMBER("double precision", "a number"),
    BOOLEAN("boolean", "true, false, 1 or 0"),
    /** An instant, rendered as {"$date": epoch milliseconds}. */
    TIMESTAMP("timestamptz", "a date (YYYY-MM-DD, YYYYMMDD or ISO-8601 date-time)"),
    /** A duration in milliseconds, rendered as {"$date": milliseconds} as the original did. */
    DURATION("bigint", "a duration in milliseconds"),
    /** A free-form JSON member: rendered as stored ({@code null} when unset), never filtered or sorted. */
    JSON("jsonb", "JSON"),
    /** A JSON list, free-form like {@link #JSON}, written {@code []} when unset, as the original's models filled it. */
    LIST("jsonb", "JSON"),
    /** A JSON object, free-form like {@link #JSON}, written <code>{}</code> when unset, as the original's models filled it. */
    OBJECT("jsonb", "JSON"),
    /**
     * A jsonb object of the members no field is declared for, each rendered as a member of the
     * document itself; never named by a request.
     */
    EXTRAS("jsonb", "a JSON object");

    private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{24}");
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,4})?");
    /** Four-digit years only: the range PostgreSQL's timestamptz holds, even after date_range. */
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}");
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private final String sqlType;
    private final String expected;

    FieldType(String sqlType, String expected) {
        this.sqlType = sqlType;
        this.expected = expected;
    }

    /** The PostgreSQL type name bind parameters are cast to. */
    public String sqlType() {
        return sqlType;
    }

    /** What a valid value looks like, for error reasons. */
    public String expected() {
        return expected;
    }

    /** Whether the field can be filtered and sorted. */
    public boolean isScalar() {
        return switch (this) {
            case JSON, LIST, OBJECT, EXTRAS -> false;
            case OBJECT_ID, ID, TEXT, INTEGER, NUMBER, BOOLEAN, TIMESTAMP, DURATION -> true;
        };
    }

    /**
     * What a document says for the field when it is unset: JSON {@code null}, or for lists and
     * objects {@code []} and <code>{}</code> (CONTRACT.md section 1: real clients read them unguarded).
     */
    public String unset() {
        return switch (this) {
            case LIST -> "[]";
            case OBJECT -> "{}";
            case OBJECT_ID, ID, TEXT, INTEGER, NUMBER, BOOLEAN, TIMESTAMP, DURATION, JSON, EXTRAS -> "null";
        };
    }

    /**
     * The typed value of query-string text: String for ids and text, Integer, Double, Boolean,
     * OffsetDateTime (UTC) or Long (milliseconds).
     *
     * @throws IllegalArgumentException when the text is not a value of this type
     */
    public Object parse(String text) {
        switch (this) {
            case OBJECT_ID, ID -> {
                if (!HEX_ID.matcher(text).matches()) {
                    throw new IllegalArgumentException(text);
                }
                return text.toLowerCase(Locale.ROOT);
            }
            case TEXT -> {
                // PostgreSQL text cannot hold NUL.
                if (text.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException(text);
                }
                return text;
            }
            case INTEGER -> {
                long value = parseWhole(text);
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(text);
                }
                return (int) value;
            }
            case NUMBER -> {
                if (!DECIMAL.matcher(text.strip()).matches()) {
                    throw new IllegalArgumentException(text);
                }
                double value = Double.parseDouble(text.strip());
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException(text);
                }
                return value;
            }
            case BOOLEAN -> {
                return switch (text.strip().toLowerCase(Locale.ROOT)) {
                    case "true", "1" -> Boolean.TRUE;
                    case "false", "0" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(text);
                };
            }
            case TIMESTAMP -> {
                return parseInstant(text.strip());
            }
            case DURATION -> {
                return parseWhole(text);
            }
            case JSON, LIST, OBJECT, EXTRAS -> throw new IllegalArgumentException(text);
        }
        throw new AssertionError(this);
    }

    /**
     * A whole number written in ASCII digits (surrounding spaces ignored): {@code Long.parseLong}
     * alone would also take other scripts' digits.
     */
    public static long parseWhole(String text) {
        String trimmed = text.strip();
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(text);
        }
        return Long.parseLong(trimmed);
    }

    /** A calendar day as {@code YYYY-MM-DD} or {@code YYYYMMDD}. */
    public static LocalDate parseDay(String text) {
        if (!DAY.matcher(text).matches()) {
            throw new IllegalArgumentException(text);
        }
        try {
            return text.length() == 8 ? LocalDate.parse(text, BASIC_DATE) : LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static OffsetDateTime parseInstant(String text) {
        if (text.length() <= 10) {
            return parseDay(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text);
            if (parsed.getYear() < 0 || parsed.getYear() > 9999) {
                throw new IllegalArgumentException(text);
            }
            return parsed.withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}

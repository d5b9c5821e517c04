package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;

/**
 * Documents as JSON built by SQL, for answers that hold documents inside a computed value (a
 * boot's regression, a bisection): member for member what the plain GET writes
 * ({@code render/OutcomeWriter}), made from the declarations, so that a new field appears in
 * them too. Each field in declaration order, an alias beside its field, ids as
 * <code>{"$oid"}</code>, times and durations as <code>{"$date": ms}</code>, an unset field as its
 * type's unset value, then the extras' members. {@code json}, not {@code jsonb}: it keeps the
 * members in that order.
 */
final class DocumentJson {
    /** Members per {@code json_build_object}: two arguments each, PostgreSQL's limit being 100. */
    static final int MEMBERS_PER_CALL = 50;

    private DocumentJson() {
    }

    /** The document of the row {@code alias} (a row of the collection's source), with every field. */
    static String of(Collection collection, String alias) {
        return of(collection.fields(), alias);
    }

    /**
     * The document of the row {@code alias} with these fields, in their order: a projection of a
     * collection's fields ({@code field}/{@code nfield} applied).
     */
    static String of(List<Field> fields, String alias) {
        List<String> members = new ArrayList<>();
        String extras = null;
        for (Field field : fields) {
            String column = alias + "." + quote(field.column());
            if (field.type() == FieldType.EXTRAS) {
                extras = column;
                continue;
            }
            String value = value(field.type(), column);
            members.add(literal(field.name()) + ", " + value);
            for (String other : field.aliases()) {
                members.add(literal(other) + ", " + value);
            }
        }
        return object(members, extras);
    }

    /**
     * An object of {@code 'name', value} pairs in order, then the members of a jsonb object
     * ({@code extras}, null for none): one call when the pairs fit in one, else calls of
     * {@link #MEMBERS_PER_CALL} pairs whose texts are joined into one object.
     */
    static String object(List<String> members, String extras) {
        if (extras == null && members.size() <= MEMBERS_PER_CALL) {
            return "json_build_object(" + String.join(", ", members) + ")";
        }
        StringJoiner parts = new StringJoiner(" || ', ' || ");
        for (int from = 0; from < members.size(); from += MEMBERS_PER_CALL) {
            List<String> piece = members.subList(from, Math.min(members.size(), from + MEMBERS_PER_CALL));
            parts.add(inner("json_build_object(" + String.join(", ", piece) + ")"));
        }
        String text = members.isEmpty() ? "''" : parts.toString();
        if (extras != null) {
            // The extras' members follow the fields, as the plain GET writes them; an empty object adds none.
            String separator = members.isEmpty() ? "" : "', ' || ";
            text += " || CASE WHEN " + extras + " IS NULL OR " + extras + " = '{}'::jsonb THEN '' ELSE " + separator
                    + inner(extras) + " END";
        }
        return "('{' || " + text + " || '}')::json";
    }

    /** The text between the braces of a JSON object's text. */
    private static String inner(String object) {
        return "left(substr((" + object + ")::text, 2), -1)";
    }

    /** A value of the type, from an SQL expression of its column's type, as the plain GET writes it. */
    static String value(FieldType type, String expression) {
        return switch (type) {
            case OBJECT_ID -> wrapped("$oid", expression);
            case TIMESTAMP -> wrapped("$date", "floor(extract(epoch FROM " + expression + ") * 1000)::bigint");
            case DURATION -> wrapped("$date", expression);
            // NaN and the infinities are no JSON numbers: written null.
            case NUMBER -> "CASE WHEN " + expression + " IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE " + expression
                    + " END";
            case LIST, OBJECT -> "coalesce(" + expression + ", " + literal(type.unset()) + "::jsonb)";
            case ID, TEXT, INTEGER, BOOLEAN, JSON -> expression;
            case EXTRAS -> throw new IllegalArgumentException("extras are members, not a value");
        };
    }

    /** <code>{"$oid": value}</code> or <code>{"$date": value}</code>; null stays null. */
    private static String wrapped(String member, String expression) {
        return "CASE WHEN " + expression + " IS NULL THEN NULL ELSE json_build_object(" + literal(member) + ", " + expression
                + ") END";
    }

    /** An SQL string literal of a text of the code's own (a member name). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}

package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/**
 * An INSERT of one document into its collection's table: every declared column, in declaration
 * order, each value a bind cast to its column's type.
 *
 * @param text   the SQL, with one {@code ?} per field
 * @param fields the fields the binds stand for, in order
 */
public record InsertStatement(String text, List<Field> fields) {
    public InsertStatement {
        fields = List.copyOf(fields);
    }

    /** A plain insert: a document that is new by construction (a report). */
    public static InsertStatement insert(Collection collection) {
        return new InsertStatement(insertText(collection), collection.fields());
    }

    /**
     * An insert that replaces every column of the row with the same id: importing a document
     * twice leaves the table as importing it once.
     */
    public static InsertStatement upsert(Collection collection) {
        StringJoiner updates = new StringJoiner(", ");
        for (Field field : collection.fields()) {
            if (field != collection.idField()) {
                String column = quote(field.column());
                updates.add(column + " = EXCLUDED." + column);
            }
        }
        String text = insertText(collection) + " ON CONFLICT (" + quote(collection.idField().column())
                + ") DO UPDATE SET " + updates;
        return new InsertStatement(text, collection.fields());
    }

    /** The bind values of a document, in the order of {@link #fields()}; absent fields bind null. */
    public List<Object> binds(Map<Field, Object> values) {
        List<Object> binds = new ArrayList<>(fields.size());
        for (Field field : fields) {
            binds.add(values.get(field));
        }
        return binds;
    }

    private static String insertText(Collection collection) {
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner placeholders = new StringJoiner(", ");
        for (Field field : collection.fields()) {
            columns.add(quote(field.column()));
            placeholders.add("?::" + field.type().sqlType());
        }
        return "INSERT INTO " + quote(collection.table()) + " (" + columns + ") VALUES (" + placeholders + ")";
    }
}

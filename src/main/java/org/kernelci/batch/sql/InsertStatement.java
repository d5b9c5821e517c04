package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/**
 * An INSERT of documents into their collection's table: every declared column, in declaration
 * order, each value a bind cast to its column's type; one row of binds per document. Several
 * documents in one statement cost one run of the table's statement triggers (the per-day
 * rollups aggregate all its rows at once) instead of one each.
 *
 * @param text   the SQL, with one {@code ?} per field and row
 * @param fields the fields one row's binds stand for, in order
 */
public record InsertStatement(String text, List<Field> fields) {
    /** Binds per statement: the JDBC driver allows 32,767. */
    private static final int MAX_BINDS = 30_000;

    public InsertStatement {
        fields = List.copyOf(fields);
    }

    /** A plain insert: a document that is new by construction (a report). */
    public static InsertStatement insert(Collection collection) {
        return insert(collection, 1);
    }

    /** A plain insert of {@code rows} documents. */
    public static InsertStatement insert(Collection collection, int rows) {
        return new InsertStatement(insertText(collection, rows), collection.storedFields());
    }

    /** The most documents one statement of the collection takes. */
    public static int maxRows(Collection collection) {
        return Math.max(1, MAX_BINDS / collection.storedFields().size());
    }

    /**
     * An insert that replaces every column of the row with the same id: importing a document
     * twice leaves the table as importing it once.
     */
    public static InsertStatement upsert(Collection collection) {
        return upsert(collection, 1);
    }

    /** An upsert of {@code rows} documents, which must have distinct ids (a row changes once per statement). */
    public static InsertStatement upsert(Collection collection, int rows) {
        StringJoiner updates = new StringJoiner(", ");
        for (Field field : collection.storedFields()) {
            if (field != collection.idField()) {
                String column = quote(field.column());
                updates.add(column + " = EXCLUDED." + column);
            }
        }
        String text = insertText(collection, rows) + " ON CONFLICT (" + quote(collection.idField().column())
                + ") DO UPDATE SET " + updates;
        return new InsertStatement(text, collection.storedFields());
    }

    /** The bind values of a document, in the order of {@link #fields()}; absent fields bind null. */
    public List<Object> binds(Map<Field, Object> values) {
        List<Object> binds = new ArrayList<>(fields.size());
        for (Field field : fields) {
            binds.add(values.get(field));
        }
        return binds;
    }

    /** The bind values of documents, one row after the other; bind {@code i} stands for field {@code i % fields().size()}. */
    public List<Object> binds(List<Map<Field, Object>> rows) {
        List<Object> binds = new ArrayList<>(fields.size() * rows.size());
        for (Map<Field, Object> values : rows) {
            binds.addAll(binds(values));
        }
        return binds;
    }

    private static String insertText(Collection collection, int rows) {
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner placeholders = new StringJoiner(", ", "(", ")");
        for (Field field : collection.storedFields()) {
            columns.add(quote(field.column()));
            placeholders.add("?::" + field.type().sqlType());
        }
        StringJoiner values = new StringJoiner(", ");
        for (int row = 0; row < rows; row++) {
            values.add(placeholders.toString());
        }
        return "INSERT INTO " + quote(collection.table()) + " (" + columns + ") VALUES " + values;
    }
}

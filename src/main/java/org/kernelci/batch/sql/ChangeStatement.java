package org.kernelci.batch.sql;

import static org.kernelci.batch.sql.Identifiers.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/**
 * Statements that change stored documents by id, built from the declarations like every other
 * statement: values are binds cast to their column types; a cleared field is the literal NULL.
 */
public final class ChangeStatement {
    private ChangeStatement() {
    }

    /** Sets the fields of the document with the id; returns the document (every field, in order). */
    public static SqlQuery updateReturning(Collection collection, String id, Map<Field, Object> values) {
        SqlQuery update = update(collection, id, values);
        StringJoiner columns = new StringJoiner(", ");
        for (Field field : collection.storedFields()) {
            columns.add(quote(field.column()));
        }
        return new SqlQuery(update.text() + " RETURNING " + columns, update.binds());
    }

    /**
     * Several documents' updates as one statement, so that one round trip, one plan and one run of
     * the table's statement triggers (the rollups aggregate all rows at once) serve them all:
     * {@code UPDATE t SET ... FROM (VALUES (id, value, ...), ...) AS v WHERE t.id = v.id RETURNING ...}.
     * The ids must be distinct (a row is updated once per statement). A column that only some of
     * the updates set takes, in each row, a flag saying whether this update sets it; a null value
     * clears the field, as in {@link #updateReturning}. Returns every field of each updated row,
     * in declaration order, in no particular row order.
     */
    public static SqlQuery updateMany(Collection collection, List<String> ids, List<Map<Field, Object>> values) {
        List<Field> changed = new ArrayList<>();
        List<Boolean> partial = new ArrayList<>();
        for (Field field : collection.storedFields()) {
            long setting = values.stream().filter(update -> update.containsKey(field)).count();
            if (setting > 0) {
                changed.add(field);
                partial.add(setting < values.size());
            }
        }
        StringJoiner sets = new StringJoiner(", ");
        StringJoiner names = new StringJoiner(", ", "(", ")").add("id");
        StringJoiner placeholders = new StringJoiner(", ", "(", ")").add("?::char(24)");
        for (int i = 0; i < changed.size(); i++) {
            String column = quote(changed.get(i).column());
            String value = "v.c" + i;
            sets.add(column + " = " + (partial.get(i) ? "CASE WHEN v.s" + i + " THEN " + value + " ELSE t." + column
                    + " END" : value));
            if (partial.get(i)) {
                names.add("s" + i);
                placeholders.add("?::boolean");
            }
            names.add("c" + i);
            placeholders.add("?::" + changed.get(i).type().sqlType());
        }
        StringJoiner rows = new StringJoiner(", ");
        List<Object> binds = new ArrayList<>();
        for (int row = 0; row < ids.size(); row++) {
            rows.add(placeholders.toString());
            binds.add(ids.get(row));
            Map<Field, Object> update = values.get(row);
            for (int i = 0; i < changed.size(); i++) {
                if (partial.get(i)) {
                    binds.add(update.containsKey(changed.get(i)));
                }
                binds.add(update.get(changed.get(i)));
            }
        }
        StringJoiner columns = new StringJoiner(", ");
        for (Field field : collection.storedFields()) {
            columns.add("t." + quote(field.column()));
        }
        return new SqlQuery("UPDATE " + quote(collection.table()) + " AS t SET " + sets + " FROM (VALUES " + rows
                + ") AS v " + names + " WHERE t." + idColumn(collection) + " = v.id RETURNING " + columns, binds);
    }

    /** How many binds an {@link #updateMany} row takes at most: its statements stay within the protocol's limit. */
    public static int bindsPerRow(Collection collection) {
        return 1 + 2 * collection.storedFields().size();
    }

    private static SqlQuery update(Collection collection, String id, Map<Field, Object> values) {
        List<Object> binds = new ArrayList<>();
        StringJoiner sets = new StringJoiner(", ");
        for (Map.Entry<Field, Object> value : values.entrySet()) {
            Field field = value.getKey();
            if (value.getValue() == null) {
                sets.add(quote(field.column()) + " = NULL");
            } else {
                sets.add(quote(field.column()) + " = ?::" + field.type().sqlType());
                binds.add(value.getValue());
            }
        }
        binds.add(id);
        return new SqlQuery("UPDATE " + quote(collection.table()) + " SET " + sets + " WHERE "
                + idColumn(collection) + " = ?::char(24)", binds);
    }

    public static SqlQuery delete(Collection collection, String id) {
        return new SqlQuery("DELETE FROM " + quote(collection.table()) + " WHERE " + idColumn(collection)
                + " = ?::char(24)", List.of(id));
    }

    /**
     * Locks the rows with these ids, in id order: batches that change the same documents take
     * their locks in one order (collections in declaration order, then ids), so they wait for
     * each other instead of deadlocking.
     */
    public static SqlQuery lock(Collection collection, List<String> ids) {
        return new SqlQuery("SELECT " + idColumn(collection) + " FROM " + quote(collection.table()) + " WHERE "
                + idColumn(collection) + " = ANY(?::char(24)[]) ORDER BY " + idColumn(collection) + " FOR UPDATE",
                List.of(new SqlArray("char(24)", List.copyOf(ids))));
    }

    private static String idColumn(Collection collection) {
        return quote(collection.idField().column());
    }
}

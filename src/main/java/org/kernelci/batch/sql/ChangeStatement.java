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
        for (Field field : collection.fields()) {
            columns.add(quote(field.column()));
        }
        return new SqlQuery(update.text() + " RETURNING " + columns, update.binds());
    }

    /**
     * Sets the fields of the document with the id. Updates of the same fields have the same text,
     * so that a batch of them runs as one prepared statement.
     */
    public static SqlQuery update(Collection collection, String id, Map<Field, Object> values) {
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

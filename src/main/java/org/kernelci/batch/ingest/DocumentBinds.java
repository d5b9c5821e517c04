package org.kernelci.batch.ingest;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.schema.FieldType;
import org.kernelci.batch.sql.InsertStatement;

/**
 * Sets a document's values as the parameters of an insert. Nulls are typed by their field, so a
 * batch's parameter types stay the same from row to row and the driver keeps one prepared plan.
 */
final class DocumentBinds {
    private DocumentBinds() {
    }

    static void bind(PreparedStatement statement, InsertStatement insert, StoredDocument document)
            throws SQLException {
        List<Field> fields = insert.fields();
        List<Object> binds = insert.binds(document.values());
        for (int i = 0; i < binds.size(); i++) {
            Object value = binds.get(i);
            if (value == null) {
                statement.setNull(i + 1, sqlType(fields.get(i).type()));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    private static int sqlType(FieldType type) {
        return switch (type) {
            case OBJECT_ID, ID, TEXT, JSON, EXTRAS -> Types.VARCHAR;
            case INTEGER -> Types.INTEGER;
            case NUMBER -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            case DURATION -> Types.BIGINT;
        };
    }
}

package org.kernelci.batch.execute;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.kernelci.batch.ingest.StoredDocument;
import org.kernelci.batch.jdbc.ColumnCodec;
import org.kernelci.batch.schema.Field;
import org.kernelci.batch.sql.InsertStatement;

/**
 * Sets documents' values as the parameters of an insert. Nulls are typed by their field, so a
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
            ColumnCodec.bind(statement, i + 1, binds.get(i), fields.get(i).type());
        }
    }

    /** Documents as the parameters of a multi-row insert, one row after the other. */
    static void bind(PreparedStatement statement, InsertStatement insert, List<StoredDocument> documents)
            throws SQLException {
        List<Field> fields = insert.fields();
        List<Object> binds = insert.binds(documents.stream().map(StoredDocument::values).toList());
        for (int i = 0; i < binds.size(); i++) {
            ColumnCodec.bind(statement, i + 1, binds.get(i), fields.get(i % fields.size()).type());
        }
    }
}

package org.kernelci.batch.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Statements a test runs straight on its database, as its superuser: setup, and the counts it checks. */
public final class SqlValue {
    private SqlValue() {
    }

    /** Runs the statements; the first column of the first row they return, 0 when they return none. */
    public static long of(String url, String statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            if (!statement.execute(statements)) {
                return 0;
            }
            try (ResultSet rows = statement.getResultSet()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }
}

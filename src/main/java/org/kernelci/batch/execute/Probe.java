package org.kernelci.batch.execute;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Asks whether the database answers, without waiting for a connection of the pool: what
 * {@code /health} reports and what clears the "down" state after an outage.
 */
public interface Probe {
    /** Seconds a probe may take to connect or to answer. */
    int TIMEOUT_SECONDS = 2;
    Driver DRIVER = new org.postgresql.Driver();

    boolean answers();

    /**
     * A connection of its own, outside the pool (opened again after a failure), so that a full
     * pool never reads as a dead database.
     */
    static Probe direct(String url, String user, String password) {
        return new Probe() {
            private Connection connection;

            @Override
            public synchronized boolean answers() {
                try {
                    if (connection == null || connection.isClosed()) {
                        Properties properties = new Properties();
                        if (user != null) {
                            properties.setProperty("user", user);
                        }
                        if (password != null) {
                            properties.setProperty("password", password);
                        }
                        properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
                        properties.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS));
                        properties.setProperty("ApplicationName", "kci-batch probe");
                        // The driver itself: in a servlet container DriverManager does not see the WAR's.
                        connection = DRIVER.connect(url, properties);
                    }
                    try (Statement statement = connection.createStatement()) {
                        statement.setQueryTimeout(TIMEOUT_SECONDS);
                        statement.execute("SELECT 1");
                    }
                    return true;
                } catch (SQLException e) {
                    close();
                    return false;
                }
            }

            private void close() {
                try {
                    if (connection != null) {
                        connection.close();
                    }
                } catch (SQLException e) {
                    // Already broken: nothing more to release.
                }
                connection = null;
            }
        };
    }

    /**
     * Through a DataSource the service does not own (a container's pool): a pool that stays full
     * still means the database answers, since its connections are in use.
     */
    static Probe through(DataSource dataSource) {
        return () -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid(TIMEOUT_SECONDS);
            } catch (SQLException | RuntimeException e) {
                return Fault.of(e, false) == Fault.BUSY;
            }
        };
    }
}

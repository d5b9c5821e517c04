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
    /**
     * Seconds a probe may take to connect or to answer: a hung database (frozen, or behind a
     * network that stopped forwarding) is then told from a slow one within a second.
     */
    int TIMEOUT_SECONDS = 1;
    Driver DRIVER = new org.postgresql.Driver();

    /** Returns when the database answers; throws why it did not. */
    void ask() throws SQLException;

    /** Releases what the probe holds (its own connection). */
    default void close() {
    }

    /**
     * A connection of its own, outside the pool (opened again after a failure), so that a full
     * pool never reads as a dead database.
     */
    static Probe direct(String url, String user, String password) {
        return new Probe() {
            private Connection connection;

            @Override
            public synchronized void ask() throws SQLException {
                boolean reused = connection != null;
                try {
                    select();
                } catch (SQLException e) {
                    close();
                    // A connection that served before may be all that was lost (its backend
                    // terminated, the server restarted since): a new one tells. A timeout is the
                    // answer already: waiting again would double it.
                    if (!reused || timedOut(e)) {
                        throw e;
                    }
                    try {
                        select();
                    } catch (SQLException again) {
                        close();
                        throw again;
                    }
                }
            }

            private void select() throws SQLException {
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
                    properties.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
                    properties.setProperty("ApplicationName", "kci-batch probe");
                    // The driver itself: in a servlet container DriverManager does not see the WAR's.
                    connection = DRIVER.connect(url, properties);
                }
                // The socket timeout bounds the wait: a query timeout would send a cancel
                // request, which waits on a hung server for cancelSignalTimeout (10 s).
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
            }

            private boolean timedOut(Throwable e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof java.net.SocketTimeoutException) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public synchronized void close() {
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
                if (!connection.isValid(TIMEOUT_SECONDS)) {
                    throw new SQLException("no answer to a validation in " + TIMEOUT_SECONDS + " s", "08006");
                }
            } catch (SQLException | RuntimeException e) {
                if (Fault.of(e, false) != Fault.BUSY) {
                    throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), "08006", e);
                }
            }
        };
    }
}

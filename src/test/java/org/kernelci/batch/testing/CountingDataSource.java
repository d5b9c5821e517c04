package org.kernelci.batch.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL DataSource that records the SQL of every statement execution: each
 * execution is one round trip to the database.
 */
public final class CountingDataSource {
    private final List<String> executions = new CopyOnWriteArrayList<>();
    private final DataSource dataSource;

    public CountingDataSource(String jdbcUrl) {
        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setUrl(jdbcUrl);
        target.setUser("postgres");
        this.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, forward(target, (method, result, args) -> {
                    if (result instanceof Connection connection) {
                        return proxy(Connection.class, connection, (m, r, a) -> {
                            if (r instanceof Statement statement) {
                                String sql = a != null && a.length > 0 && a[0] instanceof String s ? s : null;
                                return wrapStatement(statement, sql);
                            }
                            return r;
                        });
                    }
                    return result;
                }));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The SQL of each execution so far, oldest first. */
    public List<String> executions() {
        return List.copyOf(executions);
    }

    public void clear() {
        executions.clear();
    }

    /**
     * Makes the next execution whose SQL contains {@code fragment} wait, once it has its result,
     * until {@code release} opens; {@code reached} opens when it starts waiting.
     */
    public void pauseNext(String fragment, java.util.concurrent.CountDownLatch reached,
                          java.util.concurrent.CountDownLatch release) {
        pause.set(new Pause(fragment, reached, release));
    }

    private record Pause(String fragment, java.util.concurrent.CountDownLatch reached,
                         java.util.concurrent.CountDownLatch release) {
    }

    private final java.util.concurrent.atomic.AtomicReference<Pause> pause = new java.util.concurrent.atomic.AtomicReference<>();

    private void pauseIfArmed(String sql) {
        Pause armed = pause.get();
        if (armed != null && sql != null && sql.contains(armed.fragment()) && pause.compareAndSet(armed, null)) {
            armed.reached().countDown();
            try {
                armed.release().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Object wrapStatement(Statement statement, String preparedSql) {
        Class<?> type = statement instanceof java.sql.PreparedStatement
                ? java.sql.PreparedStatement.class : Statement.class;
        return proxy(type, statement, (method, result, args) -> {
            if (method.getName().startsWith("execute")) {
                pauseIfArmed(args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql);
            }
            return result;
        }, (method, args) -> {
            // The change counts' fold runs every few seconds on its own thread: no request's trip.
            if (method.getName().startsWith("execute") && !Thread.currentThread().getName().equals("kci-change-counts")) {
                executions.add(args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql);
            }
        });
    }

    private interface After {
        Object apply(Method method, Object result, Object[] args) throws Exception;
    }

    private interface Before {
        void accept(Method method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Object target, After after) {
        return proxy(type, target, after, (method, args) -> { });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, After after, Before before) {
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type},
                forward(target, after, before));
    }

    private static InvocationHandler forward(Object target, After after) {
        return forward(target, after, (method, args) -> { });
    }

    private static InvocationHandler forward(Object target, After after, Before before) {
        return (proxy, method, args) -> {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return method.invoke(target, args);
            }
            before.accept(method, args);
            try {
                return after.apply(method, method.invoke(target, args), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }
}

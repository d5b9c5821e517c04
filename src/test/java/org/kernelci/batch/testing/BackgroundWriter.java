package org.kernelci.batch.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.kernelci.batch.execute.ChangeCounts;
import org.kernelci.batch.testing.HttpProbe.Reply;

/**
 * Writes through the service on a thread of its own while a test compares what it reads in
 * snapshots: up to a number of writes, folding the change counts and the rollups' deltas every
 * 50 (as the service does every few seconds). The answers the test calls failed, and any
 * exception, are kept as failures: none is lost with the thread.
 */
public final class BackgroundWriter implements AutoCloseable {
    private static final int FOLD_EVERY = 50;

    /** One write through the service; the connection looks documents up. */
    public interface Write {
        Reply write(Random random, Connection connection) throws SQLException;
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger writes = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    private BackgroundWriter(TestServer server, long seed, int most, Write write, Predicate<Reply> failed) {
        thread = new Thread(() -> {
            Random random = new Random(seed);
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
                for (int i = 0; i < most && !stop.get(); i++) {
                    Reply reply = write.write(random, connection);
                    if (failed.test(reply)) {
                        failures.add(reply.status() + " " + reply.body());
                    }
                    writes.incrementAndGet();
                    if (i % FOLD_EVERY == FOLD_EVERY - 1) {
                        Jdbi.create(server.jdbcUrl(), "postgres", "").inTransaction(ChangeCounts::fold);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                failures.add(e.toString());
            }
        }, "background-writer");
        thread.start();
    }

    /**
     * Starts writing: at most {@code most} writes, the random source seeded with {@code seed},
     * each answer for which {@code failed} holds kept as a failure.
     */
    public static BackgroundWriter start(TestServer server, long seed, int most, Write write, Predicate<Reply> failed) {
        return new BackgroundWriter(server, seed, most, write, failed);
    }

    /** Whether it is still writing. */
    public boolean writing() {
        return thread.isAlive();
    }

    public int writes() {
        return writes.get();
    }

    /** What failed: the refused answers and the exception that ended the writes, if one did. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops after the write under way and waits for it. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
    }
}

package org.kernelci.batch.execute;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the service's own HikariCP pool, kept so that the end of an outage can cut its
 * connection adder's back-off short. While connecting fails, HikariCP's adder sleeps between
 * attempts, doubling up to 5 s; once the database answers again, every request would wait for the
 * rest of that sleep and time out carrying the outage's last failure. An interrupt ends the
 * adder's round (its loop stops on {@link Thread#interrupted()}), and the next request for a
 * connection starts a new round that connects at once.
 */
public final class PoolThreads implements ThreadFactory {
    private static final String CREATOR = "com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator";
    private final String pool;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<Thread> threads = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** @param pool the pool's name, which its threads' names start with */
    public PoolThreads(String pool) {
        this.pool = pool;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, pool + " pool thread " + count.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /** Interrupts the connection adder if it is sleeping between two failed attempts to connect. */
    void endBackOff() {
        Thread[] known;
        synchronized (threads) {
            known = threads.toArray(Thread[]::new);
        }
        for (Thread thread : known) {
            StackTraceElement[] trace = thread.getStackTrace();
            boolean sleeping = Arrays.stream(trace).anyMatch(frame -> frame.getMethodName().equals("quietlySleep"));
            boolean adding = Arrays.stream(trace).anyMatch(frame -> frame.getClassName().equals(CREATOR));
            if (sleeping && adding) {
                thread.interrupt();
            }
        }
    }
}

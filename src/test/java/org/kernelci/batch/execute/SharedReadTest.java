package org.kernelci.batch.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SharedReadTest {
    @Test
    @DisplayName("every caller gets a read that began after it asked; callers asking together share one")
    void beganAfterAsking() throws Exception {
        AtomicLong events = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        int callers = 8;
        int calls = 300;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (SharedRead<Long> shared = new SharedRead<>("test-read", () -> {
            reads.incrementAndGet();
            long at = events.incrementAndGet();
            sleep();
            return at;
        })) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                boolean waiting = c % 2 == 0;
                done.add(pool.submit(() -> {
                    start.await();
                    int late = 0;
                    for (int i = 0; i < calls; i++) {
                        long asked = events.incrementAndGet();
                        // Half the callers wait holding their thread, half as a future.
                        long began = waiting ? shared.get() : shared.next().get(10, TimeUnit.SECONDS);
                        late += began > asked ? 0 : 1;
                    }
                    return late;
                }));
            }
            start.countDown();
            for (Future<Integer> future : done) {
                assertEquals(0, future.get(60, TimeUnit.SECONDS), "reads that began before their caller asked");
            }
        } finally {
            pool.shutdownNow();
        }
        // A read takes a millisecond and the callers ask all the time: they cannot all read alone.
        assertTrue(reads.get() < callers * calls, reads + " reads for " + callers * calls + " calls");
    }

    @Test
    @DisplayName("a failed read fails every caller that shared it; the next caller reads again")
    void failures() {
        IllegalStateException failure = new IllegalStateException("down");
        AtomicInteger calls = new AtomicInteger();
        try (SharedRead<String> shared = new SharedRead<>("test-read", () -> {
            if (calls.incrementAndGet() == 1) {
                throw failure;
            }
            return "up";
        })) {
            assertSame(failure, assertThrows(IllegalStateException.class, shared::get));
            assertEquals("up", shared.get());
        }
    }

    @Test
    @DisplayName("once closed, callers waiting and callers asking fail instead of waiting forever")
    void closed() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedRead<String> shared = new SharedRead<>("test-read", () -> {
            reading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        });
        CompletableFuture<String> running = shared.next();
        assertTrue(reading.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> queued = shared.next();
        shared.close();
        ExecutionException stopped = assertThrows(ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS));
        assertTrue(stopped.getCause() instanceof IllegalStateException, stopped.toString());
        assertThrows(ExecutionException.class, () -> shared.next().get(10, TimeUnit.SECONDS));
        // The read that was running when it closed still answers its callers.
        assertEquals("late", running.get(10, TimeUnit.SECONDS));
        release.countDown();
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

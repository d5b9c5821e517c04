package org.kernelci.batch.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
        SharedRead<Long> shared = new SharedRead<>();
        AtomicLong events = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        int callers = 8;
        int calls = 300;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                done.add(pool.submit(() -> {
                    start.await();
                    int late = 0;
                    for (int i = 0; i < calls; i++) {
                        long asked = events.incrementAndGet();
                        long began = shared.read(() -> {
                            reads.incrementAndGet();
                            long at = events.incrementAndGet();
                            sleep();
                            return at;
                        });
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
        SharedRead<String> shared = new SharedRead<>();
        IllegalStateException failure = new IllegalStateException("down");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> shared.read(() -> {
            throw failure;
        })));
        assertEquals("up", shared.read(() -> "up"));
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

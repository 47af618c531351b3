package org.forumgateway.bot;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HandlerTimingTest {

    @Test
    void readsTheRunQueueWaitFromLinuxSchedulerStatistics() {
        assertEquals(818_145, HandlerTiming.runQueueWait("368140661 818145 23\n"));
    }

    @Test
    void saysItCannotTellWhenTheStatisticsAreNotWhatLinuxWrites() {
        assertEquals(HandlerTiming.UNKNOWN, HandlerTiming.runQueueWait(""));
        assertEquals(HandlerTiming.UNKNOWN, HandlerTiming.runQueueWait("1 2"));
        assertEquals(HandlerTiming.UNKNOWN, HandlerTiming.runQueueWait("1 x 3"));
    }

    /** More busy threads than cores: at least one of them must wait for a core, and its timing must say so. */
    @Test
    void seesTheWaitForACoreWhenThreadsOutnumberTheCores() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "Linux scheduler statistics");
        int threads = Runtime.getRuntime().availableProcessors() + 1;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> waits = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                waits.add(pool.submit(() -> {
                    start.await();
                    HandlerTiming timing = new HandlerTiming();
                    spinForCpuMillis(100);
                    assertTrue(timing.cpuMicros() >= 100_000);
                    return timing.waitingForCoreMicros();
                }));
            }
            long longest = 0;
            for (Future<Long> wait : waits) {
                assertTrue(wait.get() >= 0, "a wait was not read");
                longest = Math.max(longest, wait.get());
            }
            assertTrue(longest > 0, "no thread waited for a core");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void spinForCpuMillis(long millis) {
        var threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sink += System.nanoTime() % 7;
        }
        assertTrue(sink >= 0);
    }
}

package org.forumgateway.scheduling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulingTest {
    @Test
    @Timeout(30) // Quartz's own stop would wait for the job forever
    void aStopEndsWhileAJobStillRuns() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Scheduling scheduling = Scheduling.start(Clock.systemUTC());
        try {
            scheduling.at("stuck", Clock.systemUTC().instant(), () -> {
                started.countDown();
                try {
                    release.await(); // a job that does not end by itself
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS), "the job started");

            long before = System.nanoTime();
            scheduling.close();
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "the stop took " + took);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRunAskedForNowLeavesTheTaskOnItsSchedule() throws InterruptedException {
        Semaphore runs = new Semaphore(0);
        try (Scheduling scheduling = Scheduling.start(Clock.systemUTC())) {
            scheduling.every("progress", Duration.ofHours(1), runs::release);
            scheduling.runNow("progress");
            assertTrue(runs.tryAcquire(10, TimeUnit.SECONDS), "run now, not in an hour");
            // A run asked for now is not the task's last: before, it was forgotten after such a run.
            scheduling.runNow("progress");
            assertTrue(runs.tryAcquire(10, TimeUnit.SECONDS), "and again");
            scheduling.runNow("no-such-task"); // nothing to run: no failure either
        }
    }
}

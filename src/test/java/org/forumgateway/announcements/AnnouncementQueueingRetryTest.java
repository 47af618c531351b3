package org.forumgateway.announcements;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queueing thread tries a failed announcement again rather than leaving it half queued until a restart. */
class AnnouncementQueueingRetryTest {
    @Test
    void aFailedAttemptIsTriedAgainUntilItSucceeds() throws InterruptedException {
        AnnouncementQueueing queueing = new AnnouncementQueueing();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch queued = new CountDownLatch(1);
        try {
            queueing.execute(() -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("[SQLITE_FULL] database or disk is full");
                }
                queued.countDown();
            });
            assertTrue(queued.await(10, TimeUnit.SECONDS), "queued on the second attempt");
            assertEquals(2, attempts.get());
        } finally {
            queueing.stop(1_000);
        }
    }

    @Test
    void aFaultOfItsOwnIsGivenUpAfterSomeTriesSoTheNextAnnouncementIsQueued() throws InterruptedException {
        AnnouncementQueueing queueing = new AnnouncementQueueing(Duration.ofMillis(1), Duration.ofMillis(2));
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch next = new CountDownLatch(1);
        try {
            queueing.execute(() -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("a fault in building the messages, provoked by a test");
            });
            queueing.execute(next::countDown);
            assertTrue(next.await(10, TimeUnit.SECONDS), "the next announcement was queued");
            assertEquals(AnnouncementQueueing.ATTEMPTS, attempts.get());
        } finally {
            queueing.stop(1_000);
        }
    }

    @Test
    void stoppingEndsTheRetriesAndRunsNothingMore() throws InterruptedException {
        AnnouncementQueueing queueing = new AnnouncementQueueing();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch firstAttempt = new CountDownLatch(1);
        queueing.execute(() -> {
            attempts.incrementAndGet();
            firstAttempt.countDown();
            throw new IllegalStateException("[SQLITE_BUSY] database is locked");
        });
        assertTrue(firstAttempt.await(10, TimeUnit.SECONDS));

        queueing.stop(5_000);
        queueing.execute(() -> attempts.incrementAndGet());

        assertEquals(1, attempts.get(), "the retry's wait was interrupted, and nothing runs after stop");
    }
}

package org.forumgateway.storage;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteTurnsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final WriteTurns turns = new WriteTurns();
    private final List<String> order = new CopyOnWriteArrayList<>();

    @Test
    void anIntakeWriterGoesBeforeOthersThatAskedEarlier() throws Exception {
        turns.take();
        Thread other = writer("other", false);
        awaitWaiting(1);
        Thread intake = writer("intake", true);
        awaitWaiting(2);
        turns.give();
        join(other, intake);
        assertEquals(List.of("intake", "other"), order);
    }

    @Test
    void othersGoInTheOrderTheyAsked() throws Exception {
        turns.take();
        Thread first = writer("first", false);
        awaitWaiting(1);
        Thread second = writer("second", false);
        awaitWaiting(2);
        turns.give();
        join(first, second);
        assertEquals(List.of("first", "second"), order);
    }

    @Test
    void afterAnIntakeTurnAnotherWriterGoesBeforeTheNextIntake() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            WriteTurns.markIntake();
            turns.take();
            held.countDown();
            awaitQuietly(release);
            order.add("intake holder");
            turns.give();
        });
        holder.start();
        assertTrue(held.await(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        Thread other = writer("other", false);
        awaitWaiting(1);
        Thread intake = writer("next intake", true);
        awaitWaiting(2);
        release.countDown();
        join(holder, other, intake);
        assertEquals(List.of("intake holder", "other", "next intake"), order);
    }

    @Test
    void aThreadThatHasTheTurnTakesItAgainAndKeepsItUntilTheLastGive() throws Exception {
        turns.take();
        turns.take();
        Thread other = writer("other", false);
        awaitWaiting(1);
        turns.give();
        order.add("still mine");
        turns.give();
        join(other);
        assertEquals(List.of("still mine", "other"), order);
    }

    @Test
    void onlyTheOwnerGivesTheTurnBack() {
        assertThrows(IllegalStateException.class, turns::give);
    }

    /** Starts a thread that takes the turn, notes its name, and gives it back. */
    private Thread writer(String name, boolean intake) {
        Thread thread = new Thread(() -> {
            if (intake) {
                WriteTurns.markIntake();
            }
            turns.take();
            order.add(name);
            turns.give();
        }, name);
        thread.start();
        return thread;
    }

    private void awaitWaiting(int count) {
        assertTimeoutPreemptively(BOUND, () -> {
            while (turns.waiting() < count) {
                Thread.onSpinWait();
            }
        });
    }

    private static void join(Thread... threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(BOUND.toMillis());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

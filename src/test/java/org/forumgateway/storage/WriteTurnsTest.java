package org.forumgateway.storage;

import org.forumgateway.testing.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteTurnsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Nobody is passed over for too long within a test's few milliseconds: lanes alone decide. */
    private final WriteTurns turns = new WriteTurns(BOUND, BOUND);
    private final List<String> order = new CopyOnWriteArrayList<>();

    @Test
    void moreUrgentLanesGoBeforeWritersThatAskedEarlier() throws Exception {
        turns.take();
        Thread background = writer("background", WriteLane.BACKGROUND);
        awaitWaiting(1);
        Thread interactive = writer("interactive", WriteLane.INTERACTIVE);
        awaitWaiting(2);
        Thread intake = writer("intake", WriteLane.INTAKE);
        awaitWaiting(3);
        turns.give();
        join(background, interactive, intake);
        assertEquals(List.of("intake", "interactive", "background"), order);
    }

    @Test
    void writersOfOneLaneGoInTheOrderTheyAsked() throws Exception {
        turns.take();
        Thread first = writer("first", WriteLane.INTERACTIVE);
        awaitWaiting(1);
        Thread second = writer("second", WriteLane.INTERACTIVE);
        awaitWaiting(2);
        turns.give();
        join(first, second);
        assertEquals(List.of("first", "second"), order);
    }

    @Test
    void aWriterPassedOverForTooLongGoesFirst() throws Exception {
        WriteTurns aging = new WriteTurns(BOUND, Duration.ZERO);
        aging.take();
        Thread background = writer(aging, "background", WriteLane.BACKGROUND);
        awaitWaiting(aging, 1);
        Thread intake = writer(aging, "intake", WriteLane.INTAKE);
        awaitWaiting(aging, 2);
        aging.give();
        join(background, intake);
        assertEquals(List.of("background", "intake"), order, "the one waiting longest, past the limit");
    }

    @Test
    void aThreadThatHasTheTurnTakesItAgainAndKeepsItUntilTheLastGive() throws Exception {
        turns.take();
        turns.take();
        Thread other = writer("other", WriteLane.INTERACTIVE);
        awaitWaiting(1);
        turns.give();
        order.add("still mine");
        turns.give();
        join(other);
        assertEquals(List.of("still mine", "other"), order);
    }

    @Test
    void aWriterThatWaitsLongerThanTheBusyTimeoutGivesUpAndLeavesTheQueue() throws Exception {
        WriteTurns briefly = new WriteTurns(Duration.ofMillis(200));
        briefly.take();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(briefly::take);
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> waiter.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(failure.getCause() instanceof WriteTurnTimeoutException, failure.toString());
        assertEquals(0, briefly.waiting());
        briefly.give();
        CompletableFuture.runAsync(() -> {
            briefly.take();
            briefly.give();
        }).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aTurnMayBeGivenBackFromAnotherThreadThanTheOneThatTookIt() throws Exception {
        turns.take();
        Thread holder = Thread.currentThread();
        CompletableFuture.runAsync(() -> turns.giveFor(holder)).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.runAsync(() -> {
            turns.take();
            turns.give();
        }).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aWriterThatWaitedForTheTurnCountsItsWaitAndOneThatDidNotCountsNothing() throws Exception {
        long[] waited = new long[2];
        CompletableFuture.runAsync(() -> {
            long before = WriteTurnWaits.ofThisThread();
            turns.take();
            turns.give();
            waited[0] = WriteTurnWaits.ofThisThread() - before;
        }).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(0, waited[0], "the turn was free");

        turns.take();
        long askedAt = System.nanoTime();
        Thread waiter = new Thread(() -> {
            long before = WriteTurnWaits.ofThisThread();
            turns.take();
            turns.give();
            waited[1] = WriteTurnWaits.ofThisThread() - before;
        });
        waiter.start();
        awaitWaiting(1);
        turns.give();
        join(waiter);
        // It asked after askedAt and had the turn only after the give, so its wait is positive and inside that span.
        assertTrue(waited[1] > 0, "waited " + waited[1] + " ns");
        assertTrue(waited[1] <= System.nanoTime() - askedAt, "waited " + waited[1] + " ns, more than it could have");
    }

    @Test
    void onlyTheOwnerGivesTheTurnBack() throws Exception {
        assertThrows(IllegalStateException.class, turns::give, "nobody holds it");
        CompletableFuture<Void> held = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread holder = new Thread(() -> {
            turns.take();
            held.complete(null);
            release.join();
            turns.give();
        }, "holder");
        holder.start();
        held.get(10, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, turns::give, "another thread holds it");
        release.complete(null);
        holder.join(TimeUnit.SECONDS.toMillis(10));
        turns.take(); // the holder gave it back: free again, and not broken by the refused give
        turns.give();
    }

    private Thread writer(String name, WriteLane lane) {
        return writer(turns, name, lane);
    }

    /** Starts a thread in {@code lane} that takes the turn, notes its name, and gives it back. */
    private Thread writer(WriteTurns of, String name, WriteLane lane) {
        Thread thread = new Thread(() -> {
            lane.enter();
            of.take();
            order.add(name);
            of.give();
        }, name);
        thread.start();
        return thread;
    }

    private void awaitWaiting(int count) {
        awaitWaiting(turns, count);
    }

    private static void awaitWaiting(WriteTurns of, int count) {
        Eventually.await(count + " writers waiting", () -> of.waiting() >= count);
    }

    private static void join(Thread... threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(BOUND.toMillis());
        }
    }
}

package org.forumgateway.telegram;

import org.forumgateway.storage.GroupCommit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stores pushed updates in one transaction per burst (group commit): each push waits for the batch it joined, so
 * ten concurrent pushes take SQLite's write lock once rather than ten times behind the handlers' writes. The push
 * is answered only once its batch is committed. Thread-safe; one writer thread.
 */
final class PushedUpdates implements AutoCloseable {
    private static final int MAX_BATCH = 100;
    /** Beyond this a push gives up waiting and is answered 503; Telegram sends it again. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    private record Pending(UpdateInbox.Received received, CompletableFuture<Boolean> stored) {
    }

    private final UpdateInbox inbox;
    private final ReceivingHealth health;
    private final GroupCommit<Pending> writer;
    /** Hands new updates to the chat workers after their push is answered, in the order they were stored. */
    private final ExecutorService handOut = Executors.newSingleThreadExecutor(ChatWorkers.namedThreads("webhook-hand-out-"));

    PushedUpdates(UpdateInbox inbox, ReceivingHealth health) {
        this.inbox = inbox;
        this.health = health;
        this.writer = new GroupCommit<>("webhook-inbox", MAX_BATCH, this::storeTogether);
    }

    /**
     * Stores {@code received} with whatever else arrived meanwhile.
     *
     * @return whether it is new (false: seen before), or empty when it could not be stored
     */
    Optional<Boolean> store(UpdateInbox.Received received) {
        CompletableFuture<Boolean> stored = new CompletableFuture<>();
        writer.add(new Pending(received, stored));
        try {
            return Optional.of(stored.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void storeTogether(List<Pending> batch) {
        try {
            Set<Integer> fresh = new HashSet<>(inbox.storeReceived(batch.stream().map(Pending::received).toList()));
            health.stored();
            // The first of two copies in one batch is the new one; INSERT OR IGNORE kept it.
            for (Pending pending : batch) {
                pending.stored().complete(fresh.remove(pending.received().updateId()));
            }
        } catch (RuntimeException e) {
            health.storeOutage().failed(e);
            batch.forEach(pending -> pending.stored().completeExceptionally(e));
        }
    }

    /** Runs {@code task} (reading a stored update and handing it to the chat workers) after the push is answered. */
    void handOut(Runnable task) {
        handOut.execute(task);
    }

    @Override
    public void close() {
        handOut.shutdown();
        writer.close();
    }
}

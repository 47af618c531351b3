package org.forumgateway.api;

import org.forumgateway.storage.GroupCommit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Group commit for the API's writes: one thread runs every write, and the writes that arrived while it was busy
 * run together in one transaction, each in its own savepoint (a write that fails is rolled back alone). SQLite has
 * one writer at a time, so sixteen requests that each took the write lock would wait for each other's commits and
 * thread hand-overs; together they share one. A caller gets its result once the transaction has committed.
 * Thread-safe.
 */
final class WriteBatcher implements AutoCloseable {
    /** Enough to gather every request of a burst; a batch of audience messages is bounded by their own size. */
    private static final int MAX_BATCH = 64;

    private final Jdbi jdbi;
    private final GroupCommit<Job<?>> writer;

    private record Job<T>(HandleCallback<T, RuntimeException> work, CompletableFuture<T> result) {
    }

    WriteBatcher(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.writer = new GroupCommit<>("api-writer", MAX_BATCH, this::runTogether);
    }

    /** Stops the writer thread: for when nothing can ask it to write any more (the HTTP server has stopped). */
    @Override
    public void close() {
        writer.close();
    }

    /** Runs {@code work} in a write transaction and returns its result once that has committed. */
    <T> T write(HandleCallback<T, RuntimeException> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        writer.add(new Job<>(work, result));
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void runTogether(List<Job<?>> batch) {
        List<Runnable> completions = new ArrayList<>(batch.size());
        try {
            jdbi.useTransaction(handle -> {
                for (int i = 0; i < batch.size(); i++) {
                    completions.add(attempt(batch.get(i), handle, "w" + i));
                }
            });
        } catch (RuntimeException e) {
            // The commit itself failed: nothing of the batch is stored.
            batch.forEach(job -> job.result().completeExceptionally(e));
            return;
        }
        completions.forEach(Runnable::run);
    }

    /** Runs one job in a savepoint; returns how to tell its caller, once the transaction has committed. */
    private static <T> Runnable attempt(Job<T> job, Handle handle, String savepoint) {
        handle.savepoint(savepoint);
        try {
            T value = job.work().withHandle(handle);
            handle.releaseSavepoint(savepoint);
            return () -> job.result().complete(value);
        } catch (RuntimeException e) {
            // Jdbi forgets a savepoint it rolled back to; SQLite keeps it open, harmless inside the transaction.
            handle.rollbackToSavepoint(savepoint);
            return () -> job.result().completeExceptionally(e);
        }
    }
}

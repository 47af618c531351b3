package org.forumgateway.telegram;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks for many chats at once and the tasks of one chat in order. A task that fails or hangs holds up
 * only its own chat. Thread-safe.
 */
final class ChatWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatWorkers.class);

    private final ExecutorService pool;
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    ChatWorkers(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, namedThreads("chat-worker-"));
    }

    /** Runs {@code task} after every task submitted before for the same chat. */
    void submit(long chatId, Runnable task) {
        CompletableFuture<Void> next = tails.compute(chatId, (id, tail) -> {
            CompletableFuture<Void> previous = tail == null ? CompletableFuture.completedFuture(null) : tail;
            return previous.thenRunAsync(() -> runLogged(chatId, task), pool);
        });
        // Forget a chat once its queue drains, so the map holds only busy chats. Attached outside compute: a
        // task that already finished would otherwise modify the map from inside its own compute.
        next.whenComplete((ignored, error) -> tails.remove(chatId, next));
    }

    /** Stops taking tasks and waits up to {@code timeoutMillis} for the ones under way. */
    boolean shutdown(long timeoutMillis) {
        pool.shutdown();
        try {
            return pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (!shutdown(5_000)) {
            pool.shutdownNow();
        }
    }

    private static void runLogged(long chatId, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("Update for chat {} failed", chatId, e);
        }
    }

    static ThreadFactory namedThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

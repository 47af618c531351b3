package org.forumgateway.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One writer thread that takes what callers hand it and processes everything that arrived while it was busy as one
 * batch: SQLite has one writer at a time, so writes that arrive together share one transaction instead of queueing
 * for the lock one by one. The batch handler owns telling each caller its outcome. Thread-safe.
 *
 * @param <T> what a caller hands over (the work and how to answer it)
 */
public final class GroupCommit<T> implements AutoCloseable {
    private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Consumer<List<T>> handler;
    private final Thread writer;

    /** Starts the writer thread, named {@code threadName}; {@code handler} gets batches of 1 to {@code maxBatch}. */
    public GroupCommit(String threadName, int maxBatch, Consumer<List<T>> handler) {
        this.maxBatch = maxBatch;
        this.handler = handler;
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true); // holds nothing between batches: every caller has had its answer
        writer.start();
    }

    /** Hands {@code item} to the writer; it goes with the next batch. */
    public void add(T item) {
        queue.add(item);
    }

    private void run() {
        // Someone waits for every item: these writes go ahead of the process's others (see WriteTurns).
        WriteLane.INTAKE.enter();
        List<T> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            handler.accept(List.copyOf(batch));
            batch.clear();
        }
    }

    /** Stops the writer; items not yet taken are left unanswered. */
    @Override
    public void close() {
        writer.interrupt();
    }
}

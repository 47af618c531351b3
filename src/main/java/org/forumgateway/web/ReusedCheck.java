package org.forumgateway.web;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A costly check that anyone may ask for (/healthz is not authenticated), made by one caller at a time and its
 * answer reused for a while: the database's write probe takes the write lock and waits up to a second for it, on
 * one of the pool's few connections, and a burst of probes must not take them all. Thread-safe.
 */
public final class ReusedCheck implements BooleanSupplier {
    private final BooleanSupplier check;
    private final long reuseNanos;
    private final LongSupplier nanoTime;
    private boolean answer;
    private long answeredAt;
    private boolean answered;

    public ReusedCheck(BooleanSupplier check, Duration reuse, LongSupplier nanoTime) {
        this.check = check;
        this.reuseNanos = reuse.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized boolean getAsBoolean() {
        if (!answered || nanoTime.getAsLong() - answeredAt >= reuseNanos) {
            answer = check.getAsBoolean();
            answeredAt = nanoTime.getAsLong();
            answered = true;
        }
        return answer;
    }
}

package org.forumgateway.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A count read from somewhere costly (the database) at most once per {@code maxAge}, however often it is scraped.
 * A failed read throws, and is tried again on the next call. Thread-safe.
 */
final class CachedCount {
    private final LongSupplier source;
    private final LongSupplier nanoTicker;
    private final long maxAgeNanos;
    private long value;
    private long readAt;
    private boolean read;

    /** @param nanoTicker a monotonic clock in nanoseconds ({@code System::nanoTime} in production) */
    CachedCount(LongSupplier source, Duration maxAge, LongSupplier nanoTicker) {
        this.source = source;
        this.nanoTicker = nanoTicker;
        this.maxAgeNanos = maxAge.toNanos();
    }

    synchronized long get() {
        long now = nanoTicker.getAsLong();
        if (!read || now - readAt >= maxAgeNanos) {
            value = source.getAsLong();
            readAt = now;
            read = true;
        }
        return value;
    }
}

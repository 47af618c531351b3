package org.forumgateway.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code burst} requests at once, refilled at {@code perSecond}. Keys are few (one per
 * calling system), so the map stays small. Thread-safe.
 */
final class RateLimiter {
    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param nanoTime a monotonic ticker, {@code System::nanoTime} outside tests */
    RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes a token for {@code key}: zero when the request may go, else how long until one is there. */
    Duration acquire(String key) {
        return buckets.computeIfAbsent(key, name -> new Bucket(burst, nanoTime.getAsLong())).take();
    }

    private final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        synchronized Duration take() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - updatedNanos) / 1e9 * perSecond);
            updatedNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
        }
    }
}

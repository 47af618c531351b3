package org.forumgateway.delivery;

/**
 * A token bucket: {@code ratePerSecond} on average, up to {@code burst} at once. A taker may also borrow: with
 * {@code credit} it takes a token as long as the bucket would not go more than {@code credit} below empty, and
 * the debt is repaid by the refill before anyone without credit gets a token. Not thread-safe: the engine's one
 * thread owns it. Time is passed in, so tests need no sleeping.
 */
final class TokenBucket {
    private double ratePerNano;
    private double burst;
    private double tokens;
    private long updatedAt;

    TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.updatedAt = nowNanos;
    }

    /** Changes the rate from now on, keeping the tokens saved so far (but no more than the new burst). */
    void changeRate(double ratePerSecond, double newBurst, long nowNanos) {
        refill(nowNanos);
        ratePerNano = ratePerSecond / 1e9;
        burst = Math.max(1, newBurst);
        tokens = Math.min(tokens, burst);
    }

    /**
     * Spends every saved token and those a pause until {@code untilNanos} would save: when it ends, start at the
     * rate rather than with a burst.
     */
    void drainUntil(long nowNanos, long untilNanos) {
        refill(nowNanos);
        tokens = Math.min(tokens, -Math.max(0, untilNanos - nowNanos) * ratePerNano);
    }

    boolean tryTake(long nowNanos) {
        return tryTake(nowNanos, 0);
    }

    /** Takes a token, going at most {@code credit} tokens into debt when none is saved. */
    boolean tryTake(long nowNanos, double credit) {
        refill(nowNanos);
        if (tokens >= 1 - credit) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    void giveBack() {
        tokens = Math.min(burst, tokens + 1);
    }

    /** Nanoseconds until a token is there; 0 when one is. */
    long nanosUntilToken(long nowNanos) {
        return nanosUntilToken(nowNanos, 0);
    }

    /** Nanoseconds until a taker with {@code credit} may take a token; 0 when it may now. */
    long nanosUntilToken(long nowNanos, double credit) {
        refill(nowNanos);
        double needed = 1 - credit;
        return tokens >= needed ? 0 : (long) Math.ceil((needed - tokens) / ratePerNano);
    }

    /** True when the bucket is full again, so it can be forgotten. */
    boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - updatedAt) * ratePerNano);
        updatedAt = nowNanos;
    }
}

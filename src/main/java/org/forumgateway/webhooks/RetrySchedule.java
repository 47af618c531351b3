package org.forumgateway.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a webhook that failed is tried again: 30 s after the first failure, doubling up to an hour, each delay
 * spread by ±20 % so that a receiver coming back is not hit by every retry in the same second; and tried for at
 * least a day from its first attempt before it is given up (counted from the attempt, not from when it was queued:
 * after the bot was stopped for a day, its queued webhooks still get their day of retries). A pure function of its
 * inputs and the random source.
 */
final class RetrySchedule {
    static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    static final Duration MAX_DELAY = Duration.ofHours(1);
    static final Duration RETRY_FOR = Duration.ofHours(24);
    private static final double SPREAD = 0.2;

    private final DoubleSupplier random;

    /** @param random values in [0, 1): the jitter */
    RetrySchedule(DoubleSupplier random) {
        this.random = random;
    }

    /**
     * After the {@code attempts}-th failed attempt at {@code now}, when to try again; empty when the webhook first
     * tried at {@code firstAttempt} has been tried for {@link #RETRY_FOR} and is given up.
     */
    Optional<Instant> nextAttempt(Instant firstAttempt, int attempts, Instant now) {
        if (!now.isBefore(firstAttempt.plus(RETRY_FOR))) {
            return Optional.empty();
        }
        return Optional.of(now.plus(delay(attempts)));
    }

    Duration delay(int attempts) {
        long base = Math.min(FIRST_DELAY.toMillis() << Math.min(20, Math.max(0, attempts - 1)), MAX_DELAY.toMillis());
        double factor = 1 - SPREAD + 2 * SPREAD * random.getAsDouble();
        return Duration.ofMillis(Math.round(base * factor));
    }
}

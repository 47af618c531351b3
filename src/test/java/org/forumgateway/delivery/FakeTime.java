package org.forumgateway.delivery;

import org.forumgateway.testing.MutableClock;

import java.time.Clock;
import java.time.Duration;

/** A ticker and a wall clock that stand still until the test moves them, together. Not thread-safe. */
final class FakeTime implements Ticker {
    private final MutableClock clock = MutableClock.frozenAt("2026-12-01T09:00:00Z");
    private long nanos = 1_000_000_000L;

    @Override
    public long nanos() {
        return nanos;
    }

    Clock clock() {
        return clock;
    }

    void advance(Duration duration) {
        nanos += duration.toNanos();
        clock.advance(duration);
    }

    void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }
}

package org.forumgateway.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test sets and moves, which otherwise runs at real speed (or stands still, when frozen): domain rules
 * see the instant the test chose, while retries that count real seconds still come due. Thread-safe.
 */
public final class MutableClock extends Clock {
    private final boolean ticking;
    private volatile Instant base;
    private volatile long baseNanos;

    /** A clock that runs from {@code start}. */
    public MutableClock(Instant start) {
        this(start, true);
    }

    private MutableClock(Instant start, boolean ticking) {
        this.ticking = ticking;
        set(start);
    }

    public static MutableClock at(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant));
    }

    /** A clock that stands still until the test moves it: for exact comparisons of stored instants. */
    public static MutableClock frozenAt(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant), false);
    }

    public synchronized void advance(Duration duration) {
        base = base.plus(duration);
    }

    public synchronized void set(Instant instant) {
        base = instant;
        baseNanos = System.nanoTime();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the bot always passes zones explicitly");
    }

    @Override
    public synchronized Instant instant() {
        return ticking ? base.plusNanos(System.nanoTime() - baseNanos) : base;
    }
}

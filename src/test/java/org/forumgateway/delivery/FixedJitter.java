package org.forumgateway.delivery;

import java.util.random.RandomGenerator;

/** A random source that always draws the same fraction: the jitter's lowest or highest end, or anything between. */
record FixedJitter(double fraction) implements RandomGenerator {

    static final FixedJitter LOWEST = new FixedJitter(0);
    /** The largest double below 1, as {@link RandomGenerator#nextDouble()} may return. */
    static final FixedJitter HIGHEST = new FixedJitter(Math.nextDown(1.0));

    @Override
    public double nextDouble() {
        return fraction;
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("pacing draws doubles only");
    }
}

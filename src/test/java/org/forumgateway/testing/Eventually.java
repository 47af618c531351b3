package org.forumgateway.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition another thread makes true (a row the bot writes, a thread that queues), checking it again
 * every millisecond, and fails naming what it waited for. For conditions nothing can be waited on directly.
 */
public final class Eventually {
    /** Far longer than anything takes on a busy machine; a passing test returns as soon as the condition holds. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long RECHECK_NANOS = 1_000_000;

    private Eventually() {
    }

    /** Returns once {@code condition} holds; fails after {@link #PATIENCE}. */
    public static void await(String what, BooleanSupplier condition) {
        await(PATIENCE, what, condition);
    }

    /** Returns once {@code condition} holds; fails after {@code patience}. */
    public static void await(Duration patience, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + patience.toMillis() + " ms for " + what);
            }
            LockSupport.parkNanos(RECHECK_NANOS);
        }
    }
}

package org.forumgateway.delivery;

/**
 * Monotonic time in nanoseconds, as {@link System#nanoTime()} gives it: what rates and pauses are measured with.
 * Injected so the pacing rules can be tested by moving a fake one instead of sleeping.
 */
@FunctionalInterface
interface Ticker {
    long nanos();

    static Ticker system() {
        return System::nanoTime;
    }
}

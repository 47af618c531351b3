package org.forumgateway.storage;

/**
 * How long the calling thread has waited, in all, for this process's write turn ({@link WriteTurns}): from asking
 * until it had the turn and ran again. A handler's timing reads it before and after, to tell the time it was
 * blocked behind another writer (a transaction of the delivery engine, a checkpoint) from the rest. The wait
 * includes the moments between being handed the turn and getting a core, which the thread's own scheduler
 * statistics count as waiting for a core too.
 */
public final class WriteTurnWaits {
    private static final ThreadLocal<long[]> WAITED_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    private WriteTurnWaits() {
    }

    /** The calling thread's waits for the write turn so far, in nanoseconds. */
    public static long ofThisThread() {
        return WAITED_NANOS.get()[0];
    }

    static void add(long nanos) {
        WAITED_NANOS.get()[0] += nanos;
    }
}

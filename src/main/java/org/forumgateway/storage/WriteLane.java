package org.forumgateway.storage;

/**
 * How urgent a thread's writes are, most urgent first: the order in which waiting writers get their turn (see
 * {@link WriteTurns}). A thread's lane is set once, by the code that starts it.
 */
public enum WriteLane {
    /** Stores what arrives from outside while the sender waits for the answer: webhook pushes, API requests, polls. */
    INTAKE,
    /** Someone waits for what this writes: a chat handler's reply, an API call made directly. The default. */
    INTERACTIVE,
    /** Nobody waits on each write: the delivery engine's bookkeeping, scheduled jobs, outgoing webhooks. */
    BACKGROUND;

    private static final ThreadLocal<WriteLane> CURRENT = ThreadLocal.withInitial(() -> INTERACTIVE);

    /** Puts the calling thread's writes in this lane for the rest of its life. */
    public void enter() {
        CURRENT.set(this);
    }

    static WriteLane current() {
        return CURRENT.get();
    }
}

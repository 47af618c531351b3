package org.forumgateway.storage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * Whose turn it is to write: a lock in front of SQLite's one write lock that hands the turn to the next waiter
 * directly, intake writers first, the others in the order they asked. Waiters sleep until handed the turn instead
 * of polling SQLite's lock, where under load whoever polls at the right moment wins and one writer can lose again
 * and again. Intake writers (see {@link #markIntake()}) store what arrives from outside while a caller waits for
 * the answer (a pushed update, an API request); they are few and each writes a batch per turn, so they cannot
 * starve the others: between two intake turns, one other writer always gets its turn. Reentrant; thread-safe.
 */
final class WriteTurns {
    private static final ThreadLocal<Boolean> INTAKE = ThreadLocal.withInitial(() -> false);

    private final Object monitor = new Object();
    private final ArrayDeque<Thread> intake = new ArrayDeque<>();
    private final ArrayDeque<Thread> others = new ArrayDeque<>();
    private final Duration maxWait;
    private Thread owner;
    private boolean ownerIsIntake;
    private int holds;

    /** @param maxWait how long a writer waits for its turn before it fails, as SQLite's busy timeout */
    WriteTurns(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** Makes the calling thread an intake writer for the rest of its life. */
    static void markIntake() {
        INTAKE.set(true);
    }

    /**
     * Waits for the turn (not interruptibly, as a database call does); returns at once if this thread has it.
     *
     * @throws WriteTurnTimeoutException after waiting longer than the busy timeout: every waiter gives up after its
     *                                   own wait, as they would all have given up waiting for SQLite's lock
     */
    void take() {
        Thread me = Thread.currentThread();
        ArrayDeque<Thread> queue;
        synchronized (monitor) {
            if (owner == me) {
                holds++;
                return;
            }
            if (owner == null) {
                owner = me;
                ownerIsIntake = INTAKE.get();
                holds = 1;
                return;
            }
            queue = INTAKE.get() ? intake : others;
            queue.add(me);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean interrupted = false;
        try {
            while (!handedTo(me)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && giveUp(me, queue)) {
                    throw new WriteTurnTimeoutException(maxWait);
                }
                LockSupport.parkNanos(this, Math.max(left, 0));
                interrupted |= Thread.interrupted();
            }
        } finally {
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /** Leaves the queue; false when the turn was handed over meanwhile (then it is taken after all). */
    private boolean giveUp(Thread me, ArrayDeque<Thread> queue) {
        synchronized (monitor) {
            return owner != me && queue.remove(me);
        }
    }

    /** Gives the turn back; the last of a thread's nested takes hands it to the next waiter. */
    void give() {
        giveFor(Thread.currentThread());
    }

    /**
     * Gives back a turn {@code holder} took, from whichever thread: a statement's resources may be closed on another
     * thread than the one that ran it, and a turn never given back would stop every writer.
     */
    void giveFor(Thread holder) {
        synchronized (monitor) {
            if (owner != holder) {
                throw new IllegalStateException("the write turn is not held by " + holder.getName());
            }
            if (--holds > 0) {
                return;
            }
            // After an intake writer, another writer goes first; after another writer, intake goes first.
            ArrayDeque<Thread> first = ownerIsIntake ? others : intake;
            ArrayDeque<Thread> from = first.isEmpty() ? (first == others ? intake : others) : first;
            Thread next = from.poll();
            owner = next;
            ownerIsIntake = from == intake;
            holds = next == null ? 0 : 1;
            if (next != null) {
                LockSupport.unpark(next);
            }
        }
    }

    /** How many threads wait for the turn (for tests: the order is only observable once they wait). */
    int waiting() {
        synchronized (monitor) {
            return intake.size() + others.size();
        }
    }

    private boolean handedTo(Thread thread) {
        synchronized (monitor) {
            return owner == thread;
        }
    }
}

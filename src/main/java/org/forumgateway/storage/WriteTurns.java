package org.forumgateway.storage;

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
    private Thread owner;
    private int holds;

    /** Makes the calling thread an intake writer for the rest of its life. */
    static void markIntake() {
        INTAKE.set(true);
    }

    /** Waits for the turn (uninterruptibly, as a database call does); returns at once if this thread has it. */
    void take() {
        Thread me = Thread.currentThread();
        synchronized (monitor) {
            if (owner == me) {
                holds++;
                return;
            }
            if (owner == null) {
                owner = me;
                holds = 1;
                return;
            }
            (INTAKE.get() ? intake : others).add(me);
        }
        boolean interrupted = false;
        while (!handedTo(me)) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            me.interrupt();
        }
    }

    /** Gives the turn back; the last of a thread's nested takes hands it to the next waiter. */
    void give() {
        synchronized (monitor) {
            if (owner != Thread.currentThread()) {
                throw new IllegalStateException("the write turn is not this thread's");
            }
            if (--holds > 0) {
                return;
            }
            // After an intake writer, another writer goes first; after another writer, intake goes first.
            Thread next = INTAKE.get() ? firstOf(others, intake) : firstOf(intake, others);
            owner = next;
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

    private static Thread firstOf(ArrayDeque<Thread> preferred, ArrayDeque<Thread> then) {
        Thread next = preferred.poll();
        return next != null ? next : then.poll();
    }

    private boolean handedTo(Thread thread) {
        synchronized (monitor) {
            return owner == thread;
        }
    }
}

package org.forumgateway.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Whose turn it is to write: a lock in front of SQLite's one write lock that hands the turn to the next waiter
 * directly. Waiters sleep until handed the turn instead of polling SQLite's lock, where under load whoever polls at
 * the right moment wins and one writer can lose again and again. The next turn goes to the first waiter of the most
 * urgent {@link WriteLane lane}, unless a waiter has waited longer than {@link #MAX_PASSED_OVER}: then the one that
 * waited longest goes first, so no lane starves. Reentrant; thread-safe.
 */
final class WriteTurns {
    /** How long a waiter may be passed over by more urgent lanes before it goes first. */
    static final Duration MAX_PASSED_OVER = Duration.ofMillis(20);

    private record Waiter(Thread thread, WriteLane lane, long since) {
    }

    private final Object monitor = new Object();
    /** In the order they asked. */
    private final List<Waiter> waiters = new ArrayList<>();
    private final Duration maxWait;
    private final long maxPassedOverNanos;
    private Thread owner;
    private int holds;

    /** @param maxWait how long a writer waits for its turn before it fails, as SQLite's busy timeout */
    WriteTurns(Duration maxWait) {
        this(maxWait, MAX_PASSED_OVER);
    }

    WriteTurns(Duration maxWait, Duration maxPassedOver) {
        this.maxWait = maxWait;
        this.maxPassedOverNanos = maxPassedOver.toNanos();
    }

    /**
     * Waits for the turn (not interruptibly, as a database call does); returns at once if this thread has it.
     *
     * @throws WriteTurnTimeoutException after waiting longer than the busy timeout: every waiter gives up after its
     *                                   own wait, as they would all have given up waiting for SQLite's lock
     */
    void take() {
        Thread me = Thread.currentThread();
        Waiter waiter;
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
            waiter = new Waiter(me, WriteLane.current(), System.nanoTime());
            waiters.add(waiter);
        }
        long deadline = waiter.since() + maxWait.toNanos();
        boolean interrupted = false;
        try {
            while (!handedTo(me)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && giveUp(waiter)) {
                    throw new WriteTurnTimeoutException(maxWait);
                }
                LockSupport.parkNanos(this, Math.max(left, 0));
                interrupted |= Thread.interrupted();
            }
            WriteTurnWaits.add(System.nanoTime() - waiter.since());
        } finally {
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /** Leaves the queue; false when the turn was handed over meanwhile (then it is taken after all). */
    private boolean giveUp(Waiter waiter) {
        synchronized (monitor) {
            return owner != waiter.thread() && waiters.remove(waiter);
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
            Waiter next = next(System.nanoTime());
            owner = next == null ? null : next.thread();
            holds = next == null ? 0 : 1;
            if (next != null) {
                waiters.remove(next);
                LockSupport.unpark(next.thread());
            }
        }
    }

    /** The longest waiter if it has been passed over too long, else the first of the most urgent lane. */
    private Waiter next(long now) {
        if (waiters.isEmpty()) {
            return null;
        }
        Waiter longest = waiters.get(0);
        if (now - longest.since() > maxPassedOverNanos) {
            return longest;
        }
        Waiter next = longest;
        for (Waiter waiter : waiters) {
            if (waiter.lane().ordinal() < next.lane().ordinal()) {
                next = waiter;
            }
        }
        return next;
    }

    /** How many threads wait for the turn (for tests: the order is only observable once they wait). */
    int waiting() {
        synchronized (monitor) {
            return waiters.size();
        }
    }

    private boolean handedTo(Thread thread) {
        synchronized (monitor) {
            return owner == thread;
        }
    }
}

package org.forumgateway.storage;

import org.jdbi.v3.core.Handle;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for another connection's lock in short pauses growing from 0.1 ms to 1 ms, until the busy timeout.
 * SQLite's own handler sleeps 1, 2, 5, 10 … 100 ms between tries, so a writer queued behind a transaction of one
 * millisecond could sleep 25 ms; here it goes on within a millisecond. It parks rather than spins: a variant that
 * yielded first did worse on a busy 2-core machine, taking CPU from the lock's holder. Not shared: one per
 * connection, which one thread uses at a time.
 */
final class PromptBusyHandler extends BusyHandler {
    private static final long MAX_PAUSE_NANOS = 1_000_000;

    private final long timeoutNanos;
    private long waitingSince;

    PromptBusyHandler(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** @return non-zero to try again, 0 to give up with SQLITE_BUSY */
    @Override
    protected int callback(int previousCalls) {
        long now = System.nanoTime();
        if (previousCalls == 0) {
            waitingSince = now;
        }
        if (now - waitingSince >= timeoutNanos) {
            return 0;
        }
        LockSupport.parkNanos(Math.min(MAX_PAUSE_NANOS, 100_000L * (previousCalls + 1)));
        return 1;
    }

    /** Work on a handle whose connection waits for locks less long than usual. */
    interface ShortWait<T> {
        T run(Handle handle) throws SQLException;
    }

    /**
     * Runs {@code work} with {@code handle}'s connection waiting at most {@code wait} for another's lock, then gives
     * it back its {@code usual} busy timeout (the connection goes back to the pool).
     */
    static <T> T waitingAtMost(Handle handle, Duration wait, Duration usual, ShortWait<T> work) throws SQLException {
        SQLiteConnection connection = handle.getConnection().unwrap(SQLiteConnection.class);
        BusyHandler.setHandler(connection, new PromptBusyHandler(wait));
        try {
            return work.run(handle);
        } finally {
            BusyHandler.setHandler(connection, new PromptBusyHandler(usual));
        }
    }
}

package org.forumgateway.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the write-ahead log back into the database file on a thread of its own. SQLite would otherwise do it
 * inside whichever commit crosses a thousand pages of log, with two fsyncs, tens of milliseconds on a busy disk,
 * and that commit may be a reply or a webhook push someone is waiting for. Connections are opened with automatic
 * checkpoints off ({@code wal_autocheckpoint = 0}); a PASSIVE checkpoint takes no lock writers need, so they go
 * on meanwhile. SQLite still checkpoints when the last connection closes.
 *
 * <p>A copied log is written again from its beginning only by a writer that finds no reader still on a snapshot
 * older than the copy. Under steady traffic (replies, deliveries, API requests) there nearly always is one, so the
 * file grew without end: 1.6 GB in two minutes of the gateway benchmark, for a 28 MB database, and the commit that
 * finally started it again cut the file back to {@code journal_size_limit}, holding the write lock for over a second
 * while the delivery engine waited. So once the log is longer than {@value #RESTART_ABOVE_FRAMES} pages (32 MB), a
 * RESTART checkpoint follows: holding this process's write turn, it waits until the readers on older snapshots are
 * done (new ones read the database file), at most {@link #RESTART_WAIT}, so that the next writer starts the log
 * again; if they are not done by then, the next round tries again. A TRUNCATE checkpoint would also shorten the
 * file, but inside the write lock: four times as long a pause (measured in the gateway benchmark).
 */
final class Checkpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    /** Often enough that the log stays a few megabytes even at the delivery engine's full rate. */
    static final Duration PERIOD = Duration.ofMillis(500);
    static final int RESTART_ABOVE_FRAMES = 8_192;
    /**
     * Past this (48 MB, below {@code journal_size_limit}), a RESTART checkpoint waits for the readers on older
     * snapshots; below it, it only tries (they hold up every writer meanwhile), and the next round tries again.
     */
    static final int INSIST_ABOVE_FRAMES = 12_288;
    /**
     * Pages written during the last copy that a RESTART checkpoint may be left to copy inside the write turn.
     * Measured in the webhook benchmark's bursts, where a restart came about every 0.6 s: 1,000-1,800 pages left
     * held every writer 15-25 ms; 40-80 pages, 5-10 ms (copying them means syncing the file again); none, 0.3 ms.
     */
    private static final int LEFT_FOR_RESTART = 64;
    private static final int CATCH_UP_TRIES = 10;
    private static final Duration CATCH_UP_PAUSE = Duration.ofMillis(2);
    /**
     * Readers take milliseconds, but on two busy cores one may wait tens of them for a core (20 ms was too short in
     * {@code CheckpointsTest}); writers wait while the checkpoint waits, so not longer than this.
     */
    private static final Duration RESTART_WAIT = Duration.ofMillis(100);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread checkpoints = new Thread(runnable, "wal-checkpoints");
        checkpoints.setDaemon(true);
        return checkpoints;
    });
    private final Jdbi jdbi;
    private final WriteTurns turns;
    private final Duration busyTimeout;
    private volatile boolean failing;

    /**
     * @param turns       this process's writers' turns: a RESTART checkpoint takes one, so they wait their turn
     *                    rather than race it for SQLite's write lock
     * @param busyTimeout the connections' own busy timeout, set back after a RESTART checkpoint
     */
    Checkpoints(Jdbi jdbi, WriteTurns turns, Duration busyTimeout) {
        this.jdbi = jdbi;
        this.turns = turns;
        this.busyTimeout = busyTimeout;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::checkpoint, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One PASSIVE checkpoint, and a RESTART one when the log has grown long; a failure is logged once until one
     * succeeds again, and the next round tries again.
     */
    void checkpoint() {
        try {
            jdbi.useHandle(handle -> {
                Log wal = walCheckpoint(handle, "PASSIVE");
                // A restart copies inside the write turn what was written since the last copy: in a burst, 1,800
                // pages written during a copy of 80 ms. Each copy takes what came during the one before (a few times
                // fewer pages), so a few more copies leave the restart little to do.
                for (int i = 0; i < CATCH_UP_TRIES && wal.pages() > RESTART_ABOVE_FRAMES; i++) {
                    Log next = walCheckpoint(handle, "PASSIVE");
                    boolean caughtUp = next.pages() - wal.pages() <= LEFT_FOR_RESTART && next.copied() == next.pages();
                    wal = next;
                    if (caughtUp) {
                        break;
                    }
                    if (next.copied() < next.pages()) {
                        LockSupport.parkNanos(CATCH_UP_PAUSE.toNanos()); // readers on older snapshots: let them end
                    }
                }
                if (wal.pages() > RESTART_ABOVE_FRAMES) {
                    restart(handle, wal.pages() > INSIST_ABOVE_FRAMES ? RESTART_WAIT : Duration.ZERO);
                }
            });
            if (failing) {
                failing = false;
                log.info("The write-ahead log is copied into the database again");
            }
        } catch (RuntimeException | SQLException e) {
            if (!failing) {
                failing = true;
                log.warn("The write-ahead log cannot be copied into the database now; trying again: {}",
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private void restart(Handle handle, Duration readersWait) throws SQLException {
        turns.take();
        try {
            PromptBusyHandler.waitingAtMost(handle, readersWait, busyTimeout, h -> walCheckpoint(h, "RESTART"));
        } finally {
            turns.give();
        }
    }

    /** The log after a checkpoint: its pages, and how many of them are in the database file (-1: not WAL). */
    private record Log(long pages, long copied) {
    }

    /** Runs a checkpoint. */
    private static Log walCheckpoint(Handle handle, String mode) {
        return handle.createQuery("PRAGMA wal_checkpoint(" + mode + ")")
                .map((rows, context) -> new Log(rows.getLong("log"), rows.getLong("checkpointed"))).one();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

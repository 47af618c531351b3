package org.forumgateway.storage;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Copies the write-ahead log back into the database file on a thread of its own. SQLite would otherwise do it
 * inside whichever commit crosses a thousand pages of log, with two fsyncs, tens of milliseconds on a busy disk,
 * and that commit may be a reply or a webhook push someone is waiting for. Connections are opened with automatic
 * checkpoints off ({@code wal_autocheckpoint = 0}); a PASSIVE checkpoint takes no lock writers need, so they go
 * on meanwhile. SQLite still checkpoints when the last connection closes.
 */
final class Checkpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    /** Often enough that the log stays a few megabytes even at the delivery engine's full rate. */
    static final Duration PERIOD = Duration.ofMillis(500);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread checkpoints = new Thread(runnable, "wal-checkpoints");
        checkpoints.setDaemon(true);
        return checkpoints;
    });
    private final Jdbi jdbi;
    private volatile boolean failing;

    Checkpoints(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::checkpoint, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One PASSIVE checkpoint; a failure is logged once until one succeeds again, and the next round tries again. */
    void checkpoint() {
        try {
            jdbi.useHandle(handle -> handle.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().list());
            if (failing) {
                failing = false;
                log.info("The write-ahead log is copied into the database again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("The write-ahead log cannot be copied into the database now; trying again: {}",
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            }
        }
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

package org.forumgateway.announcements;

import org.forumgateway.storage.WriteLane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The thread that queues the rest of a large announcement after its first rows, one announcement after another.
 * Its writes go behind chat replies (nobody waits on each chunk). A failed attempt (the disk full, the database
 * locked by another process) is tried again for some minutes: queueing is idempotent, rows already queued stay as
 * they are. Stopping interrupts it between two chunks; what it had not queued is queued at the next start.
 */
public final class AnnouncementQueueing implements Executor {
    private static final Logger log = LoggerFactory.getLogger(AnnouncementQueueing.class);
    /** About four minutes of tries (1 s, 2 s, … 30 s): past a passing lock or a freed disk, a fault of its own. */
    static final int ATTEMPTS = 12;

    private final Duration firstRetry;
    private final Duration longestRetry;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread queueing = new Thread(runnable, "announcement-queueing");
        queueing.setDaemon(true);
        return queueing;
    });

    public AnnouncementQueueing() {
        this(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** With other waits between tries, for tests. */
    AnnouncementQueueing(Duration firstRetry, Duration longestRetry) {
        this.firstRetry = firstRetry;
        this.longestRetry = longestRetry;
    }

    @Override
    public void execute(Runnable queueTheRest) {
        try {
            thread.execute(() -> attempt(queueTheRest));
        } catch (RejectedExecutionException e) {
            log.info("Stopping: an announcement's remaining recipients are queued at the next start");
        }
    }

    /** Runs it until it succeeds or the thread is stopped. */
    private void attempt(Runnable queueTheRest) {
        WriteLane.BACKGROUND.enter();
        Duration wait = firstRetry;
        for (int attempt = 1; !Thread.currentThread().isInterrupted(); attempt++) {
            try {
                queueTheRest.run();
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    // The next announcement must not wait behind this one: the next start tries it again.
                    log.error("Queueing an announcement's remaining recipients failed {} times; the next start "
                            + "tries again", ATTEMPTS, e);
                    return;
                }
                log.warn("Queueing an announcement's remaining recipients failed ({}); trying again in {} ms",
                        e.getMessage(), wait.toMillis());
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return; // stopping: the next start completes it
            }
            wait = wait.multipliedBy(2).compareTo(longestRetry) > 0 ? longestRetry : wait.multipliedBy(2);
        }
    }

    /** Interrupts the queueing under way, which stops after its current chunk, and waits at most {@code millis}. */
    public void stop(long millis) {
        thread.shutdownNow();
        try {
            thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

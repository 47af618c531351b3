package org.forumgateway.announcements;

import org.forumgateway.storage.WriteLane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The thread that queues the rest of a large announcement after its first rows, one announcement after another.
 * Its writes go behind chat replies (nobody waits on each chunk). Stopping interrupts it between two chunks; what
 * it had not queued is queued at the next start.
 */
public final class AnnouncementQueueing implements Executor {
    private static final Logger log = LoggerFactory.getLogger(AnnouncementQueueing.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread queueing = new Thread(runnable, "announcement-queueing");
        queueing.setDaemon(true);
        return queueing;
    });

    @Override
    public void execute(Runnable queueTheRest) {
        thread.execute(() -> {
            WriteLane.BACKGROUND.enter();
            try {
                queueTheRest.run();
            } catch (RuntimeException e) {
                // The announcement stays without its count, so the next start queues what is missing.
                log.error("Queueing an announcement's remaining recipients failed; the next start completes it", e);
            }
        });
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

package org.forumgateway.bot;

import org.forumgateway.storage.WriteTurnWaits;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What handling one update cost its chat worker: the wall-clock time (until its replies were queued, and until the
 * worker was free again), the CPU time the thread used, the time it was ready to run but waited for a core
 * (Linux's per-thread scheduler statistics) and the time it waited for this process's write turn. Wall clock minus
 * CPU and the wait for a core is what the thread spent blocked: on the write turn, a lock, the disk. The replies are
 * queued when the update's transaction commits; what the worker does after that (returning the connection, and
 * waiting for a core while the delivery engine it has just woken sends the replies) is not on the replies' path.
 * Taken only when the router's debug line is on (the full-path benchmark reads it). Not thread-safe: started and
 * read on the worker's own thread.
 */
final class HandlerTiming {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** "run time, time waiting on a run queue, time slices", in nanoseconds; the calling thread's own. */
    private static final Path SCHEDULER_STATISTICS = Path.of("/proc/thread-self/schedstat");
    static final long UNKNOWN = -1;
    /**
     * Each worker's own statistics file, opened once: "thread-self" names the opening thread's file for as long as
     * it stays open, and reading it again from the start gives the current figures. Opening, sizing and closing it
     * for every read took three quarters of the read's time, and a chat worker's CPU spent on it, though outside
     * the handler's windows, brought the scheduler's end of its time slice nearer (6 % of the workers' CPU in a
     * profile of the full-path benchmark).
     */
    private static final ThreadLocal<Optional<FileChannel>> OWN_STATISTICS =
            ThreadLocal.withInitial(HandlerTiming::openStatistics);
    private static final int STATISTICS_MAX_BYTES = 128;

    // In this order, and read in the reverse order at the end: the statistics file's own read (a system call)
    // falls outside the wall clock and CPU time it would otherwise add to.
    private final long waitStartedNanos = runQueueWaitNanos();
    private final long writeTurnStartedNanos = WriteTurnWaits.ofThisThread();
    private final long cpuStartedNanos = THREADS.getCurrentThreadCpuTime();
    private final long startedNanos = System.nanoTime();

    private long queuedNanos;
    private boolean queued;

    /** The update's transaction, with its replies, has just committed: the first time counts. */
    void queued() {
        if (!queued) {
            queuedNanos = System.nanoTime();
            queued = true;
        }
    }

    /** From the start until the replies were queued, or {@link #UNKNOWN} if the update's transaction never committed. */
    long queuedMicros() {
        return queued ? (queuedNanos - startedNanos) / 1_000 : UNKNOWN;
    }

    long elapsedMicros() {
        return (System.nanoTime() - startedNanos) / 1_000;
    }

    long cpuMicros() {
        return (THREADS.getCurrentThreadCpuTime() - cpuStartedNanos) / 1_000;
    }

    /** Time spent waiting for this process's write turn since the start: blocked behind another writer. */
    long waitingForWriteTurnMicros() {
        return (WriteTurnWaits.ofThisThread() - writeTurnStartedNanos) / 1_000;
    }

    /** Time spent runnable without a core since the start, or {@link #UNKNOWN} where the system does not say. */
    long waitingForCoreMicros() {
        long now = runQueueWaitNanos();
        return now == UNKNOWN || waitStartedNanos == UNKNOWN ? UNKNOWN : (now - waitStartedNanos) / 1_000;
    }

    private static long runQueueWaitNanos() {
        Optional<FileChannel> statistics = OWN_STATISTICS.get();
        if (statistics.isEmpty()) {
            return UNKNOWN;
        }
        ByteBuffer text = ByteBuffer.allocate(STATISTICS_MAX_BYTES);
        try {
            while (text.hasRemaining() && statistics.get().read(text, text.position()) > 0) {
                // a proc file may hand its text over in more than one read
            }
        } catch (IOException e) {
            return UNKNOWN;
        }
        return runQueueWait(new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII));
    }

    private static Optional<FileChannel> openStatistics() {
        try {
            return Optional.of(FileChannel.open(SCHEDULER_STATISTICS));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The second of schedstat's three numbers, or {@link #UNKNOWN} when the text is not what Linux writes. */
    static long runQueueWait(String schedstat) {
        String[] fields = schedstat.trim().split(" ");
        if (fields.length != 3) {
            return UNKNOWN;
        }
        try {
            return Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }
}

package org.forumgateway.web;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a request body into memory as its chunks arrive, asking Jetty to call back when more is there, so a slow
 * sender holds a connection but no thread. Ends exactly once: with the body, too large, timed out, or failed.
 *
 * <p>A body over the limit is read on and dropped, up to {@link #discardLimit}, before it is called too large: a
 * server that answers and closes while the client is still sending makes the client's TCP stack discard the answer
 * (the close resets the connection), and the client sees a broken connection instead of the 413.
 */
final class BodyReader implements Runnable {

    /** How a read ended; exactly one method is called, once. */
    interface Outcome {
        void body(byte[] body);

        void tooLarge();

        void timedOut();

        void failed(Throwable failure);
    }

    private final Request request;
    private final int maxBytes;
    private final Outcome outcome;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private long dropped;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Scheduler.Task deadline;

    private BodyReader(Request request, int maxBytes, Outcome outcome) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.outcome = outcome;
    }

    /** How much of a body over {@code maxBytes} is read and dropped so that its sender gets the answer. */
    static long discardLimit(int maxBytes) {
        return Math.max(2L * maxBytes, 1024 * 1024);
    }

    static void read(Request request, int maxBytes, Duration timeout, Scheduler scheduler, Outcome outcome) {
        BodyReader reader = new BodyReader(request, maxBytes, outcome);
        if (request.getLength() == 0) {
            reader.end(() -> outcome.body(new byte[0]));
            return;
        }
        reader.deadline = scheduler.schedule(() -> reader.end(outcome::timedOut), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        reader.run();
    }

    /** Reads what has arrived; called again by Jetty when more has. */
    @Override
    public void run() {
        while (!ended.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                end(() -> outcome.failed(chunk.getFailure()));
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean last = chunk.isLast();
            if (dropped > 0 || received.size() + (long) bytes.remaining() > maxBytes) {
                dropped += bytes.remaining();
                chunk.release();
                if (last || received.size() + dropped > discardLimit(maxBytes)) {
                    end(outcome::tooLarge);
                    return;
                }
                continue;
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            received.write(copy, 0, copy.length);
            chunk.release();
            if (last) {
                end(() -> outcome.body(received.toByteArray()));
                return;
            }
        }
    }

    private void end(Runnable ending) {
        if (ended.compareAndSet(false, true)) {
            Scheduler.Task task = deadline;
            if (task != null) {
                task.cancel();
            }
            ending.run();
        }
    }
}

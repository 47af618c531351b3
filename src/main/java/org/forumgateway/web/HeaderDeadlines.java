package org.forumgateway.web;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that have not delivered a request's complete headers within the header timeout of opening
 * or of their previous answer. Jetty's idle timeout alone lets a client trickle a byte every few seconds for ever;
 * this bounds the whole wait, and with it how long an idle keep-alive connection stays open. Thread-safe.
 */
final class HeaderDeadlines extends AbstractLifeCycle implements Connection.Listener {
    private final long timeoutNanos;
    private final long sweepMillis;
    private final Scheduler scheduler;
    private final Map<Connection, Waiting> connections = new ConcurrentHashMap<>();

    /** When a connection began waiting for headers; {@code busy} while a request on it is being answered. */
    private static final class Waiting {
        volatile long sinceNanos = System.nanoTime();
        volatile boolean busy;
    }

    HeaderDeadlines(Duration timeout, Scheduler scheduler) {
        this.timeoutNanos = timeout.toNanos();
        // Checked five times per timeout: a connection lives at most 20 % past its deadline.
        this.sweepMillis = Math.max(20, timeout.toMillis() / 5);
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        connections.put(connection, new Waiting());
    }

    @Override
    public void onClosed(Connection connection) {
        connections.remove(connection);
    }

    /** The request's headers are complete; its connection waits again once the answer is written. */
    void requestStarted(Request request) {
        Waiting waiting = connections.get(request.getConnectionMetaData().getConnection());
        if (waiting == null) {
            return;
        }
        waiting.busy = true;
        Request.addCompletionListener(request, failure -> {
            waiting.sinceNanos = System.nanoTime();
            waiting.busy = false;
        });
    }

    @Override
    protected void doStart() {
        scheduleSweep();
    }

    private void scheduleSweep() {
        scheduler.schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        if (!isRunning()) {
            return;
        }
        long now = System.nanoTime();
        connections.forEach((connection, waiting) -> {
            if (!waiting.busy && now - waiting.sinceNanos > timeoutNanos) {
                connections.remove(connection);
                // The socket, not the connection: closing the connection would make Jetty answer 500.
                connection.getEndPoint().close();
            }
        });
        scheduleSweep();
    }
}

package org.forumgateway.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

import java.util.List;

/**
 * Keeps off the test console the error reports of failures that tests cause on purpose (a dropped poll, a database
 * write lock held by another connection, an update that cannot be stored, a route that throws, a database trigger
 * that refuses a write), so that an ERROR
 * line in the build's output always means something unexpected. Tests that check these reports capture them on
 * the logger itself ({@link LogCapture}), which this console filter does not affect.
 */
public final class ProvokedFailuresFilter extends Filter<ILoggingEvent> {
    private static final List<String> PROVOKED = List.of(
            "Error received from Telegram GetUpdates Request",
            "Cannot store received updates in the database",
            "cannot be stored as received and is skipped",
            "cannot be read: ",
            "cannot be read back; skipping it",
            "HTTP GET /broken failed");

    /** What a test's own database trigger raises (RAISE(ABORT, ...)), anywhere in a logged exception's causes. */
    private static final String PROVOKED_CAUSE = "provoked by a test";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        return message != null && PROVOKED.stream().anyMatch(message::contains) || provokedCause(event)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    private static boolean provokedCause(ILoggingEvent event) {
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains(PROVOKED_CAUSE)) {
                return true;
            }
        }
        return false;
    }
}

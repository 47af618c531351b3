package org.forumgateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the polling library's error reports about the long poll that shutdown cancels on purpose (an
 * {@code IOException: Canceled}, then an interrupted back-off sleep). Every other report passes.
 */
public final class StoppedPollFilter extends Filter<ILoggingEvent> {
    private static final String POLLING_LOGGER = "org.telegram.telegrambots.longpolling.BotSession";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (!POLLING_LOGGER.equals(event.getLoggerName())) {
            return FilterReply.NEUTRAL;
        }
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            boolean cancelled = "java.io.IOException".equals(cause.getClassName()) && "Canceled".equals(cause.getMessage());
            boolean interrupted = "java.lang.InterruptedException".equals(cause.getClassName())
                    || "java.io.InterruptedIOException".equals(cause.getClassName());
            if (cancelled || interrupted) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}

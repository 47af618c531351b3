package org.forumgateway.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Records what one logger (and those below it) writes, for tests that count log lines. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level levelBefore;

    private final boolean additiveBefore;

    private LogCapture(String loggerName, boolean silenced) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.levelBefore = logger.getLevel();
        this.additiveBefore = logger.isAdditive();
        if (silenced) {
            logger.setAdditive(false); // recorded here only: the line a test provokes on purpose stays off the console
        }
        logger.setLevel(Level.INFO); // tests log at WARN; what is counted here includes INFO
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName(), false);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName, false);
    }

    /** As {@link #of(Class)}, keeping the lines off the console: for an error a test causes on purpose. */
    public static LogCapture silencing(Class<?> type) {
        return new LogCapture(type.getName(), true);
    }

    /** Formatted messages at {@code level} or above, in order. */
    public List<String> messages(Level level) {
        synchronized (appender) { // AppenderBase appends holding this lock
            return appender.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(level))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
        logger.setAdditive(additiveBefore);
        appender.stop();
    }
}

package org.forumgateway.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.regex.Pattern;

/**
 * A log pattern layout that blanks out anything shaped like a bot token, in messages and stack traces alike:
 * OkHttp and telegrambots put the token in request URLs, and an exception may carry one.
 */
public final class RedactingLayout extends PatternLayout {
    private static final Pattern TOKEN = Pattern.compile("\\d{3,20}:[A-Za-z0-9_-]{30,}");

    @Override
    public String doLayout(ILoggingEvent event) {
        return redact(super.doLayout(event));
    }

    public static String redact(String text) {
        return TOKEN.matcher(text).replaceAll("<redacted>");
    }
}

package org.forumgateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactingLayoutTest {
    private static final String TOKEN = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    @Test
    void tokensDisappearFromMessagesAndStackTraces() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setPattern("%msg%n");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(output);
        appender.start();
        Logger logger = context.getLogger("test");
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);

        logger.info("POST https://api.telegram.org/bot{}/sendMessage", TOKEN);
        logger.error("request failed", new IOException("unexpected end of stream on http://host/bot" + TOKEN + "/getUpdates"));

        String text = output.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains(TOKEN), text);
        assertFalse(text.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"), text);
        assertTrue(text.contains("bot<redacted>/sendMessage"), text);
        assertTrue(text.contains("bot<redacted>/getUpdates"), text);
    }
}

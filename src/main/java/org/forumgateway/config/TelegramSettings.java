package org.forumgateway.config;

import java.net.URI;

/**
 * How to reach the Bot API. {@link #toString()} hides the token so that logging a config never leaks it.
 *
 * @param token              the bot token from @BotFather
 * @param apiUrl             the Bot API server: scheme, host and port only
 * @param pollTimeoutSeconds the long-poll timeout of getUpdates
 */
public record TelegramSettings(String token, URI apiUrl, int pollTimeoutSeconds) {

    @Override
    public String toString() {
        return "TelegramSettings[token=<redacted>, apiUrl=" + apiUrl + ", pollTimeoutSeconds=" + pollTimeoutSeconds + "]";
    }
}

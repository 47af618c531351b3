package org.forumgateway.config;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach the Bot API and how updates come in. {@link #toString()} hides the token and the webhook secret so
 * that logging a config never leaks them.
 *
 * @param token              the bot token from @BotFather
 * @param apiUrl             the Bot API server: scheme, host and port only
 * @param pollTimeoutSeconds the long-poll timeout of getUpdates
 * @param webhookUrl         the public base URL Telegram pushes updates to; empty: long polling
 * @param webhookSecret      the secret token Telegram sends with each push; empty: generated and kept in the database
 */
public record TelegramSettings(String token, URI apiUrl, int pollTimeoutSeconds, Optional<URI> webhookUrl,
                               Optional<String> webhookSecret) {
    /** Telegram's own Bot API servers, as opposed to a local Bot API server with rules of its own. */
    public static final String CLOUD_HOST = "api.telegram.org";
    /** The only ports Telegram's own servers push webhooks to. */
    public static final Set<Integer> CLOUD_WEBHOOK_PORTS = Set.of(443, 80, 88, 8443);

    /** Whether {@code apiUrl} is Telegram's own Bot API. */
    public static boolean isCloud(URI apiUrl) {
        return CLOUD_HOST.equalsIgnoreCase(apiUrl.getHost());
    }

    /** Long polling. */
    public TelegramSettings(String token, URI apiUrl, int pollTimeoutSeconds) {
        this(token, apiUrl, pollTimeoutSeconds, Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "TelegramSettings[token=<redacted>, apiUrl=" + apiUrl + ", pollTimeoutSeconds=" + pollTimeoutSeconds
                + ", webhookUrl=" + webhookUrl.map(URI::toString).orElse("<none: polling>")
                + ", webhookSecret=" + webhookSecret.map(secret -> "<redacted>").orElse("<generated>") + "]";
    }
}

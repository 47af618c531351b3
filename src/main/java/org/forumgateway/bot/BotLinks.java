package org.forumgateway.bot;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Links the bot hands out: deep links into the bot ({@code https://t.me/<bot>?start=<payload>}) and calendar
 * feed URLs on the HTTP server.
 *
 * @param botUsername from getMe; empty when the Bot API was unreachable at start
 */
public record BotLinks(Optional<String> botUsername, URI publicUrl, boolean httpEnabled) {

    /** The deep link, or the command to type when the bot's username is unknown. */
    public String start(String payload) {
        return deepLink(payload).orElse("/start " + payload);
    }

    /** The deep link; empty while the bot's username is unknown (the Bot API has not answered getMe yet). */
    public Optional<String> deepLink(String payload) {
        return botUsername.map(name -> "https://t.me/" + name + "?start=" + payload);
    }

    public Optional<String> calendarFeed(String token) {
        return httpEnabled ? Optional.of(publicUrl + "/calendar/" + token + ".ics") : Optional.empty();
    }

    /**
     * Whether calendar feed links point at this machine itself (HTTP_PUBLIC_URL unset, so http://localhost:<port>):
     * no phone can open them.
     */
    public boolean feedsUnreachable() {
        String host = publicUrl.getHost() == null ? "" : publicUrl.getHost().toLowerCase(Locale.ROOT);
        return httpEnabled && (host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.")
                || host.equals("[::1]") || host.equals("0.0.0.0"));
    }

    /**
     * Whether calendar feed links phones can open are plain http: each carries its owner's secret, which anyone on
     * the way then reads.
     */
    public boolean feedsInClear() {
        return httpEnabled && !feedsUnreachable() && "http".equalsIgnoreCase(publicUrl.getScheme());
    }
}

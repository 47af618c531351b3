package org.forumgateway.bot;

import java.net.URI;
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
        return botUsername.map(name -> "https://t.me/" + name + "?start=" + payload).orElse("/start " + payload);
    }

    public Optional<String> calendarFeed(String token) {
        return httpEnabled ? Optional.of(publicUrl + "/calendar/" + token + ".ics") : Optional.empty();
    }
}

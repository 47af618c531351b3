package org.forumgateway.api;

import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.chat.Media;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid {@code POST /v1/messages} body.
 *
 * @param texts       Telegram HTML by locale, in the order given; {@link #EVERYONE} when the request had one
 *                    {@code text}; with media they are the caption, and may be none
 * @param media       a photo, document or video, or an album of them, that every recipient gets; empty for a text
 *                    message
 * @param sendAtLocal a wall-clock time at which each recipient gets it in their own time zone; the message is
 *                    queued at once, each recipient's rows held until then (never with {@code sendAt})
 * @param expiresAt   when what is not yet sent stops being worth sending (it is cancelled then); empty: never
 */
record MessageRequest(Target to, Map<String, String> texts, List<Media> media, List<LinkButton> buttons,
                      Optional<Instant> sendAt, Optional<LocalDateTime> sendAtLocal, Optional<Instant> expiresAt,
                      boolean urgent, boolean silent, Optional<String> reference) {
    static final String EVERYONE = "*";

    MessageRequest {
        texts = new LinkedHashMap<>(texts);
        media = List.copyOf(media);
        buttons = List.copyOf(buttons);
    }

    boolean hasMedia() {
        return !media.isEmpty();
    }

    /** Who a message goes to: exactly one of these. */
    sealed interface Target {
        record TelegramId(long id) implements Target {
        }

        record ExternalId(String id) implements Target {
        }

        /** A group the bot is in. */
        record ChatId(long id) implements Target {
        }

        record Audience(AudienceTerms terms) implements Target {
        }
    }

    /** A button under the message's last part that opens {@code url}. */
    record LinkButton(String text, String url) {
    }

    /**
     * The text a reader of {@code locale} gets: theirs, else the default locale's, else the one for everyone,
     * else the first given; empty for media without a caption.
     */
    String textFor(String locale, String defaultLocale) {
        if (texts.isEmpty()) {
            return "";
        }
        String text = texts.get(locale);
        if (text == null) {
            text = texts.get(defaultLocale);
        }
        if (text == null) {
            text = texts.get(EVERYONE);
        }
        return text != null ? text : texts.values().iterator().next();
    }
}

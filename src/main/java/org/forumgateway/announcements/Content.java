package org.forumgateway.announcements;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * What one variant of an announcement says: Telegram HTML, and optionally a photo, document or video (or an album of
 * up to ten) that the text goes under as the caption. Whoever composes it (the chat wizard, later the HTTP API)
 * hands media by reference, a file_id or an https URL; nothing is downloaded.
 *
 * @param html Telegram HTML, already valid; may be empty when there are media
 */
public record Content(String html, List<Media> media) {
    /** Telegram's limit on a caption, counted after entity parsing. */
    public static final int MAX_CAPTION = 1024;
    /** Telegram's limit on an album. */
    public static final int MAX_ALBUM = 10;

    public Content {
        media = List.copyOf(media);
        if (media.size() > MAX_ALBUM) {
            throw new IllegalArgumentException("at most " + MAX_ALBUM + " media: " + media.size());
        }
    }

    public static Content text(String html) {
        return new Content(html, List.of());
    }

    public boolean hasMedia() {
        return !media.isEmpty();
    }

    /** How many characters the caption is over Telegram's limit, when it is. */
    public Optional<Integer> captionLength() {
        int length = HtmlText.visibleLength(html);
        return hasMedia() && length > MAX_CAPTION ? Optional.of(length) : Optional.empty();
    }

    /** The messages a recipient gets, in order: text parts, or the media with their caption. */
    public List<OutgoingMessage> messages(long chatId) {
        return addresser().apply(chatId);
    }

    /** Makes {@link #messages} for one recipient after another, splitting the text only once. */
    public LongFunction<List<OutgoingMessage>> addresser() {
        if (media.size() == 1) {
            return chatId -> List.of(new OutgoingMessage.SendMedia(chatId, media.get(0), html));
        }
        if (hasMedia()) {
            return chatId -> List.of(new OutgoingMessage.SendAlbum(chatId, media, html));
        }
        List<String> parts = HtmlText.split(html, HtmlText.MAX_MESSAGE);
        return chatId -> {
            List<OutgoingMessage> messages = new ArrayList<>();
            for (String part : parts) {
                messages.add(new OutgoingMessage.Send(chatId, part, Keyboard.NONE));
            }
            return messages;
        };
    }

    /** How many messages a recipient gets. */
    public int parts() {
        return hasMedia() ? 1 : HtmlText.split(html, HtmlText.MAX_MESSAGE).size();
    }

    /** Puts this content in place of part {@code part} of what was sent as {@code messageId}. */
    OutgoingMessage edit(long chatId, int part, int messageId) {
        if (hasMedia()) {
            return new OutgoingMessage.EditCaption(chatId, messageId, html);
        }
        return new OutgoingMessage.Edit(chatId, messageId, HtmlText.split(html, HtmlText.MAX_MESSAGE).get(part),
                Keyboard.NONE);
    }

    /** Deletes what was sent as {@code messageId}: the whole album when it was one. */
    OutgoingMessage delete(long chatId, int messageId) {
        return new OutgoingMessage.Delete(chatId, messageId, media.size() > 1 ? media.size() : 1);
    }
}

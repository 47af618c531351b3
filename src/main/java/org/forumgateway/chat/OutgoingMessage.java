package org.forumgateway.chat;

import java.util.List;
import java.util.Optional;

/** Something the bot sends. Text is Telegram HTML whose user-supplied parts are already escaped. */
public sealed interface OutgoingMessage {

    /** @param silent sent without a notification sound (Telegram's disable_notification) */
    record Send(long chatId, String html, Keyboard keyboard, boolean silent) implements OutgoingMessage {
        public Send(long chatId, String html, Keyboard keyboard) {
            this(chatId, html, keyboard, false);
        }
    }

    /** Replaces the text and buttons of a message the bot sent before. */
    record Edit(long chatId, int messageId, String html, Keyboard keyboard) implements OutgoingMessage {
    }

    /** A file, such as a calendar entry or an attendee list, with an optional caption. */
    record Document(long chatId, String fileName, byte[] content, String captionHtml) implements OutgoingMessage {
    }

    /**
     * The command menu of one private chat (setMyCommands with scope {@code chat}), shown instead of everyone's: how
     * staff find their commands, and how someone who chose a language Telegram's apps lack sees it in that language.
     * Empty removes the chat's own menu (deleteMyCommands), so everyone's shows again.
     */
    record CommandMenu(long chatId, List<MenuCommand> commands) implements OutgoingMessage {
        public CommandMenu {
            commands = List.copyOf(commands);
        }
    }

    /** One entry of a command menu: the command without its slash, and its description. */
    record MenuCommand(String name, String description) {
    }

    /**
     * A photo, document or video by reference, with an optional caption and link buttons under it.
     *
     * @param silent sent without a notification sound (Telegram's disable_notification)
     */
    record SendMedia(long chatId, Media media, String captionHtml, Keyboard keyboard, boolean silent)
            implements OutgoingMessage {
        public SendMedia(long chatId, Media media, String captionHtml) {
            this(chatId, media, captionHtml, Keyboard.NONE, false);
        }
    }

    /**
     * An album of 2-10 photos and videos (or of documents only); the caption goes under the first. Telegram takes no
     * buttons on an album.
     */
    record SendAlbum(long chatId, List<Media> items, String captionHtml, boolean silent) implements OutgoingMessage {
        public SendAlbum {
            items = List.copyOf(items);
        }

        public SendAlbum(long chatId, List<Media> items, String captionHtml) {
            this(chatId, items, captionHtml, false);
        }
    }

    /** Replaces the caption of a photo, document, video or album the bot sent before. */
    record EditCaption(long chatId, int messageId, String captionHtml) implements OutgoingMessage {
    }

    /**
     * Deletes a message the bot sent (Telegram allows it for 48 hours); {@code count} above one deletes an album,
     * whose messages Telegram numbers one after another from the first.
     */
    record Delete(long chatId, int messageId, int count) implements OutgoingMessage {
        public Delete {
            if (count < 1 || count > 10) {
                throw new IllegalArgumentException("count must be 1-10: " + count);
            }
        }
    }

    /** Pins a message in a group; the bot needs the right to pin there. */
    record Pin(long chatId, int messageId) implements OutgoingMessage {
    }

    /** Stops the client's spinner after a button press, optionally with a short notice. */
    record AnswerButton(long chatId, String callbackId, Optional<String> notice) implements OutgoingMessage {
    }
}

package org.forumgateway.chat;

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

    /** A file, such as a calendar entry or a CSV export, with an optional caption. */
    record Document(long chatId, String fileName, byte[] content, String captionHtml) implements OutgoingMessage {
    }

    /** Stops the client's spinner after a button press, optionally with a short notice. */
    record AnswerButton(long chatId, String callbackId, Optional<String> notice) implements OutgoingMessage {
    }
}

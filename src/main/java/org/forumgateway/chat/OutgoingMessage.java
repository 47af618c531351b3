package org.forumgateway.chat;

import java.util.List;
import java.util.Optional;

/** Something the bot sends. Text is Telegram HTML whose user-supplied parts are already escaped. */
public sealed interface OutgoingMessage {

    record Send(long chatId, String html, Keyboard keyboard) implements OutgoingMessage {
    }

    /** Replaces the text and buttons of a message the bot sent before. */
    record Edit(long chatId, int messageId, String html, Keyboard keyboard) implements OutgoingMessage {
    }

    /** A file, such as a calendar entry or a CSV export, with an optional caption. */
    record Document(long chatId, String fileName, byte[] content, String captionHtml) implements OutgoingMessage {
    }

    /**
     * The command menu of one private chat (setMyCommands with scope {@code chat}), shown instead of everyone's: how
     * staff find their commands. Empty removes the chat's own menu (deleteMyCommands), so everyone's shows again.
     */
    record CommandMenu(long chatId, List<MenuCommand> commands) implements OutgoingMessage {
        public CommandMenu {
            commands = List.copyOf(commands);
        }
    }

    /** One entry of a command menu: the command without its slash, and its description. */
    record MenuCommand(String name, String description) {
    }

    /** Stops the client's spinner after a button press, optionally with a short notice. */
    record AnswerButton(long chatId, String callbackId, Optional<String> notice) implements OutgoingMessage {
    }
}

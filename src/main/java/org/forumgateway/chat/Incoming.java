package org.forumgateway.chat;

import org.forumgateway.users.TelegramProfile;

import java.util.Optional;

/** Something a user did in a chat, free of Telegram's types. */
public sealed interface Incoming {
    ChatRef chat();

    TelegramProfile from();

    /** {@code /name arguments}: the name without the slash or a {@code @botname} suffix, in lower case. */
    record Command(ChatRef chat, TelegramProfile from, String name, String arguments) implements Incoming {
    }

    /** A press on an inline button; {@code data} comes from the client and is never trusted. */
    record ButtonPress(ChatRef chat, TelegramProfile from, String callbackId, Optional<Integer> messageId,
                       String data) implements Incoming {
    }

    /** Plain text that is not a command. */
    record Text(ChatRef chat, TelegramProfile from, String text) implements Incoming {
    }

    /** A sticker, photo, voice note or anything else the bot does not read. */
    record Unsupported(ChatRef chat, TelegramProfile from) implements Incoming {
    }
}

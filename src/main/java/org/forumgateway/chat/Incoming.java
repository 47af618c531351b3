package org.forumgateway.chat;

import org.forumgateway.users.TelegramProfile;

import java.util.List;
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

    /** Text that is not a command, with the formatting made with Telegram's toolbar. */
    record Text(ChatRef chat, TelegramProfile from, String text, List<TextEntity> entities) implements Incoming {
        public Text {
            entities = List.copyOf(entities);
        }

        public Text(ChatRef chat, TelegramProfile from, String text) {
            this(chat, from, text, List.of());
        }

        public FormattedText formatted() {
            return new FormattedText(text, entities);
        }
    }

    /**
     * A photo, document or video with its caption. The photos of an album arrive one update each, sharing
     * {@code albumId} (Telegram's media_group_id).
     */
    record Attachment(ChatRef chat, TelegramProfile from, Media media, FormattedText caption,
                      Optional<String> albumId) implements Incoming {
    }

    /**
     * The bot was added to a group, promoted, demoted or removed; {@code from} is who did it. Not a message: it needs
     * no answer, and whoever did it is not recorded as a user of the bot.
     */
    record MembershipChanged(ChatRef chat, TelegramProfile from, GroupMembership membership) implements Incoming {
    }

    /**
     * The person blocked the bot in their private chat, or unblocked it (Telegram's my_chat_member update there). Not
     * a message: it needs no answer, and the person is not seen as having written.
     */
    record BlockChanged(ChatRef chat, TelegramProfile from, boolean blocked) implements Incoming {
    }

    /** A sticker, photo, voice note or anything else the bot does not read. */
    record Unsupported(ChatRef chat, TelegramProfile from) implements Incoming {
    }
}

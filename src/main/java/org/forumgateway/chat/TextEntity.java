package org.forumgateway.chat;

import java.util.Optional;

/**
 * One piece of formatting made with Telegram's toolbar, free of Telegram's types.
 *
 * @param type     the Bot API's name: {@code bold}, {@code text_link}, {@code pre}, {@code custom_emoji}, ...
 * @param offset   where it starts, in UTF-16 code units, as Telegram counts
 * @param length   how long it is, in UTF-16 code units
 * @param argument the link of a text_link, the user id of a text_mention, the language of a pre, the id of a
 *                 custom emoji; empty for the others
 */
public record TextEntity(String type, int offset, int length, Optional<String> argument) {
    public TextEntity(String type, int offset, int length) {
        this(type, offset, length, Optional.empty());
    }

    int end() {
        return offset + length;
    }
}

package org.forumgateway.groups;

import java.util.Optional;

/**
 * A group or supergroup the bot is or was in.
 *
 * @param member whether the bot is in it now
 * @param canPin    whether the bot may pin messages there; empty when not known (the group was seen only by a
 *                  message in it, never by a my_chat_member update)
 * @param confirmed whether staff vouch for it (they added the bot, or sent a command there): only then is it in the
 *                  audience of every group
 */
public record BotGroup(long chatId, String title, boolean supergroup, boolean member, boolean administrator,
                       Optional<Boolean> canPin, boolean confirmed) {

    /** Its title, or its chat id while the title is not known (a group seen only by a message in it). */
    public String name() {
        return title.isBlank() ? String.valueOf(chatId) : title;
    }

    /** The bot is known not to have the right to pin here. */
    public boolean knownUnableToPin() {
        return canPin.filter(may -> !may).isPresent();
    }
}

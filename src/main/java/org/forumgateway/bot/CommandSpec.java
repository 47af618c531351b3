package org.forumgateway.bot;

import org.forumgateway.users.Role;

/**
 * A slash command: its name, the least role that may use it, and whether it may answer in a group (most answers
 * are personal: they belong in a private chat). Its description in /help and in Telegram's command menu is the
 * message {@code command.<name>.description}.
 */
public record CommandSpec(String name, Role minimumRole, boolean worksInGroups) {

    /** A command that answers in private chats only. */
    public CommandSpec(String name, Role minimumRole) {
        this(name, minimumRole, false);
    }

    public String descriptionKey() {
        return "command." + name + ".description";
    }
}

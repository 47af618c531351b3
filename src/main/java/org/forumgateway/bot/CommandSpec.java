package org.forumgateway.bot;

import org.forumgateway.users.Role;

/**
 * A slash command: its name and the least role that may use it. Its description in /help and in Telegram's
 * command menu is the message {@code command.<name>.description}.
 */
public record CommandSpec(String name, Role minimumRole) {

    public String descriptionKey() {
        return "command." + name + ".description";
    }
}

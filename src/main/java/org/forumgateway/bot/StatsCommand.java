package org.forumgateway.bot;

import org.forumgateway.users.Role;
import org.forumgateway.users.UserService;

/** /stats (staff): how many people use the bot. */
final class StatsCommand implements CommandHandler {
    private final UserService users;

    StatsCommand(UserService users) {
        this.users = users;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("stats", Role.STAFF);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        conversation.say("stats.users", "count", users.count());
    }
}

package org.forumgateway.bot;

import org.forumgateway.users.Role;
import org.forumgateway.users.UserService;

import java.util.Locale;
import java.util.Set;

/** {@code /digest} turns the Monday digest of the week ahead on or off ({@code /digest on|off} sets it). */
final class DigestCommand implements CommandHandler {
    private final UserService users;

    DigestCommand(UserService users) {
        this.users = users;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("digest", Role.GUEST);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        long user = conversation.user().telegramId();
        String text = arguments.strip().toLowerCase(Locale.ROOT);
        if (!Set.of("", "on", "off").contains(text)) {
            conversation.say("digest.usage");
            return;
        }
        boolean wanted = text.isEmpty() ? !users.wantsDigest(user) : text.equals("on");
        users.setDigest(user, wanted);
        conversation.say(wanted ? "digest.on" : "digest.off");
    }
}

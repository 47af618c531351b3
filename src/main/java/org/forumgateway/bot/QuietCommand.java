package org.forumgateway.bot;

import org.forumgateway.users.QuietHours;
import org.forumgateway.users.Role;
import org.forumgateway.users.UserService;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /quiet 23:00-07:00}, {@code /quiet off}, {@code /quiet}: the hours automatic messages wait out. */
final class QuietCommand implements CommandHandler {
    private static final Pattern RANGE = Pattern.compile("([01]?[0-9]|2[0-3]):([0-5][0-9])\\s*-\\s*([01]?[0-9]|2[0-3]):([0-5][0-9])");

    private final UserService users;
    private final QuietHours defaults;

    QuietCommand(UserService users, QuietHours defaults) {
        this.users = users;
        this.defaults = defaults;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("quiet", Role.GUEST);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        long user = conversation.user().telegramId();
        String text = arguments.strip();
        if (text.equalsIgnoreCase("off")) {
            users.setQuietHours(user, Optional.empty());
            conversation.say("quiet.off");
            return;
        }
        Matcher range = RANGE.matcher(text);
        if (range.matches() && minutes(range.group(1), range.group(2)) == minutes(range.group(3), range.group(4))) {
            // From 23:00 to 23:00 is no quiet at all (QuietHours treats it as off): saying "set" would be a lie.
            conversation.say("quiet.sameTimes", "time", range.group(1) + ":" + range.group(2));
            return;
        }
        if (range.matches()) {
            QuietHours hours = new QuietHours(minutes(range.group(1), range.group(2)), minutes(range.group(3), range.group(4)));
            users.setQuietHours(user, Optional.of(hours));
            conversation.say("quiet.set", "from", hours.from(), "to", hours.to());
            return;
        }
        if (!text.isEmpty()) {
            conversation.say("quiet.usage");
            return;
        }
        users.quietHours(user, defaults).filter(hours -> hours.startMinute() != hours.endMinute()).ifPresentOrElse(
                hours -> conversation.say("quiet.current", "from", hours.from(), "to", hours.to()),
                () -> conversation.say("quiet.currentOff"));
    }

    private static int minutes(String hours, String minutes) {
        return Integer.parseInt(hours) * 60 + Integer.parseInt(minutes);
    }
}

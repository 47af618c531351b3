package org.forumgateway.bot;

import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Census;
import org.forumgateway.users.Role;
import org.forumgateway.users.UserService;

import java.util.ArrayList;
import java.util.List;

/**
 * /stats (staff): who uses the bot. The people it can reach, by role, delegates by country and supporters by
 * cohort; how many blocked it; how many arrived in the past week.
 */
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
        Census census = users.census();
        Translator translator = conversation.translator();
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("stats.users", "count", census.reachable()));
        lines.add(translator.text("stats.blocked", "count", census.blocked()));
        lines.add(translator.text("stats.joined", "count", census.joinedLately()));
        lines.add(translator.text("stats.delegates", "count", census.delegates()));
        census.delegatesByCountry().forEach((country, people) -> lines.add(translator.text("stats.part",
                "name", country.isEmpty() ? translator.text("rsvps.noCountry")
                        : InviteCommand.countryName(country, translator), "count", people)));
        lines.add(translator.text("stats.supporters", "count", census.supporters()));
        census.supportersByCohort().forEach((cohort, people) -> lines.add(translator.text("stats.part",
                "name", cohort == 0 ? translator.text("stats.noCohort")
                        : translator.text("audience.cohort", "number", cohort), "count", people)));
        lines.add(translator.text("stats.staff", "count", census.staff()));
        lines.add(translator.text("stats.withoutRole", "count", census.withoutRole()));
        conversation.reply(String.join("\n", lines));
    }
}

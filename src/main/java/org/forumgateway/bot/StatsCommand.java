package org.forumgateway.bot;

import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Census;
import org.forumgateway.users.Role;
import org.forumgateway.users.UserService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * /stats (staff): who uses the bot. The people it can reach, by role, delegates by country and supporters by
 * cohort; how many blocked it; how many arrived in the past week.
 */
final class StatsCommand implements CommandHandler {
    /** Lines per breakdown: 20 countries and 20 cohorts keep the report far below Telegram's 4096 characters. */
    private static final int PARTS = 20;

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
        parts(lines, translator, census.delegatesByCountry().entrySet().stream().map(entry -> Map.entry(
                entry.getKey().isEmpty() ? translator.text("rsvps.noCountry")
                        : InviteCommand.countryName(entry.getKey(), translator), entry.getValue())).toList());
        lines.add(translator.text("stats.supporters", "count", census.supporters()));
        parts(lines, translator, census.supportersByCohort().entrySet().stream().map(entry -> Map.entry(
                entry.getKey() == 0 ? translator.text("stats.noCohort")
                        : translator.text("audience.cohort", "number", entry.getKey()), entry.getValue())).toList());
        lines.add(translator.text("stats.staff", "count", census.staff()));
        lines.add(translator.text("stats.withoutRole", "count", census.withoutRole()));
        conversation.reply(String.join("\n", lines));
    }

    /** One line per country or cohort, the first {@link #PARTS} of them: the rest are counted, so it stays one message. */
    private static void parts(List<String> lines, Translator translator, List<Map.Entry<String, Long>> parts) {
        parts.stream().limit(PARTS).forEach(part -> lines.add(translator.text("stats.part", "name", part.getKey(),
                "count", part.getValue())));
        if (parts.size() > PARTS) {
            lines.add(translator.text("stats.more", "count", parts.size() - PARTS));
        }
    }
}

package org.forumgateway.bot;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.cohorts.Cohort;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.i18n.CountryNames;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Translator;
import org.forumgateway.invites.Invite;
import org.forumgateway.invites.InviteService;
import org.forumgateway.users.Role;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code /invite delegate <country>} and {@code /invite cohort <number>} (staff): a deep link that gives a role. */
final class InviteCommand implements CommandHandler {
    static final String PAYLOAD_PREFIX = "inv-";

    private final InviteService invites;
    private final CohortService cohorts;
    private final List<String> countries;
    private final BotLinks links;
    private final EventViews views;
    private final String defaultLocale;
    private final AuditLog audit;

    InviteCommand(InviteService invites, CohortService cohorts, List<String> countries, BotLinks links,
                  EventViews views, String defaultLocale, AuditLog audit) {
        this.audit = audit;
        this.invites = invites;
        this.cohorts = cohorts;
        this.countries = List.copyOf(countries);
        this.links = links;
        this.views = views;
        this.defaultLocale = defaultLocale;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("invite", Role.STAFF);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        String[] words = arguments.strip().split("\\s+");
        Translator translator = conversation.translator();
        long staffId = conversation.user().telegramId();
        if (words.length == 2 && words[0].equalsIgnoreCase("delegate")) {
            String country = words[1].toUpperCase(Locale.ROOT);
            if (!countries.contains(country)) {
                conversation.say("invite.unknownCountry", "country", LanguagePicker.truncate(words[1]),
                        "countries", String.join(", ", countries));
                return;
            }
            Invite invite = invites.createDelegateInvite(country, staffId);
            created(conversation, invite, countryName(country, translator));
        } else if (words.length == 2 && words[0].equalsIgnoreCase("cohort")) {
            Optional<Cohort> cohort = parseNumber(words[1]).flatMap(cohorts::find);
            if (cohort.isEmpty()) {
                conversation.say("invite.unknownCohort", "cohort", LanguagePicker.truncate(words[1]));
                return;
            }
            if (invites.hasEnded(cohort.get())) {
                conversation.say("invite.cohortEnded",
                        "cohort", cohort.get().name().in(translator.locale(), defaultLocale),
                        "date", DateTimes.date(cohort.get().endsOn(), translator.locale()));
                return;
            }
            Invite invite = invites.createCohortInvite(cohort.get().number(), staffId);
            created(conversation, invite, cohort.get().name().in(translator.locale(), defaultLocale));
        } else {
            conversation.say("invite.usage", "countries", String.join(", ", countries));
        }
    }

    private void created(Conversation conversation, Invite invite, String audience) {
        Translator translator = conversation.translator();
        // The code's beginning tells invites apart in the log; the whole code would let a reader of the log join.
        audit.record(conversation.user().telegramId(), "invite.create", invite.role().code() + " "
                + invite.country().or(() -> invite.cohort().map(String::valueOf)).orElse("") + " "
                + invite.code().substring(0, 4) + "…");
        conversation.say("invite.created",
                "audience", audience,
                "link", links.start(PAYLOAD_PREFIX + invite.code()),
                // A calendar day, the same for everyone (see Invite.lastDay), not an instant in the reader's zone.
                "date", DateTimes.date(invite.lastDay(), translator.locale()),
                "uses", invite.maxUses());
    }

    /** The country's name in the reader's language: "Kazakhstan", "Кыргызстан", "카자흐스탄". */
    static String countryName(String code, Translator translator) {
        return CountryNames.name(translator, code);
    }

    private static Optional<Integer> parseNumber(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

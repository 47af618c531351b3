package org.forumgateway.bot;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.cohorts.Cohort;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.cohorts.CohortSummary;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventService;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code /cohort}: the user's cohort, its period and upcoming activities; {@code /cohorts} (staff): all of them. */
final class CohortCommands {
    /** Activities /cohort lists, soonest first; the rest are counted. */
    static final int SHOWN_ACTIVITIES = 10;
    private final CohortService cohorts;
    private final EventService events;
    private final EventViews views;
    private final String defaultLocale;

    CohortCommands(CohortService cohorts, EventService events, EventViews views, String defaultLocale) {
        this.cohorts = cohorts;
        this.events = events;
        this.views = views;
        this.defaultLocale = defaultLocale;
    }

    CommandHandler mine() {
        return new CommandHandler() {
            @Override
            public CommandSpec spec() {
                return new CommandSpec("cohort", Role.GUEST);
            }

            @Override
            public void handle(Conversation conversation, String arguments) {
                Optional<Cohort> cohort = conversation.user().cohortNumber().flatMap(cohorts::find);
                if (cohort.isEmpty()) {
                    conversation.say("cohort.none");
                    return;
                }
                showCohort(conversation, cohort.get());
            }
        };
    }

    CommandHandler all() {
        return new CommandHandler() {
            @Override
            public CommandSpec spec() {
                return new CommandSpec("cohorts", Role.STAFF);
            }

            @Override
            public void handle(Conversation conversation, String arguments) {
                List<CohortSummary> summaries = cohorts.summaries();
                if (summaries.isEmpty()) {
                    conversation.say("cohorts.empty");
                    return;
                }
                Translator translator = conversation.translator();
                List<String> lines = new ArrayList<>();
                lines.add(translator.text("cohorts.title"));
                for (CohortSummary summary : summaries) {
                    Cohort cohort = summary.cohort();
                    lines.add(translator.text("cohorts.item", "number", cohort.number(),
                            "name", cohort.name().in(translator.locale(), defaultLocale),
                            "from", day(cohort.startsOn(), translator), "to", day(cohort.endsOn(), translator),
                            "members", summary.members()));
                }
                conversation.reply(String.join("\n", lines));
            }
        };
    }

    private void showCohort(Conversation conversation, Cohort cohort) {
        Translator translator = conversation.translator();
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("cohort.text", "name", cohort.name().in(translator.locale(), defaultLocale),
                "from", day(cohort.startsOn(), translator), "to", day(cohort.endsOn(), translator)));
        // A cohort has dozens of activities at most: all are read, the first ten shown and the rest counted.
        List<Event> all = events.upcomingForCohort(cohort.number(), Integer.MAX_VALUE);
        List<Event> upcoming = all.subList(0, Math.min(all.size(), SHOWN_ACTIVITIES));
        if (upcoming.isEmpty()) {
            lines.add(translator.text("cohort.noActivities"));
        }
        ZoneId zone = views.zoneOf(conversation.user());
        if (!upcoming.isEmpty()) {
            lines.add(views.zoneRule(zone, translator, upcoming.stream().map(Event::startsAt).toList()));
        }
        for (Event event : upcoming) {
            lines.add(translator.text("cohort.activity",
                    "date", DateTimes.date(event.startsAt(), zone, translator.locale()),
                    "time", DateTimes.time(event.startsAt(), zone, translator.locale()),
                    "title", views.title(event, translator),
                    "cancelled", event.cancelled() ? "yes" : "no"));
        }
        if (all.size() > upcoming.size()) {
            lines.add(translator.text("myevents.more", "count", all.size() - upcoming.size()));
        }
        // Each activity opens its card, to answer it or add it to a calendar, as in /events.
        conversation.reply(String.join("\n", lines), new Keyboard(views.cardButtons(upcoming, translator)));
    }

    private static String day(LocalDate date, Translator translator) {
        return DateTimes.day(date.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC, translator.locale());
    }
}

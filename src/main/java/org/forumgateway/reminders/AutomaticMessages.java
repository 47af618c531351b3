package org.forumgateway.reminders;

import org.forumgateway.bot.AnnouncementViews;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.cohorts.Cohort;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.bot.EventViews;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventPage;
import org.forumgateway.events.EventService;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.DurationText;
import org.forumgateway.i18n.Translator;
import org.forumgateway.i18n.ZoneNames;
import org.forumgateway.rsvp.Rsvp;
import org.forumgateway.rsvp.RsvpCounts;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reminders, RSVP-deadline nudges, cohort welcomes and farewells, and weekly digests. A sweep every couple of
 * seconds (and, for reminders, an alarm at each due instant) reads what is due from the database and queues it through the outbox, recording each message in the
 * same transaction so it goes out at most once. A reader in their quiet hours is skipped this round and picked up
 * by the first sweep after they end, while the message still makes sense (the event has not started).
 */
public final class AutomaticMessages {
    private static final Logger log = LoggerFactory.getLogger(AutomaticMessages.class);
    /**
     * How often the whole sweep runs: nudges, cohorts, digests and reminders held back by quiet hours. Reminders
     * themselves are rung on time by {@link ReminderAlarm}.
     */
    public static final Duration PERIOD = Duration.ofSeconds(2);
    private static final int DIGEST_HOUR = 9;
    private static final int CHUNK = 1_000;

    private final AutomationDao due;
    private final Notifications notifications;
    private final MessageCatalog catalog;
    private final EventViews views;
    private final RsvpService rsvps;
    private final EventService events;
    private final CohortService cohorts;
    private final UserService users;
    private final Jdbi jdbi;
    private final Clock clock;
    private final ZoneId defaultZone;
    private final Duration nudgeLead;
    /** The alarm and the periodic sweep may both come for the same reminders: one prepares them, the other waits. */
    private final ReentrantLock reminderRound = new ReentrantLock();

    public AutomaticMessages(AutomationDao due, Notifications notifications, MessageCatalog catalog, EventViews views,
                             RsvpService rsvps, EventService events, CohortService cohorts, UserService users,
                             Jdbi jdbi, Clock clock, ZoneId defaultZone, Duration nudgeLead) {
        this.due = due;
        this.notifications = notifications;
        this.catalog = catalog;
        this.views = views;
        this.rsvps = rsvps;
        this.events = events;
        this.cohorts = cohorts;
        this.users = users;
        this.jdbi = jdbi;
        this.clock = clock;
        this.defaultZone = defaultZone;
        this.nudgeLead = nudgeLead;
    }

    /** One round of everything; each part fails on its own. */
    public void sweep() {
        for (Runnable part : List.<Runnable>of(this::reminders, this::nudges, this::cohortLifecycle, this::digests)) {
            try {
                part.run();
            } catch (RuntimeException e) {
                log.error("Automatic messages: a part of the sweep failed", e);
            }
        }
    }

    /** Reminders due now; returns how many were queued. */
    public int reminders() {
        reminderRound.lock();
        try {
            return remindersDue(clock.instant());
        } finally {
            reminderRound.unlock();
        }
    }

    private int remindersDue(Instant now) {
        Map<String, RsvpCounts> counts = new HashMap<>();
        // Thousands of reminders of one event share a handful of texts: render each (event, offset, language,
        // zone, answer) once.
        Map<String, OutgoingMessage.Send> rendered = new HashMap<>();
        List<Pending> pending = new ArrayList<>();
        int queued = 0;
        for (DueMessage message : due.dueReminders(now)) {
            if (quiet(message.reader(), now)) {
                continue;
            }
            Event event = message.event().orElseThrow();
            Translator translator = translator(message.reader());
            ZoneId zone = zone(message.reader());
            Optional<Rsvp> rsvp = message.answer().map(status -> new Rsvp(event.key(), message.reader().userId(),
                    status, Optional.empty(), now));
            String key = message.kind() + "|" + event.key() + "|" + translator.locale() + "|" + zone + "|"
                    + message.answer().map(Enum::name).orElse("");
            OutgoingMessage.Send template = rendered.computeIfAbsent(key, ignored -> {
                RsvpCounts eventCounts = counts.computeIfAbsent(event.key(), rsvps::counts);
                String text = translator.text("reminder.header", "before",
                        DurationText.format(message.before().orElseThrow(), translator))
                        + "\n\n" + views.card(event, zone, translator, eventCounts, rsvp);
                return new OutgoingMessage.Send(0, text, views.cardKeyboard(event, translator, rsvp));
            });
            pending.add(new Pending(message, new OutgoingMessage.Send(message.reader().userId(), template.html(),
                    template.keyboard())));
            if (pending.size() >= CHUNK) {
                // Queue as we go, so the first reminders are on their way while the rest are prepared.
                queued += queue(NotificationKind.REMINDER, pending, now);
                pending = new ArrayList<>();
            }
        }
        return queued + queue(NotificationKind.REMINDER, pending, now);
    }

    /** Nudges to delegates who have not answered an event whose deadline is near. */
    public int nudges() {
        Instant now = clock.instant();
        List<Pending> pending = new ArrayList<>();
        for (DueMessage message : due.dueNudges(now, nudgeLead)) {
            if (quiet(message.reader(), now)) {
                continue;
            }
            Event event = message.event().orElseThrow();
            Optional<User> user = users.find(message.reader().userId());
            if (user.isEmpty() || !event.audience().admits(user.get())) {
                continue;
            }
            Translator translator = translator(message.reader());
            ZoneId zone = zone(message.reader());
            Instant deadline = event.rsvpDeadlineAt().orElseThrow();
            String text = translator.text("nudge.headerIn", "date", DateTimes.date(deadline, zone, translator.locale()),
                    "time", DateTimes.time(deadline, zone, translator.locale()), "city", ZoneNames.city(translator, zone))
                    + "\n\n" + views.card(event, zone, translator, rsvps.counts(event.key()), Optional.empty());
            pending.add(new Pending(message, new OutgoingMessage.Send(message.reader().userId(), text,
                    views.cardKeyboard(event, translator, Optional.empty()))));
        }
        return queue(NotificationKind.NUDGE, pending, now);
    }

    /** Welcomes on a cohort's first day; after its last day a farewell, then the cohort is archived. */
    public int cohortLifecycle() {
        Instant now = clock.instant();
        LocalDate today = now.atZone(defaultZone).toLocalDate();
        int queued = 0;
        for (Cohort cohort : cohorts.active()) {
            boolean running = !today.isBefore(cohort.startsOn()) && !today.isAfter(cohort.endsOn());
            boolean over = today.isAfter(cohort.endsOn());
            if (!running && !over) {
                continue;
            }
            String kind = running ? "welcome" : "farewell";
            List<Reader> members = due.cohortMembersWithout(cohort.number(), kind);
            List<Pending> pending = new ArrayList<>();
            for (Reader reader : members) {
                if (quiet(reader, now)) {
                    continue;
                }
                Translator translator = translator(reader);
                String name = cohort.name().in(translator.locale(), catalog.defaultLocale());
                String text = running
                        ? translator.text("cohort.welcome", "name", name, "from", day(cohort.startsOn(), translator),
                        "to", day(cohort.endsOn(), translator))
                        : translator.text("cohort.farewell", "name", name);
                pending.add(new Pending(new DueMessage(kind, String.valueOf(cohort.number()), reader, Optional.empty(),
                        Optional.empty(), List.of()), new OutgoingMessage.Send(reader.userId(), text, Keyboard.NONE)));
            }
            queued += queue(running ? NotificationKind.WELCOME : NotificationKind.FAREWELL, pending, now);
            if (over && pending.size() == members.size()) {
                cohorts.archive(cohort.number());
                log.info("Cohort {} ended on {}; archived", cohort.number(), cohort.endsOn());
            }
        }
        return queued;
    }

    /** Monday from 09:00 in each reader's zone: their week ahead, for those who asked with /digest. */
    public int digests() {
        Instant now = clock.instant();
        List<Pending> pending = new ArrayList<>();
        // The earliest and latest zones on Earth: between them, every reader's current week.
        Set<String> weeks = new TreeSet<>(List.of(week(now.atZone(ZoneOffset.ofHours(-12))),
                week(now.atZone(ZoneOffset.ofHours(14)))));
        for (String week : weeks) {
            for (Reader reader : due.digestReadersWithout(week)) {
                ZonedDateTime local = now.atZone(zone(reader));
                if (!week(local).equals(week) || local.getDayOfWeek() != DayOfWeek.MONDAY
                        || local.getHour() < DIGEST_HOUR || quiet(reader, now)) {
                    continue;
                }
                Optional<User> user = users.find(reader.userId());
                if (user.isEmpty()) {
                    continue;
                }
                pending.add(new Pending(new DueMessage("digest:" + week, "", reader, Optional.empty(),
                        Optional.empty(), List.of()),
                        new OutgoingMessage.Send(reader.userId(), digest(user.get(), reader, now), Keyboard.NONE)));
            }
        }
        return queue(NotificationKind.DIGEST, pending, now);
    }

    private String digest(User user, Reader reader, Instant now) {
        Translator translator = translator(reader);
        ZoneId zone = zone(reader);
        Instant weekEnd = now.plus(Duration.ofDays(7));
        EventPage page = events.upcoming(user, 0, 50);
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("digest.title"));
        lines.add(views.zoneRule(zone, translator));
        for (Event event : page.events()) {
            if (!event.startsAt().isBefore(weekEnd)) {
                break;
            }
            String status = rsvps.find(event.key(), user.telegramId())
                    .map(rsvp -> translator.text("rsvp.status." + rsvp.status().code(),
                            "position", rsvp.waitlistPosition().orElse(0)))
                    .orElse(translator.text("digest.unanswered"));
            lines.add(translator.text("myevents.item", "date", DateTimes.date(event.startsAt(), zone, translator.locale()),
                    "time", DateTimes.time(event.startsAt(), zone, translator.locale()),
                    "title", views.title(event, translator), "status", status));
        }
        if (lines.size() == 2) {
            lines.set(1, translator.text("digest.empty"));
        }
        return String.join("\n", lines);
    }

    /** Records and queues in one transaction: a message recorded before (by another sweep) is not queued again. */
    private int queue(NotificationKind kind, List<Pending> pending, Instant now) {
        if (pending.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(handle -> {
            Map<String, List<Outbox.Addressed>> byNotification = new LinkedHashMap<>();
            for (Pending item : pending) {
                DueMessage message = item.message();
                if (!AutomationDao.recordSent(handle, message.kind(), message.subject(), message.reader().userId(), now)) {
                    continue;
                }
                message.alsoCovers().forEach(covered ->
                        AutomationDao.recordSent(handle, covered, message.subject(), message.reader().userId(), now));
                byNotification.computeIfAbsent(message.kind() + "/" + message.subject(), key -> new ArrayList<>())
                        .add(new Outbox.Addressed(message.reader().userId(), 0, item.outgoing()));
            }
            int count = 0;
            for (Map.Entry<String, List<Outbox.Addressed>> entry : byNotification.entrySet()) {
                count += notifications.queue(handle, kind, entry.getKey(), entry.getValue()).added();
            }
            return count;
        });
    }

    private boolean quiet(Reader reader, Instant now) {
        return reader.quietHours().flatMap(hours -> hours.endIfQuiet(now, zone(reader))).isPresent();
    }

    private ZoneId zone(Reader reader) {
        return reader.zone().orElse(defaultZone);
    }

    private Translator translator(Reader reader) {
        return catalog.translatorFor(reader.languagePreference());
    }

    private static String day(LocalDate date, Translator translator) {
        return DateTimes.day(date.atStartOfDay(ZoneId.of("UTC")).toInstant(), ZoneId.of("UTC"), translator.locale());
    }

    private static String week(ZonedDateTime time) {
        return time.get(IsoFields.WEEK_BASED_YEAR) + "-W" + time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }

    private record Pending(DueMessage message, OutgoingMessage outgoing) {
    }
}

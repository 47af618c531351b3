package org.forumgateway.events;

import org.forumgateway.bot.EventViews;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Translator;
import org.forumgateway.reminders.AutomaticJob;
import org.forumgateway.reminders.AutomaticQueue;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.reminders.DueMessage;
import org.forumgateway.reminders.Reader;
import org.forumgateway.reminders.Readers;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Monday from 09:00 in each reader's zone: their week ahead with their answers, for those who asked with /digest.
 * Once per reader and week; a digest not sent on Monday (the bot was down) goes from 09:00 until Wednesday.
 * Thread-safe.
 */
public final class WeeklyDigest implements AutomaticJob {
    /** Events read per query: a week rarely has more. */
    private static final int READ_AT_ONCE = 50;
    private static final int DIGEST_HOUR = 9;
    /** The last day a digest missed on Monday still goes: by Thursday, the next one is nearer than half a week. */
    private static final DayOfWeek LAST_LATE_DAY = DayOfWeek.WEDNESDAY;

    private final AutomationDao due;
    private final AutomaticQueue queue;
    private final Readers readers;
    private final EventViews views;
    private final EventService events;
    private final RsvpService rsvps;
    private final UserService users;
    private final Clock clock;

    public WeeklyDigest(AutomationDao due, AutomaticQueue queue, Readers readers, EventViews views,
                        EventService events, RsvpService rsvps, UserService users, Clock clock) {
        this.due = due;
        this.queue = queue;
        this.readers = readers;
        this.views = views;
        this.events = events;
        this.rsvps = rsvps;
        this.users = users;
        this.clock = clock;
    }

    @Override
    public int queueDue() {
        Instant now = clock.instant();
        List<AutomaticQueue.Pending> pending = new ArrayList<>();
        // The earliest and latest zones on Earth: between them, every reader's current week.
        Set<String> weeks = new TreeSet<>(List.of(week(now.atZone(ZoneOffset.ofHours(-12))),
                week(now.atZone(ZoneOffset.ofHours(14)))));
        for (String week : weeks) {
            for (Reader reader : due.digestReadersWithout(week)) {
                ZonedDateTime local = now.atZone(readers.zone(reader));
                // At 09:00 or later, Monday to Wednesday: a Monday the bot was down sends it the next morning, the
                // week ahead from then; later in the week the reader waits for Monday, as /digest told them.
                boolean due = local.getDayOfWeek().getValue() <= LAST_LATE_DAY.getValue()
                        && local.getHour() >= DIGEST_HOUR;
                if (!week(local).equals(week) || !due || readers.quiet(reader, now)) {
                    continue;
                }
                Optional<User> user = users.find(reader.userId());
                if (user.isEmpty()) {
                    continue;
                }
                pending.add(new AutomaticQueue.Pending(new DueMessage("digest:" + week, "", reader, Optional.empty(),
                        Optional.empty(), List.of()),
                        new OutgoingMessage.Send(reader.userId(), digest(user.get(), reader, now), Keyboard.NONE)));
            }
        }
        return queue.queue(NotificationKind.DIGEST, pending, now);
    }

    /** The events {@code user} may see before {@code weekEnd}, every one of them: the digest counts those not shown. */
    private List<Event> week(User user, Instant weekEnd) {
        List<Event> week = new ArrayList<>();
        for (int page = 0; ; page++) {
            EventPage read = events.upcoming(user, page, READ_AT_ONCE);
            for (Event event : read.events()) {
                if (!event.startsAt().isBefore(weekEnd)) {
                    return week;
                }
                week.add(event);
            }
            if (page + 1 >= read.pages()) {
                return week;
            }
        }
    }

    private String digest(User user, Reader reader, Instant now) {
        Translator translator = readers.translator(reader);
        ZoneId zone = readers.zone(reader);
        List<Event> week = week(user, now.plus(Duration.ofDays(7)));
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("digest.title"));
        lines.add(views.zoneRule(zone, translator, week.subList(0, Math.min(week.size(), EventViews.LIST_LIMIT))
                .stream().map(Event::startsAt).toList()));
        for (Event event : week.subList(0, Math.min(week.size(), EventViews.LIST_LIMIT))) {
            String status = rsvps.find(event.key(), user.telegramId())
                    .map(rsvp -> translator.text("rsvp.status." + rsvp.status().code(),
                            "position", rsvp.waitlistPosition().orElse(0)))
                    .orElse(translator.text("digest.unanswered"));
            lines.add(translator.text("myevents.item", "date", DateTimes.date(event.startsAt(), zone, translator.locale()),
                    "time", DateTimes.time(event.startsAt(), zone, translator.locale()),
                    "title", views.title(event, translator), "status", status,
                    "cancelled", event.cancelled() ? "yes" : "no"));
        }
        if (week.size() > EventViews.LIST_LIMIT) {
            lines.add(translator.text("myevents.more", "count", week.size() - EventViews.LIST_LIMIT));
        }
        if (lines.size() == 2) {
            lines.set(1, translator.text("digest.empty"));
        }
        return String.join("\n", lines);
    }

    private static String week(ZonedDateTime time) {
        return time.get(IsoFields.WEEK_BASED_YEAR) + "-W" + time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
}

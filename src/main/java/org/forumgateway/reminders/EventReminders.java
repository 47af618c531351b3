package org.forumgateway.reminders;

import org.forumgateway.bot.EventViews;
import org.forumgateway.bot.NoticeHeader;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.events.Event;
import org.forumgateway.i18n.Translator;
import org.forumgateway.rsvp.Rsvp;
import org.forumgateway.rsvp.RsvpCounts;
import org.forumgateway.rsvp.RsvpService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reminders of the events people answered going or maybe, at each of the event's offsets before its start, read
 * from the database when due (nothing is scheduled ahead, so a moved or cancelled event moves or drops its
 * reminders). Rung on time by {@link ReminderAlarm}, and by every sweep for readers whose quiet hours held them
 * back; quiet hours that last beyond the start do not hold one back, it goes without a sound. Thread-safe.
 */
public final class EventReminders implements AutomaticJob {
    private static final int CHUNK = 1_000;
    /** A reminder at most this late (and a sixth of its offset) still names its offset: "begins in 1 hour". */
    private static final Duration ON_TIME = Duration.ofMinutes(10);

    private final AutomationDao due;
    private final AutomaticQueue queue;
    private final Readers readers;
    private final EventViews views;
    private final RsvpService rsvps;
    private final Clock clock;
    /** The alarm and the periodic sweep may both come for the same reminders: one prepares them, the other waits. */
    private final ReentrantLock round = new ReentrantLock();

    public EventReminders(AutomationDao due, AutomaticQueue queue, Readers readers, EventViews views,
                          RsvpService rsvps, Clock clock) {
        this.due = due;
        this.queue = queue;
        this.readers = readers;
        this.views = views;
        this.rsvps = rsvps;
        this.clock = clock;
    }

    /** Reminders due now; returns how many were queued. */
    @Override
    public int queueDue() {
        round.lock();
        try {
            return remindersDue(clock.instant());
        } finally {
            round.unlock();
        }
    }

    private int remindersDue(Instant now) {
        Map<String, RsvpCounts> counts = new HashMap<>();
        // Thousands of reminders of one event share a handful of texts: render each (event, offset, language,
        // zone, answer) once.
        Map<String, OutgoingMessage.Send> rendered = new HashMap<>();
        List<AutomaticQueue.Pending> pending = new ArrayList<>();
        int queued = 0;
        for (DueMessage message : due.dueReminders(now)) {
            Event event = message.event().orElseThrow();
            Readers.Timing timing = readers.timing(message.reader(), now, event.startsAt());
            if (timing == Readers.Timing.LATER) {
                continue;
            }
            Translator translator = readers.translator(message.reader());
            ZoneId zone = readers.zone(message.reader());
            Optional<Rsvp> rsvp = message.answer().map(status -> new Rsvp(event.key(), message.reader().userId(),
                    status, Optional.empty(), now));
            Duration before = before(message.before().orElseThrow(), Duration.between(now, event.startsAt()));
            String key = before.toMinutes() + "|" + event.key() + "|" + translator.locale() + "|" + zone + "|"
                    + message.answer().map(Enum::name).orElse("");
            OutgoingMessage.Send template = rendered.computeIfAbsent(key, ignored -> {
                RsvpCounts eventCounts = counts.computeIfAbsent(event.key(), rsvps::counts);
                NoticeHeader header = NoticeHeader.reminder(before);
                String text = header.above(views.card(event, zone, translator, eventCounts, rsvp), translator);
                return new OutgoingMessage.Send(0, text, views.noticeKeyboard(event, translator, rsvp, header));
            });
            pending.add(new AutomaticQueue.Pending(message, new OutgoingMessage.Send(message.reader().userId(),
                    template.html(), template.keyboard(), timing == Readers.Timing.NOW_SILENTLY)));
            if (pending.size() >= CHUNK) {
                // Queue as we go, so the first reminders are on their way while the rest are prepared.
                queued += queue.queue(NotificationKind.REMINDER, pending, now);
                pending = new ArrayList<>();
            }
        }
        return queued + queue.queue(NotificationKind.REMINDER, pending, now);
    }

    /**
     * How long before the start a reminder says it is: its offset when it goes out on time, else the time actually
     * left, to the nearest minute. A reminder held back by quiet hours, or due while the bot was down, or made due
     * at once by a schedule change, would otherwise say "begins in 10 hours" two hours before the start.
     */
    static Duration before(Duration offset, Duration left) {
        Duration late = offset.minus(left);
        Duration tolerance = offset.dividedBy(6).compareTo(ON_TIME) < 0 ? offset.dividedBy(6) : ON_TIME;
        if (late.compareTo(tolerance) <= 0) {
            return offset;
        }
        return Duration.ofMinutes(Math.max(1, left.plusSeconds(30).toMinutes()));
    }
}

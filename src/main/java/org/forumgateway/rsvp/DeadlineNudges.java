package org.forumgateway.rsvp;

import org.forumgateway.bot.EventViews;
import org.forumgateway.bot.NoticeHeader;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.events.Event;
import org.forumgateway.i18n.Translator;
import org.forumgateway.reminders.AutomaticJob;
import org.forumgateway.reminders.AutomaticQueue;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.reminders.DueMessage;
import org.forumgateway.reminders.Readers;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One nudge to each delegate who may see an event and has not answered it, {@code lead} before its RSVP deadline.
 * Thread-safe.
 */
public final class DeadlineNudges implements AutomaticJob {
    private final AutomationDao due;
    private final AutomaticQueue queue;
    private final Readers readers;
    private final EventViews views;
    private final RsvpService rsvps;
    private final UserService users;
    private final Clock clock;
    private final Duration lead;

    public DeadlineNudges(AutomationDao due, AutomaticQueue queue, Readers readers, EventViews views,
                          RsvpService rsvps, UserService users, Clock clock, Duration lead) {
        this.due = due;
        this.queue = queue;
        this.readers = readers;
        this.views = views;
        this.rsvps = rsvps;
        this.users = users;
        this.clock = clock;
        this.lead = lead;
    }

    @Override
    public int queueDue() {
        Instant now = clock.instant();
        List<AutomaticQueue.Pending> pending = new ArrayList<>();
        for (DueMessage message : due.dueNudges(now, lead)) {
            Event event = message.event().orElseThrow();
            Instant deadline = event.rsvpDeadlineAt().orElseThrow();
            Readers.Timing timing = readers.timing(message.reader(), now, deadline);
            if (timing == Readers.Timing.LATER) {
                continue;
            }
            Optional<User> user = users.find(message.reader().userId());
            if (user.isEmpty() || !event.audience().admits(user.get())) {
                continue;
            }
            Translator translator = readers.translator(message.reader());
            ZoneId zone = readers.zone(message.reader());
            // The card ends with the deadline, in the reader's zone: the request above it does not repeat it.
            NoticeHeader header = NoticeHeader.nudge();
            String text = header.above(views.card(event, zone, translator, rsvps.counts(event.key()), Optional.empty()),
                    translator);
            pending.add(new AutomaticQueue.Pending(message, new OutgoingMessage.Send(message.reader().userId(), text,
                    views.noticeKeyboard(event, translator, Optional.empty(), header),
                    timing == Readers.Timing.NOW_SILENTLY)));
        }
        return queue.queue(NotificationKind.NUDGE, pending, now);
    }
}

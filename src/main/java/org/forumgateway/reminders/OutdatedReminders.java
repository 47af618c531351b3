package org.forumgateway.reminders;

import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.events.Event;
import org.forumgateway.events.ScheduleReloader;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps queued automatic messages true to a reloaded event, in the reload's transaction. Withdraws the reminders of
 * an event that were queued but have not gone out when a reload cancels the event or moves it: "begins in 1 hour"
 * would be wrong (the change notice says what is true). A withdrawn reminder is owed again when its instant for the
 * new time is still ahead (or the cancellation is called off while it is): it never reached its reader. A queued
 * deadline nudge follows the deadline. Thread-safe.
 */
public final class OutdatedReminders implements ScheduleReloader.EventChanged {
    private static final String REMINDER = "reminder:";

    private final Notifications notifications;
    private final Clock clock;

    public OutdatedReminders(Notifications notifications, Clock clock) {
        this.notifications = notifications;
        this.clock = clock;
    }

    @Override
    public void changed(Handle handle, Event before, Event after) {
        expireNudges(handle, before, after);
        withdrawReminders(handle, before, after);
    }

    /**
     * A deadline nudge still queued stops at the event's deadline as it now is (a deadline moved later keeps it
     * going, one moved earlier stops it sooner), and at once when the event is cancelled or has no deadline now.
     */
    private void expireNudges(Handle handle, Event before, Event after) {
        if (before.rsvpDeadlineAt().equals(after.rsvpDeadlineAt()) && before.cancelled() == after.cancelled()) {
            return;
        }
        Instant until = after.cancelled() ? clock.instant() : after.rsvpDeadlineAt().orElse(clock.instant());
        notifications.expireAt(handle, NotificationKind.NUDGE,
                DueMessage.notificationReference(DueMessage.NUDGE, after.key()), until);
    }

    private void withdrawReminders(Handle handle, Event before, Event after) {
        boolean cancelled = after.cancelled() && !before.cancelled();
        if (!cancelled && before.startsAt().equals(after.startsAt())) {
            return;
        }
        Instant now = clock.instant();
        notifications.withdraw(handle, NotificationKind.REMINDER,
                DueMessage.reminderSuffix(before.key(), before.startsAt())).forEach((reference, readers) -> {
            String kind = reference.substring(0, reference.indexOf('/'));
            if (!kind.startsWith(REMINDER)) {
                return;
            }
            Instant dueAgain = after.startsAt().minus(Duration.ofMinutes(Long.parseLong(
                    kind.substring(REMINDER.length()))));
            // A cancelled event rings none; calling the cancellation off makes what is still ahead due again.
            if (cancelled || dueAgain.isAfter(now)) {
                readers.forEach(reader -> AutomationDao.forgetSent(handle, kind, before.key(), reader));
            }
        });
    }
}

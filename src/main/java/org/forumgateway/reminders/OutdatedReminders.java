package org.forumgateway.reminders;

import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.events.Event;
import org.forumgateway.events.ScheduleReloader;
import org.jdbi.v3.core.Handle;

/**
 * Withdraws the reminders of an event that were queued but have not gone out when a reload cancels the event or
 * moves it: "begins in 1 hour" would be wrong (the change notice says what is true). Reminders for its new time are
 * owed as usual. In the reload's transaction. Thread-safe.
 */
public final class OutdatedReminders implements ScheduleReloader.EventChanged {
    private final Notifications notifications;

    public OutdatedReminders(Notifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public void changed(Handle handle, Event before, Event after) {
        boolean cancelled = after.cancelled() && !before.cancelled();
        if (cancelled || !before.startsAt().equals(after.startsAt())) {
            notifications.withdraw(handle, NotificationKind.REMINDER,
                    DueMessage.reminderSuffix(before.key(), before.startsAt()));
        }
    }
}

package org.forumgateway.announcements;

import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.AcceptedInGroup;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.Progress;
import org.forumgateway.groups.BotGroups;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;

/**
 * Pins announcements in the groups they reach, when staff chose so. Once Telegram accepts an announcement's first
 * message in a group, its pin is queued in the transaction that records the acceptance, under the notification
 * ({@link NotificationKind#ANNOUNCEMENT_PIN}, announcement id), so it goes through the outbox at the same limits.
 * Thread-safe.
 */
public final class AnnouncementPins implements AcceptedInGroup {
    private final AnnouncementDao announcements;
    private final Notifications notifications;

    public AnnouncementPins(Jdbi jdbi, Notifications notifications) {
        this.announcements = new AnnouncementDao(jdbi);
        this.notifications = notifications;
    }

    @Override
    public void accepted(Handle handle, long notificationId, Outbox.Sent message) {
        if (message.part() != 0) {
            return; // a long text is pinned by its first message (an album by its first item)
        }
        announcements.pinnedByNotification(handle, notificationId).ifPresent(id -> notifications.queue(handle,
                NotificationKind.ANNOUNCEMENT_PIN, String.valueOf(id), List.of(new Outbox.Addressed(
                        message.recipient(), 0, new OutgoingMessage.Pin(message.chatId(), message.messageId())))));
    }

    /**
     * How pinning went in the groups an announcement reached.
     *
     * @param groups  groups where the announcement was accepted, so a pin was queued
     * @param noRight groups where Telegram refused the pin because the bot may not pin there
     * @param failed  groups where the pin failed for another reason (the bot removed meanwhile, the message gone)
     * @param settled no pin is waiting to be sent or answered
     */
    public record Counts(int groups, int pinned, int noRight, int failed, boolean settled) {
        static final Counts NONE = new Counts(0, 0, 0, 0, true);

        static Counts of(Progress progress) {
            int noRight = progress.failures().entrySet().stream()
                    .filter(failure -> BotGroups.lacksPinRight(failure.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
            return new Counts(progress.total(), progress.sent(), noRight,
                    progress.failed() + progress.blocked() - noRight, progress.isFinished());
        }
    }
}

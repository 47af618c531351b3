package org.forumgateway.announcements;

import org.forumgateway.delivery.AcceptedAfterCancel;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/**
 * Deletes what a recall could not stop: a message of the announcement that was already on its way when staff
 * recalled it, and that Telegram accepted after the recall had listed the messages to delete. Its deletion joins the
 * recall's own ({@link NotificationKind#ANNOUNCEMENT_CHANGE}, the recall's id), in the transaction that records
 * the acceptance. Thread-safe.
 */
public final class RecallStragglers implements AcceptedAfterCancel {
    private final AnnouncementDao announcements;
    private final AnnouncementChangeDao changes;
    private final Notifications notifications;

    public RecallStragglers(Jdbi jdbi, Notifications notifications) {
        this.announcements = new AnnouncementDao(jdbi);
        this.changes = new AnnouncementChangeDao(jdbi);
        this.notifications = notifications;
    }

    @Override
    public void accepted(Handle handle, long notificationId, Outbox.Sent message) {
        // Only an announcement's own messages: an edit or a pin cancelled by the recall changes a message the
        // recall deletes anyway. Before the recall has listed its messages, it finds this one among them.
        changes.startedRecallByNotification(handle, notificationId).ifPresent(recall -> {
            Announcement recalled = announcements.find(handle, recall.announcementId()).orElseThrow();
            announcements.variantSent(handle, recalled.id(), message.recipient())
                    .or(() -> recalled.variantFor(Announcement.FALLBACK))
                    .map(variant -> AnnouncementChanges.deletion(recalled, message, variant))
                    .ifPresent(deletion -> notifications.queue(handle, NotificationKind.ANNOUNCEMENT_CHANGE,
                            String.valueOf(recall.id()),
                            List.of(new Outbox.Addressed(message.recipient(), message.part(), deletion))));
        });
    }
}

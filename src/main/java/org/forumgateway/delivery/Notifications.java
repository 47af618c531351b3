package org.forumgateway.delivery;

import org.forumgateway.chat.OutgoingMessage;
import org.jdbi.v3.core.Handle;

import java.util.HashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one way in: every message the bot sends is queued here, inside the transaction of the change that causes
 * it, and the delivery engine is woken once that transaction commits (a rollback queues nothing). Thread-safe.
 */
public final class Notifications {
    private final Outbox outbox;
    private final Runnable wakeDelivery;
    private final Runnable wakeForReply;

    /** @param wakeDelivery tells the delivery engine new rows are waiting */
    public Notifications(Outbox outbox, Runnable wakeDelivery) {
        this(outbox, wakeDelivery, wakeDelivery);
    }

    /** @param wakeForReply tells the delivery engine that replies, and only replies, are waiting */
    public Notifications(Outbox outbox, Runnable wakeDelivery, Runnable wakeForReply) {
        this.outbox = outbox;
        this.wakeDelivery = wakeDelivery;
        this.wakeForReply = wakeForReply;
    }

    /** Queues a reply to someone waiting (an answer, a button press): it goes before any bulk traffic. */
    public long reply(Handle handle, OutgoingMessage message) {
        long row = outbox.enqueueInteractive(handle, message);
        wakeAfterCommit(handle, wakeForReply);
        return row;
    }

    /**
     * Queues the messages of the notification {@code (kind, reference)}, creating it on first use. A (recipient,
     * part) already queued under it is left as it is: queueing the same thing twice is a no-op. New messages under
     * a cancelled notification are sent: it is not cancelled any more.
     */
    public Queued queue(Handle handle, NotificationKind kind, String reference, List<Outbox.Addressed> messages) {
        return queue(handle, kind, reference, messages, false, Optional.empty());
    }

    /** As {@link #queue}; those still queued at {@code expiresAt} are not sent (an API message's expires_at). */
    public Queued queue(Handle handle, NotificationKind kind, String reference, List<Outbox.Addressed> messages,
                        Optional<Instant> expiresAt) {
        return queue(handle, kind, reference, messages, false, expiresAt);
    }

    /**
     * As {@link #queue}, for messages whose caller knows they are owed now (automatic messages record what they
     * sent): one withdrawn before it went out ({@link #withdraw}) is queued anew, since its reader never got it.
     * Those still queued at {@code expiresAt} are not sent (a reminder once its event has begun); the latest call
     * sets it for the whole notification.
     */
    public Queued queueOwedAgain(Handle handle, NotificationKind kind, String reference,
                                 List<Outbox.Addressed> messages, Optional<Instant> expiresAt) {
        return queue(handle, kind, reference, messages, true, expiresAt);
    }

    private Queued queue(Handle handle, NotificationKind kind, String reference, List<Outbox.Addressed> messages,
                         boolean reviveWithdrawn, Optional<Instant> expiresAt) {
        long notification = outbox.notification(handle, kind.code(), reference);
        expiresAt.ifPresent(at -> outbox.expireAt(handle, notification, at));
        int added = outbox.enqueueBulk(handle, notification, messages, reviveWithdrawn);
        if (added > 0) {
            outbox.reopen(handle, notification);
            wakeAfterCommit(handle, wakeDelivery);
        }
        return new Queued(notification, added);
    }

    /**
     * Cancels, as expired, what is still queued of a notification whose expiry has passed already (an API message
     * started after its expires_at), in the caller's transaction.
     */
    public void cancelAsExpired(Handle handle, long notificationId, Instant now) {
        outbox.cancelAsExpired(handle, notificationId, now);
    }

    /**
     * Sets when the messages of the notification {@code (kind, reference)} still queued stop being sent, if it
     * exists, in the caller's transaction: a deadline moved, an event cancelled.
     */
    public void expireAt(Handle handle, NotificationKind kind, String reference, Instant at) {
        outbox.findNotification(handle, kind.code(), reference).ifPresent(id -> outbox.expireAt(handle, id, at));
    }

    /**
     * Withdraws the messages of the notifications of {@code kind} whose reference ends with {@code suffix} that have
     * not gone out, in the caller's transaction; returns whose were withdrawn, by notification reference.
     */
    public Map<String, List<Long>> withdraw(Handle handle, NotificationKind kind, String suffix) {
        Map<String, List<Long>> withdrawn = new HashMap<>();
        outbox.findNotificationsEndingWith(handle, kind.code(), suffix).forEach((notification, reference) -> {
            List<Long> recipients = outbox.cancelReturningRecipients(handle, notification);
            if (!recipients.isEmpty()) {
                withdrawn.put(reference, recipients);
            }
        });
        return withdrawn;
    }

    private static void wakeAfterCommit(Handle handle, Runnable wake) {
        if (handle.isInTransaction()) {
            handle.afterCommit(wake);
        } else {
            wake.run(); // an autocommit statement is committed already
        }
    }

    /** What {@link #queue} did: the notification's id, and how many of the messages were new. */
    public record Queued(long notificationId, int added) {
    }
}

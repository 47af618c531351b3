package org.forumgateway.delivery;

import org.jdbi.v3.core.Handle;

/**
 * Told, in the transaction that records it, that Telegram accepted a notification's message in a group. What
 * follows from that (pinning the message there) is queued in the same transaction, so it is neither lost in a crash
 * nor queued twice.
 */
public interface AcceptedInGroup {

    /** @param message the accepted message: recipient, part, the chat it is in now and the id Telegram gave it */
    void accepted(Handle handle, long notificationId, Outbox.Sent message);

    /** Nothing follows. */
    static AcceptedInGroup none() {
        return (handle, notificationId, message) -> { };
    }
}

package org.forumgateway.delivery;

import org.jdbi.v3.core.Handle;

/**
 * Told, in the transaction that records it, that Telegram accepted a message whose notification was cancelled while
 * the message was already on its way (a recall pressed during sending). The message is out, so what undoes it
 * (deleting it) is queued in the same transaction: neither lost in a crash nor queued twice.
 */
public interface AcceptedAfterCancel {

    /** @param message the accepted message: recipient, part, the chat it is in and the id Telegram gave it */
    void accepted(Handle handle, long notificationId, Outbox.Sent message);

    /** Nothing follows. */
    static AcceptedAfterCancel none() {
        return (handle, notificationId, message) -> { };
    }
}

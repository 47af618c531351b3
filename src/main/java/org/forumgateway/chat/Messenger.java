package org.forumgateway.chat;

/**
 * The outbound port of chat handlers: a reply to the person waiting, queued durably (the delivery engine sends it
 * later, ahead of bulk traffic). Messages caused by a change in the database are queued in that change's
 * transaction through {@code delivery.Notifications} instead. Implementations must be thread-safe.
 */
public interface Messenger {

    /** Queues {@code message} for sending; it is durable when this returns. */
    void send(OutgoingMessage message);
}

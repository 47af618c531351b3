package org.forumgateway.chat;

/**
 * The outbound port: the one way features send anything to a chat. Implementations must be thread-safe.
 */
public interface Messenger {

    /**
     * Sends {@code message}.
     *
     * @throws DeliveryException when the message could not be delivered
     */
    void send(OutgoingMessage message);
}

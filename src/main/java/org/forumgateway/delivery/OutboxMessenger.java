package org.forumgateway.delivery;

import org.forumgateway.chat.Messenger;
import org.forumgateway.chat.OutgoingMessage;

/**
 * The {@link Messenger} every feature uses: a message is written to the outbox (durably) and the engine is woken;
 * the engine sends it ahead of bulk traffic.
 */
public final class OutboxMessenger implements Messenger {
    private final Outbox outbox;
    private final DeliveryEngine engine;

    public OutboxMessenger(Outbox outbox, DeliveryEngine engine) {
        this.outbox = outbox;
        this.engine = engine;
    }

    @Override
    public void send(OutgoingMessage message) {
        outbox.enqueueInteractive(message);
        engine.wake();
    }
}

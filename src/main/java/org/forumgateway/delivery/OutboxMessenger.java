package org.forumgateway.delivery;

import org.forumgateway.chat.Messenger;
import org.forumgateway.chat.OutgoingMessage;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@link Messenger} chat handlers use: a reply is queued through {@link Notifications#reply} (durably) and
 * goes ahead of bulk traffic.
 */
public final class OutboxMessenger implements Messenger {
    private final Jdbi jdbi;
    private final Notifications notifications;

    public OutboxMessenger(Jdbi jdbi, Notifications notifications) {
        this.jdbi = jdbi;
        this.notifications = notifications;
    }

    @Override
    public void send(OutgoingMessage message) {
        jdbi.useHandle(handle -> notifications.reply(handle, message));
    }
}

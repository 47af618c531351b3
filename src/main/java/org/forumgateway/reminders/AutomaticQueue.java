package org.forumgateway.reminders;

import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventDao;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queues automatic messages at most once each: every message is recorded as sent and queued through the one way
 * in, in one transaction, so a message another sweep (or a restarted bot) recorded before is not queued again. A
 * message about an event is queued only while the event stands as it was read, and expires with it (see
 * {@link DueMessage#expiresAt}).
 * Thread-safe.
 */
public final class AutomaticQueue {
    private final Jdbi jdbi;
    private final Notifications notifications;
    private final EventDao events = new EventDao();

    public AutomaticQueue(Jdbi jdbi, Notifications notifications) {
        this.jdbi = jdbi;
        this.notifications = notifications;
    }

    /** A due message and what it says to its reader. */
    public record Pending(DueMessage message, OutgoingMessage outgoing) {
    }

    /** Records and queues {@code pending} as notifications of {@code kind}; returns how many were new. */
    public int queue(NotificationKind kind, List<Pending> pending, Instant now) {
        if (pending.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(handle -> {
            Map<String, List<Outbox.Addressed>> byNotification = new LinkedHashMap<>();
            Map<String, Optional<Instant>> expiry = new HashMap<>();
            Map<String, Optional<Event>> storedEvents = new HashMap<>();
            for (Pending item : pending) {
                DueMessage message = item.message();
                // Read before this transaction: a reload since then may have moved or cancelled the event. Such a
                // message is neither queued nor recorded, so the next round reads it again as it now stands.
                Optional<Event> stored = message.event().isEmpty() ? Optional.empty()
                        : storedEvents.computeIfAbsent(message.subject(), key -> events.find(handle, key));
                if (!message.stillHoldsFor(stored)) {
                    continue;
                }
                if (!AutomationDao.recordSent(handle, message.kind(), message.subject(), message.reader().userId(), now)) {
                    continue;
                }
                expiry.put(message.notificationReference(), message.expiresAt());
                message.alsoCovers().forEach(covered ->
                        AutomationDao.recordSent(handle, covered, message.subject(), message.reader().userId(), now));
                byNotification.computeIfAbsent(message.notificationReference(), key -> new ArrayList<>())
                        .add(new Outbox.Addressed(message.reader().userId(), 0, item.outgoing()));
            }
            int count = 0;
            for (Map.Entry<String, List<Outbox.Addressed>> entry : byNotification.entrySet()) {
                // Recorded just now, so owed: a reminder withdrawn when its event moved, and owed again when it
                // moved back, would otherwise find its withdrawn message in the way.
                count += notifications.queueOwedAgain(handle, kind, entry.getKey(), entry.getValue(),
                        expiry.get(entry.getKey())).added();
            }
            return count;
        });
    }
}

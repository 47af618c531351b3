package org.forumgateway.delivery;

import org.forumgateway.webhooks.WebhookEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Everything the delivery engine reads and writes: the queue window, claiming rows, and recording the answers
 * (with the blocked user). The engine's only storage; thread-safe as Jdbi is.
 */
final class DeliveryStore {
    private static final Logger log = LoggerFactory.getLogger(DeliveryStore.class);

    private final Outbox outbox;
    private final Clock clock;
    private final WebhookEvents webhooks;

    /** @param webhooks told of blocked users and of messages failed for good, in the same transaction */
    DeliveryStore(Outbox outbox, Clock clock, WebhookEvents webhooks) {
        this.outbox = outbox;
        this.clock = clock;
        this.webhooks = webhooks;
    }

    /** Rows a crash left in flight go back to the queue; returns how many. */
    int requeueInFlight() {
        return outbox.requeueInFlight();
    }

    /** Up to {@code limit} rows due now, in sending order. */
    List<OutboxRow> queued(int limit) {
        return outbox.queued(limit, clock.instant());
    }

    /** Marks the rows in flight, durably, before they are sent; returns those that were still pending. */
    List<OutboxRow> markInFlight(List<OutboxRow> rows) {
        return outbox.jdbi().inTransaction(handle -> outbox.markInFlight(handle, rows));
    }

    /** Writes what became of each answered row, all in one transaction. */
    void record(List<Answered> answers) {
        long now = clock.millis();
        outbox.jdbi().useTransaction(handle -> {
            PreparedBatch sent = handle.prepareBatch("""
                    UPDATE outbox SET status = 'sent', sent_at = :now, last_error = NULL, sent_message_id = :messageId
                    WHERE id = :id""");
            PreparedBatch retry = handle.prepareBatch("""
                    UPDATE outbox SET status = 'pending', next_attempt_at = :at, last_error = :error,
                                      attempts = attempts - :free WHERE id = :id""");
            PreparedBatch failed = handle.prepareBatch(
                    "UPDATE outbox SET status = 'failed', last_error = :error WHERE id = :id");
            for (Answered answer : answers) {
                OutboxRow row = answer.row();
                if (answer.outcome() instanceof AfterAnswer.Sent delivered) {
                    sent.bind("now", now).bind("messageId", delivered.messageId().orElse(null))
                            .bind("id", row.id()).add();
                } else if (answer.outcome() instanceof AfterAnswer.Retry later) {
                    retry.bind("at", later.at().toEpochMilli()).bind("error", later.reason())
                            .bind("free", later.countsAsAttempt() ? 0 : 1).bind("id", row.id()).add();
                } else if (answer.outcome() instanceof AfterAnswer.Blocked blocked) {
                    markBlocked(handle, row.chatId(), blocked.reason(), now);
                    webhooks.userBlocked(handle, row.chatId(), blocked.reason());
                } else if (answer.outcome() instanceof AfterAnswer.Migrated migrated) {
                    followMigration(handle, row, migrated.newChatId());
                } else if (answer.outcome() instanceof AfterAnswer.Fail fail) {
                    log.warn("Outbox message {} to chat {} failed: {}", row.id(), row.chatId(), fail.reason());
                    failed.bind("error", fail.reason()).bind("id", row.id()).add();
                    webhooks.deliveryFailed(handle, row.notificationId(), row.chatId(), row.attempts() + 1,
                            fail.reason());
                }
            }
            for (PreparedBatch statements : List.of(sent, retry, failed)) {
                if (statements.size() > 0) {
                    statements.execute();
                }
            }
        });
    }

    /** Drops the chat's queued messages and marks its user blocked, so audiences skip them until they write again. */
    private static void markBlocked(Handle handle, long chatId, String reason, long now) {
        handle.createUpdate("""
                        UPDATE outbox SET status = 'blocked', last_error = :reason
                        WHERE chat_id = :chat AND status IN ('pending', 'in_flight')""")
                .bind("reason", reason).bind("chat", chatId).execute();
        handle.createUpdate("UPDATE users SET status = 'blocked', updated_at = :now WHERE telegram_id = :chat")
                .bind("now", now).bind("chat", chatId).execute();
        log.info("Chat {} blocked the bot ({}); its messages are dropped", chatId, reason);
    }

    /** Moves this row and the chat's queued ones to the new chat; the move is not a failed attempt. */
    private static void followMigration(Handle handle, OutboxRow row, long newChatId) {
        // Only this row and the queued ones: others of the chat on the wire get their own answer.
        handle.createUpdate("UPDATE outbox SET chat_id = :new, status = 'pending' WHERE chat_id = :old "
                        + "AND (status = 'pending' OR id = :id)")
                .bind("new", newChatId).bind("old", row.chatId()).bind("id", row.id()).execute();
        handle.createUpdate("UPDATE outbox SET attempts = attempts - 1 WHERE id = :id")
                .bind("id", row.id()).execute();
    }

    /** A row and what its answer made of it. */
    record Answered(OutboxRow row, AfterAnswer outcome) {
    }
}

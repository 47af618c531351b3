package org.forumgateway.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * One queued message as the engine sees it while choosing what to send: everything but the payload, which is read
 * for the rows it claims only ({@link Outbox.Claimed}). The engine re-reads hundreds of rows whenever the queue
 * changes; carrying their payloads made that the delivery thread's largest allocation by far.
 */
record OutboxRow(long id, Optional<Long> notificationId, long chatId, int priority, String method, int attempts,
                 Instant nextAttemptAt) {
}

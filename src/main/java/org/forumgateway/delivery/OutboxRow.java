package org.forumgateway.delivery;

import java.time.Instant;
import java.util.Optional;

/** One queued message as the engine sees it. */
record OutboxRow(long id, Optional<Long> notificationId, long chatId, int priority, String method, String payload,
                 int attempts, Instant nextAttemptAt) {
}

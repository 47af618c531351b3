package org.forumgateway.webhooks;

import java.time.Instant;
import java.util.Optional;

/**
 * A queued webhook: one event for one endpoint, as stored.
 *
 * @param firstAttemptAt when it was first tried and failed; empty before that
 */
record WebhookDelivery(long id, String endpoint, String webhookId, String eventType, String body, int attempts,
                       Optional<Instant> firstAttemptAt) {
}

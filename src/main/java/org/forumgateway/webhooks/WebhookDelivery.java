package org.forumgateway.webhooks;

import java.time.Instant;

/** A queued webhook: one event for one endpoint, as stored. */
record WebhookDelivery(long id, String endpoint, String webhookId, String eventType, String body, int attempts,
                       Instant createdAt) {
}

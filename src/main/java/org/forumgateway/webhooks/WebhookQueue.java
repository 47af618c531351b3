package org.forumgateway.webhooks;

import org.forumgateway.storage.Columns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code webhook_deliveries} table: the durable queue of webhooks. Thread-safe. */
final class WebhookQueue {
    private static final RowMapper<WebhookDelivery> ROW = (rs, ctx) -> new WebhookDelivery(
            rs.getLong("id"),
            rs.getString("endpoint"),
            rs.getString("webhook_id"),
            rs.getString("event_type"),
            rs.getString("body"),
            rs.getInt("attempts"),
            Columns.optionalLong(rs, "first_attempt_at").map(Instant::ofEpochMilli));

    private final Jdbi jdbi;

    WebhookQueue(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Queues one event for one endpoint, due at once, inside the caller's transaction. */
    void enqueue(Handle handle, String endpoint, String webhookId, WebhookEventType type, String body, Instant now) {
        handle.createUpdate("""
                        INSERT INTO webhook_deliveries (endpoint, webhook_id, event_type, body, status, next_attempt_at,
                                                        created_at)
                        VALUES (:endpoint, :webhookId, :type, :body, 'pending', :now, :now)""")
                .bind("endpoint", endpoint).bind("webhookId", webhookId).bind("type", type.wireName())
                .bind("body", body).bind("now", now.toEpochMilli())
                .execute();
    }

    /** The endpoint's rows due at {@code now}, the longest waiting first. */
    List<WebhookDelivery> due(String endpoint, Instant now, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM webhook_deliveries
                        WHERE endpoint = :endpoint AND status = 'pending' AND next_attempt_at <= :now
                        ORDER BY next_attempt_at, id LIMIT :limit""")
                .bind("endpoint", endpoint).bind("now", now.toEpochMilli()).bind("limit", limit)
                .map(ROW).list());
    }

    /** Only after the receiver's 2xx: a crash before this line sends the row again. */
    void markDelivered(Handle handle, long id, Instant now) {
        handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = :now,
                                                      last_error = NULL
                        WHERE id = :id AND status = 'pending'""")
                .bind("id", id).bind("now", now.toEpochMilli()).execute();
    }

    /** A failed attempt: due again at {@code retryAt}, or failed for good when there is none. */
    void markAttemptFailed(Handle handle, long id, String error, Optional<Instant> retryAt, Instant now) {
        handle.createUpdate("""
                        UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = :error,
                               status = CASE WHEN :retryAt IS NULL THEN 'failed' ELSE 'pending' END,
                               next_attempt_at = coalesce(:retryAt, next_attempt_at),
                               first_attempt_at = coalesce(first_attempt_at, :now)
                        WHERE id = :id AND status = 'pending'""")
                .bind("id", id).bind("error", error).bind("retryAt", retryAt.map(Instant::toEpochMilli).orElse(null))
                .bind("now", now.toEpochMilli())
                .execute();
    }

    /** Forgets rows delivered before {@code deliveredBefore} and rows given up before {@code failedBefore}. */
    int purge(Instant deliveredBefore, Instant failedBefore) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        DELETE FROM webhook_deliveries
                        WHERE (status = 'delivered' AND delivered_at < :delivered)
                           OR (status = 'failed' AND created_at < :failed)""")
                .bind("delivered", deliveredBefore.toEpochMilli()).bind("failed", failedBefore.toEpochMilli())
                .execute());
    }
}

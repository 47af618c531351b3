package org.forumgateway.users;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/**
 * SQL for the external_ids table (the id another system knows a person by, linked to their Telegram account): the
 * one class that writes it. Stateless; every call runs in the caller's handle. Thread-safe.
 */
public final class ExternalIdDao {
    /** The external id linked to {@code userId}, if any. */
    public Optional<String> externalIdOf(Handle handle, long userId) {
        return handle.createQuery("SELECT external_id FROM external_ids WHERE user_id = :user")
                .bind("user", userId).mapTo(String.class).findOne();
    }

    /** The Telegram account {@code externalId} is linked to, if any. */
    public Optional<Long> userOf(Handle handle, String externalId) {
        return handle.createQuery("SELECT user_id FROM external_ids WHERE external_id = :id")
                .bind("id", externalId).mapTo(Long.class).findOne();
    }

    /** Links {@code externalId} to {@code userId}: whatever either was linked to before is unlinked. */
    public void link(Handle handle, String externalId, long userId, Instant now) {
        handle.createUpdate("DELETE FROM external_ids WHERE external_id = :external OR user_id = :user")
                .bind("external", externalId).bind("user", userId).execute();
        handle.createUpdate("INSERT INTO external_ids (external_id, user_id, linked_at) VALUES (:external, :user, :now)")
                .bind("external", externalId).bind("user", userId).bind("now", now.toEpochMilli()).execute();
    }
}

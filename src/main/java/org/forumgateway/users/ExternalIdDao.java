package org.forumgateway.users;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for the external_ids table (the ids other systems know a person by, linked to their Telegram account): the
 * one class that writes it. An external id names one account; an account may have one id per system (per API key
 * that linked it). Stateless; every call runs in the caller's handle. Thread-safe.
 */
public final class ExternalIdDao {
    /**
     * A scalar subquery for the external id of the person in {@code userColumn} as the system behind the bound
     * {@code :keyName} knows them: the id that key linked, else the most recent link of any system.
     */
    public static String idAsKnownTo(String userColumn) {
        return "(SELECT x.external_id FROM external_ids x WHERE x.user_id = " + userColumn
                + " ORDER BY x.key_name IS :keyName DESC, x.linked_at DESC LIMIT 1)";
    }

    /** Forgets every external id linked to {@code userId} (their erasure): the other systems' ids for them. */
    public void forget(Handle handle, long userId) {
        handle.createUpdate("DELETE FROM external_ids WHERE user_id = :user").bind("user", userId).execute();
    }

    /**
     * The ids the systems linked to a person.
     *
     * @param inOrder every external id, by any system, in the order they were linked
     * @param byKey   the same by the name of the API key that linked each (one per system), in that order; links made
     *                before keys were recorded are not among them
     */
    public record Links(List<String> inOrder, Map<String, String> byKey) {
        public Links {
            inOrder = List.copyOf(inOrder);
            byKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
        }

        /** The external id most recently linked, if any. */
        public Optional<String> latest() {
            return inOrder.isEmpty() ? Optional.empty() : Optional.of(inOrder.get(inOrder.size() - 1));
        }
    }

    /** The ids the systems linked to {@code userId}, read at once. */
    public Links links(Handle handle, long userId) {
        List<String> inOrder = new ArrayList<>();
        Map<String, String> byKey = new LinkedHashMap<>();
        handle.createQuery("SELECT key_name, external_id FROM external_ids WHERE user_id = :user ORDER BY linked_at")
                .bind("user", userId)
                .map((rs, ctx) -> Map.entry(Optional.ofNullable(rs.getString("key_name")), rs.getString("external_id")))
                .forEach(link -> {
                    inOrder.add(link.getValue());
                    link.getKey().ifPresent(key -> byKey.put(key, link.getValue()));
                });
        return new Links(inOrder, byKey);
    }

    /** The Telegram account {@code externalId} is linked to, if any. */
    public Optional<Long> userOf(Handle handle, String externalId) {
        return handle.createQuery("SELECT user_id FROM external_ids WHERE external_id = :id")
                .bind("id", externalId).mapTo(Long.class).findOne();
    }

    /**
     * An external id's link as it stands.
     *
     * @param keyName the API key whose link made it; empty for links made before keys were recorded
     */
    public record Link(long userId, Optional<String> keyName, Instant linkedAt) {
        /** Whether another key than {@code keyName} made it: the id is that other system's. */
        public boolean madeByAnotherKey(String keyName) {
            return this.keyName.filter(owner -> !owner.equals(keyName)).isPresent();
        }
    }

    /** How {@code externalId} is linked now, if it is. */
    public Optional<Link> link(Handle handle, String externalId) {
        return handle.createQuery("SELECT user_id, key_name, linked_at FROM external_ids WHERE external_id = :id")
                .bind("id", externalId)
                .map((rs, ctx) -> new Link(rs.getLong("user_id"), Optional.ofNullable(rs.getString("key_name")),
                        Instant.ofEpochMilli(rs.getLong("linked_at"))))
                .findOne();
    }

    /**
     * Links {@code externalId} to {@code userId} for the system behind {@code keyName}: the id leaves whichever
     * account had it, and that system's earlier id for this person is replaced. Other systems' ids stay.
     */
    public void link(Handle handle, String externalId, long userId, String keyName, Instant now) {
        handle.createUpdate("""
                        DELETE FROM external_ids
                        WHERE external_id = :external OR (user_id = :user AND key_name = :key)""")
                .bind("external", externalId).bind("user", userId).bind("key", keyName).execute();
        handle.createUpdate("""
                        INSERT INTO external_ids (external_id, user_id, key_name, linked_at)
                        VALUES (:external, :user, :key, :now)""")
                .bind("external", externalId).bind("user", userId).bind("key", keyName)
                .bind("now", now.toEpochMilli()).execute();
    }
}

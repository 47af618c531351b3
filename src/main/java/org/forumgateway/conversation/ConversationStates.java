package org.forumgateway.conversation;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Stored conversation steps, so a wizard survives a restart. A step left alone for a day is forgotten: the
 * next plain message is then just a message. Thread-safe.
 */
public final class ConversationStates {
    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final Jdbi jdbi;
    private final Clock clock;

    public ConversationStates(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Optional<ConversationState> find(long userId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM conversation_state WHERE user_id = :user AND updated_at > :since""")
                .bind("user", userId)
                .bind("since", clock.instant().minus(FORGET_AFTER).toEpochMilli())
                .map((rs, ctx) -> new ConversationState(rs.getLong("user_id"), rs.getString("flow"),
                        rs.getString("step"), rs.getString("data")))
                .findOne());
    }

    public void set(long userId, String flow, String step, String data) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO conversation_state (user_id, flow, step, data, updated_at)
                        VALUES (:user, :flow, :step, :data, :now)
                        ON CONFLICT (user_id) DO UPDATE SET flow = excluded.flow, step = excluded.step,
                            data = excluded.data, updated_at = excluded.updated_at""")
                .bind("user", userId).bind("flow", flow).bind("step", step).bind("data", data)
                .bind("now", clock.millis()).execute());
    }

    /** Forgets the user's unfinished step, in the caller's transaction (their erasure). */
    public void forget(Handle handle, long userId) {
        handle.createUpdate("DELETE FROM conversation_state WHERE user_id = :user").bind("user", userId).execute();
    }

    public void clear(long userId) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM conversation_state WHERE user_id = :user")
                .bind("user", userId).execute());
    }
}

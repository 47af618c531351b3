package org.forumgateway.invites;

import org.forumgateway.storage.Columns;
import org.forumgateway.users.Role;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Optional;

/** SQL for the invites and invite_uses tables: the one class that writes them. Thread-safe. */
final class InviteDao {
    private static final RowMapper<Invite> INVITE = (rs, ctx) -> new Invite(
            rs.getString("code"),
            Role.fromCode(rs.getString("role")),
            Columns.optionalString(rs, "country"),
            Columns.optionalInt(rs, "cohort_number"),
            Instant.ofEpochMilli(rs.getLong("expires_at")),
            rs.getInt("max_uses"),
            rs.getInt("uses"));

    private final Jdbi jdbi;

    InviteDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(Invite invite, long createdBy, Instant now) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO invites (code, role, country, cohort_number, expires_at, max_uses, created_by,
                                             created_at)
                        VALUES (:code, :role, :country, :cohort, :expiresAt, :maxUses, :createdBy, :now)""")
                .bind("code", invite.code())
                .bind("role", invite.role().code())
                .bind("country", invite.country().orElse(null))
                .bind("cohort", invite.cohort().orElse(null))
                .bind("expiresAt", invite.expiresAt().toEpochMilli())
                .bind("maxUses", invite.maxUses())
                .bind("createdBy", createdBy)
                .bind("now", now.toEpochMilli())
                .execute());
    }

    Optional<Invite> find(Handle handle, String code) {
        return handle.createQuery("SELECT * FROM invites WHERE code = :code").bind("code", code).map(INVITE).findOne();
    }

    boolean usedBy(Handle handle, String code, long userId) {
        return handle.createQuery("SELECT count(*) FROM invite_uses WHERE code = :code AND user_id = :user")
                .bind("code", code).bind("user", userId).mapTo(Integer.class).one() > 0;
    }

    /** Forgets who used invites: the count of uses stays, so a spent invite stays spent. */
    void forgetUses(Handle handle, long userId) {
        handle.createUpdate("DELETE FROM invite_uses WHERE user_id = :user").bind("user", userId).execute();
    }

    /** One use more of the invite, by {@code userId}. */
    void recordUse(Handle handle, String code, long userId, Instant now) {
        handle.createUpdate("INSERT INTO invite_uses (code, user_id, used_at) VALUES (:code, :user, :now)")
                .bind("code", code).bind("user", userId).bind("now", now.toEpochMilli()).execute();
        handle.createUpdate("UPDATE invites SET uses = uses + 1 WHERE code = :code").bind("code", code).execute();
    }
}

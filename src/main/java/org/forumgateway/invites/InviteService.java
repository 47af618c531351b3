package org.forumgateway.invites;

import org.forumgateway.users.UserDao;
import org.forumgateway.storage.Columns;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Creates invite codes and applies them. Codes are random and unguessable. Thread-safe. */
public final class InviteService {
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final int CODE_LENGTH = 12;
    private static final RowMapper<Invite> INVITE = (rs, ctx) -> new Invite(
            rs.getString("code"),
            Role.fromCode(rs.getString("role")),
            Columns.optionalString(rs, "country"),
            Columns.optionalInt(rs, "cohort_number"),
            Instant.ofEpochMilli(rs.getLong("expires_at")),
            rs.getInt("max_uses"),
            rs.getInt("uses"));

    private final Jdbi jdbi;
    private final UserDao users;
    private final Clock clock;
    private final Duration validity;
    private final int maxUses;
    private final SecureRandom random = new SecureRandom();

    public InviteService(Jdbi jdbi, Clock clock, Duration validity, int maxUses) {
        this.jdbi = jdbi;
        this.users = new UserDao(jdbi);
        this.clock = clock;
        this.validity = validity;
        this.maxUses = maxUses;
    }

    /** An invite that makes its users delegates of {@code country} (an ISO code such as KZ). */
    public Invite createDelegateInvite(String country, long staffId) {
        return create(Role.DELEGATE, Optional.of(country), Optional.empty(), staffId);
    }

    /** An invite into cohort {@code cohort}, which must exist. */
    public Invite createCohortInvite(int cohort, long staffId) {
        return create(Role.SUPPORTER, Optional.empty(), Optional.of(cohort), staffId);
    }

    private Invite create(Role role, Optional<String> country, Optional<Integer> cohort, long staffId) {
        Instant now = clock.instant();
        Invite invite = new Invite(newCode(), role, country, cohort, now.plus(validity), maxUses, 0);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO invites (code, role, country, cohort_number, expires_at, max_uses, created_by,
                                             created_at)
                        VALUES (:code, :role, :country, :cohort, :expiresAt, :maxUses, :createdBy, :now)""")
                .bind("code", invite.code())
                .bind("role", role.code())
                .bind("country", country.orElse(null))
                .bind("cohort", cohort.orElse(null))
                .bind("expiresAt", invite.expiresAt().toEpochMilli())
                .bind("maxUses", maxUses)
                .bind("createdBy", staffId)
                .bind("now", now.toEpochMilli())
                .execute());
        return invite;
    }

    /** Applies the invite {@code code} to {@code user}, in one transaction; using one code twice costs one use. */
    public RedeemOutcome redeem(String code, User user) {
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            Optional<Invite> found = handle.createQuery("SELECT * FROM invites WHERE code = :code")
                    .bind("code", code).map(INVITE).findOne();
            if (found.isEmpty()) {
                return new RedeemOutcome(RedeemOutcome.Result.UNKNOWN, found);
            }
            Invite invite = found.get();
            boolean usedBefore = handle.createQuery("SELECT count(*) FROM invite_uses WHERE code = :code AND user_id = :user")
                    .bind("code", code).bind("user", user.telegramId()).mapTo(Integer.class).one() > 0;
            if (!now.isBefore(invite.expiresAt())) {
                return new RedeemOutcome(RedeemOutcome.Result.EXPIRED, found);
            }
            if (!usedBefore && invite.uses() >= invite.maxUses()) {
                return new RedeemOutcome(RedeemOutcome.Result.USED_UP, found);
            }
            if (user.role().atLeast(Role.STAFF)) {
                return new RedeemOutcome(RedeemOutcome.Result.STAFF_UNCHANGED, found);
            }
            if (!usedBefore) {
                recordUse(handle, invite, user, now);
            }
            // An invite adds a country or a cohort; it never lowers a role (a delegate joining a cohort stays a
            // delegate).
            users.applyInvite(handle, user.telegramId(), user.role().atLeast(invite.role()) ? user.role() : invite.role(),
                    invite.country(), invite.cohort(), now);
            return new RedeemOutcome(RedeemOutcome.Result.APPLIED, found);
        });
    }

    private static void recordUse(Handle handle, Invite invite, User user, Instant now) {
        handle.createUpdate("INSERT INTO invite_uses (code, user_id, used_at) VALUES (:code, :user, :now)")
                .bind("code", invite.code()).bind("user", user.telegramId()).bind("now", now.toEpochMilli()).execute();
        handle.createUpdate("UPDATE invites SET uses = uses + 1 WHERE code = :code").bind("code", invite.code()).execute();
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}

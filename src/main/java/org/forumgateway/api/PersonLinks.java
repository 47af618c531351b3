package org.forumgateway.api;

import org.forumgateway.storage.Columns;
import org.forumgateway.users.AccessChanged;
import org.forumgateway.users.ExternalIdDao;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserDao;
import org.forumgateway.webhooks.WebhookEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Links people known to other systems by their own id (an "external id") to their Telegram accounts: a system asks
 * for a deep link, the person presses Start, and from then on messages can be addressed by the external id. One
 * external id names one account; linking it again moves it. A role given with the link is applied like an invite's:
 * it never lowers one. Thread-safe.
 */
public final class PersonLinks {
    /** Start payloads of link codes: {@code t.me/<bot>?start=lnk-<code>}. */
    public static final String PAYLOAD_PREFIX = "lnk-";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    private static final int CODE_LENGTH = 24;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration validity;
    private final SecureRandom random = new SecureRandom();
    private final WebhookEvents webhooks;
    private final UserDao users;
    private final ExternalIdDao externalIds = new ExternalIdDao();

    private final AccessChanged accessChanged;

    public PersonLinks(Jdbi jdbi, Clock clock, Duration validity, WebhookEvents webhooks) {
        this(jdbi, clock, validity, webhooks, AccessChanged.NONE);
    }

    /** @param accessChanged told in the same transaction about everyone a link gives a role, country or cohort */
    public PersonLinks(Jdbi jdbi, Clock clock, Duration validity, WebhookEvents webhooks,
                       AccessChanged accessChanged) {
        this.accessChanged = accessChanged;
        this.jdbi = jdbi;
        this.users = new UserDao(jdbi);
        this.webhooks = webhooks;
        this.clock = clock;
        this.validity = validity;
    }

    /**
     * Whether {@code externalId} is linked by another key than {@code keyName}: an id is one system's, and a second
     * system's link would take it over, sending the first system's messages to whoever pressed that link.
     */
    boolean ownedByAnotherKey(String keyName, String externalId) {
        return jdbi.withHandle(handle -> externalIds.link(handle, externalId)
                .filter(current -> current.madeByAnotherKey(keyName)).isPresent());
    }

    /** A new code for {@code externalId}; the role, country and cohort are applied when it is used. */
    record Code(String code, Instant expiresAt) {
    }

    Code create(String keyName, String externalId, Optional<Role> role, Optional<String> country,
                Optional<Integer> cohort) {
        // In milliseconds, as stored and as every other time the API gives (the system clock has microseconds).
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Code code = new Code(newCode(), now.plus(validity));
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO link_codes (code, external_id, role, country, cohort_number, key_name, expires_at,
                                                created_at)
                        VALUES (:code, :external, :role, :country, :cohort, :key, :expires, :now)""")
                .bind("code", code.code()).bind("external", externalId)
                .bind("role", role.map(Role::code).orElse(null)).bind("country", country.orElse(null))
                .bind("cohort", cohort.orElse(null)).bind("key", keyName)
                .bind("expires", code.expiresAt().toEpochMilli()).bind("now", now.toEpochMilli()).execute());
        return code;
    }

    /**
     * What pressing Start on a link did. REPLACED: the external id was linked again after this link was made (by a
     * newer link, to this account or another), so this older link changes nothing.
     */
    public enum Outcome { LINKED, UNKNOWN, EXPIRED, USED, REPLACED }

    /**
     * Forgets the links {@code userId} opened, in the caller's transaction (their erasure): each named them and
     * another system's id for them. Their external ids go with {@link ExternalIdDao#forget}.
     */
    public void forget(Handle handle, long userId) {
        handle.createUpdate("DELETE FROM link_codes WHERE used_by = :user").bind("user", userId).execute();
    }

    /**
     * Links {@code user} to the code's external id, in one transaction. Using one's own code again changes nothing;
     * neither does a link older than the id's latest linking, which would otherwise move the id back to whoever
     * pressed an old link (an e-mail read late) without the other system knowing.
     */
    public Outcome redeem(String code, User user) {
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            Optional<LinkCode> found = handle.createQuery("SELECT * FROM link_codes WHERE code = :code")
                    .bind("code", code)
                    .map((rs, ctx) -> new LinkCode(rs.getString("external_id"), rs.getString("key_name"),
                            Columns.optionalString(rs, "role").map(Role::fromCode),
                            Columns.optionalString(rs, "country"), Columns.optionalInt(rs, "cohort_number"),
                            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")),
                            Columns.optionalLong(rs, "used_by")))
                    .findOne();
            if (found.isEmpty()) {
                return Outcome.UNKNOWN;
            }
            LinkCode link = found.get();
            if (link.usedBy().isPresent() && link.usedBy().get() != user.telegramId()) {
                return Outcome.USED;
            }
            Optional<ExternalIdDao.Link> current = externalIds.link(handle, link.externalId());
            boolean linkedToThem = current.filter(linked -> linked.userId() == user.telegramId()).isPresent();
            if (link.usedBy().isPresent()) {
                return linkedToThem ? Outcome.LINKED : Outcome.REPLACED;
            }
            if (!now.isBefore(link.expiresAt())) {
                return Outcome.EXPIRED;
            }
            if (current.filter(linked -> linked.madeByAnotherKey(link.keyName())).isPresent()) {
                return Outcome.USED; // another system linked the id since this link was made: it stays theirs
            }
            if (!linkedToThem && current.filter(linked -> linked.linkedAt().isAfter(link.createdAt())).isPresent()) {
                return Outcome.REPLACED;
            }
            externalIds.link(handle, link.externalId(), user.telegramId(), link.keyName(), now);
            handle.createUpdate("UPDATE link_codes SET used_by = :user WHERE code = :code")
                    .bind("user", user.telegramId()).bind("code", code).execute();
            if (!user.role().atLeast(Role.STAFF)) {
                // Like an invite: adds a country or a cohort, never lowers a role.
                Role role = link.role().filter(wanted -> !user.role().atLeast(wanted)).orElse(user.role());
                users.applyInvite(handle, user.telegramId(), role, link.country(), link.cohort(), now);
                accessChanged.changed(handle, user.telegramId());
            }
            if (!linkedToThem) {
                // A second link for the same person (the system sent two) applies its role, but links nothing new.
                webhooks.userLinked(handle, user.telegramId(), link.externalId());
            }
            return Outcome.LINKED;
        });
    }

    private record LinkCode(String externalId, String keyName, Optional<Role> role, Optional<String> country,
                            Optional<Integer> cohort, Instant createdAt, Instant expiresAt, Optional<Long> usedBy) {
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}

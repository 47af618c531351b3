package org.forumgateway.calendar;

import org.forumgateway.events.Event;
import org.forumgateway.events.EventDao;
import org.forumgateway.i18n.LanguagePreference;
import org.forumgateway.rsvp.RsvpStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Personal calendar feeds: a secret token per user, and the events behind it (those the user is going to, might
 * attend or waits for). Revoking replaces the token, so an old link stops working at once. Thread-safe.
 */
public final class CalendarFeeds {
    /** Past events stay in the feed this long, so a phone does not drop them the moment they start. */
    private static final Duration KEEP_PAST = Duration.ofDays(30);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Set<Long> adminIds;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param adminIds administrators from ADMIN_IDS: they may answer every event, whatever role is stored for them,
     *                 so their feed holds every event they answered
     */
    public CalendarFeeds(Jdbi jdbi, Clock clock, Set<Long> adminIds) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.adminIds = Set.copyOf(adminIds);
    }

    /** The user's token, created on first use. */
    public String token(long userId) {
        return jdbi.inTransaction(handle -> handle.createQuery("SELECT token FROM calendar_tokens WHERE user_id = :user")
                .bind("user", userId).mapTo(String.class).findOne()
                .orElseGet(() -> {
                    String token = newToken();
                    handle.createUpdate("INSERT INTO calendar_tokens (user_id, token, created_at) VALUES (:user, :token, :now)")
                            .bind("user", userId).bind("token", token).bind("now", clock.millis()).execute();
                    return token;
                }));
    }

    /** Forgets the user's token, in the caller's transaction (their erasure): their feed link answers 404. */
    public void forget(Handle handle, long userId) {
        handle.createUpdate("DELETE FROM calendar_tokens WHERE user_id = :user").bind("user", userId).execute();
    }

    /** Replaces the user's token; the old feed link answers 404 from now on. */
    public String revoke(long userId) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM calendar_tokens WHERE user_id = :user")
                .bind("user", userId).execute());
        return token(userId);
    }

    /** The owner of {@code token} and their events, if the token is current. */
    public Optional<Feed> feed(String token) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT t.user_id, u.locale, u.telegram_language FROM calendar_tokens t
                        JOIN users u ON u.telegram_id = t.user_id WHERE t.token = :token""")
                .bind("token", token)
                .map((rs, ctx) -> new Owner(rs.getLong("user_id"),
                        LanguagePreference.of(rs.getString("locale"), rs.getString("telegram_language"))))
                .findOne()
                .map(owner -> new Feed(owner.userId(), owner.language(),
                        handle.createQuery("""
                                        SELECT e.*, r.status AS answer, e.revision + r.answer_changes AS sequence,
                                               max(e.updated_at, r.updated_at) AS revised_at
                                        FROM rsvps r JOIN events e ON e.key = r.event_key
                                        JOIN users u ON u.telegram_id = r.user_id
                                        WHERE r.user_id = :user AND r.status IN ('going', 'maybe', 'waitlisted')
                                          AND e.ends_at > :since AND (:admin OR """ + EventDao.VISIBLE_TO_USER_ROW + """
                                        ) ORDER BY e.starts_at""")
                                .bind("user", owner.userId())
                                .bind("admin", adminIds.contains(owner.userId()))
                                .bind("since", clock.instant().minus(KEEP_PAST).toEpochMilli())
                                .map((rs, ctx) -> new CalendarEntry(EventDao.EVENT.map(rs, ctx),
                                        Optional.of(RsvpStatus.fromCode(rs.getString("answer"))),
                                        rs.getInt("sequence"), Instant.ofEpochMilli(rs.getLong("revised_at"))))
                                .list())));
    }

    /**
     * {@code event} as {@code userId}'s calendar shows it: with their answer, if any, and its revision raised by each
     * change of that answer.
     */
    public CalendarEntry entry(Event event, long userId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT e.revision + coalesce(r.answer_changes, 0) AS sequence, r.status,
                               max(e.updated_at, coalesce(r.updated_at, 0)) AS revised_at
                        FROM events e LEFT JOIN rsvps r ON r.event_key = e.key AND r.user_id = :user
                        WHERE e.key = :key""")
                .bind("key", event.key()).bind("user", userId)
                .map((rs, ctx) -> new CalendarEntry(event,
                        Optional.ofNullable(rs.getString("status")).map(RsvpStatus::fromCode),
                        rs.getInt("sequence"), Instant.ofEpochMilli(rs.getLong("revised_at"))))
                .findOne()
                .orElseGet(() -> new CalendarEntry(event, Optional.empty(), 0, clock.instant())));
    }

    private String newToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private record Owner(long userId, LanguagePreference language) {
    }

    /** A feed's owner, what is known of their language, and the events to publish. */
    public record Feed(long userId, LanguagePreference language, List<CalendarEntry> entries) {
    }
}

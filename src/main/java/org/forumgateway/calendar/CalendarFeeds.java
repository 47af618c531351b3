package org.forumgateway.calendar;

import org.forumgateway.events.Event;
import org.forumgateway.events.EventDao;
import org.forumgateway.i18n.LanguagePreference;
import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Personal calendar feeds: a secret token per user, and the events behind it (those the user is going to, might
 * attend or waits for). Revoking replaces the token, so an old link stops working at once. Thread-safe.
 */
public final class CalendarFeeds {
    /** Past events stay in the feed this long, so a phone does not drop them the moment they start. */
    private static final Duration KEEP_PAST = Duration.ofDays(30);

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CalendarFeeds(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
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
                                        SELECT e.* FROM rsvps r JOIN events e ON e.key = r.event_key
                                        JOIN users u ON u.telegram_id = r.user_id
                                        WHERE r.user_id = :user AND r.status IN ('going', 'maybe', 'waitlisted')
                                          AND e.ends_at > :since AND """ + EventDao.VISIBLE_TO_USER_ROW + """
                                        ORDER BY e.starts_at""")
                                .bind("user", owner.userId())
                                .bind("since", clock.instant().minus(KEEP_PAST).toEpochMilli())
                                .map(EventDao.EVENT)
                                .list())));
    }

    private String newToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private record Owner(long userId, LanguagePreference language) {
    }

    /** A feed's owner, what is known of their language, and the events to publish. */
    public record Feed(long userId, LanguagePreference language, List<Event> events) {
    }
}

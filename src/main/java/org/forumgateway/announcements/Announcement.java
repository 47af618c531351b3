package org.forumgateway.announcements;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An announcement and where it stands.
 *
 * @param texts Telegram HTML by locale code; {@link #FALLBACK} is the text for everyone without their own
 */
public record Announcement(long id, long createdBy, String audience, Map<String, String> texts, Status status,
                           boolean urgent,
                           Optional<Instant> scheduledAt, Optional<Long> notificationId, Optional<Integer> recipients,
                           Optional<Long> progressChat, Optional<Long> progressOutboxRow, Instant createdAt,
                           Optional<Instant> startedAt, Optional<Instant> finishedAt) {
    public static final String FALLBACK = "*";

    public Announcement {
        texts = Map.copyOf(texts);
    }

    /** The text a reader of {@code locale} gets. */
    public Optional<String> textFor(String locale) {
        return Optional.ofNullable(texts.get(locale)).or(() -> Optional.ofNullable(texts.get(FALLBACK)));
    }

    /** Where an announcement stands. */
    public enum Status {
        DRAFT, SCHEDULED, SENDING, SENT, CANCELLED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}

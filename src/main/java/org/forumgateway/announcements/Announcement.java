package org.forumgateway.announcements;

import org.forumgateway.chat.Media;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An announcement and where it stands.
 *
 * @param texts Telegram HTML by locale code; {@link #FALLBACK} is the text for everyone without their own
 * @param media photos, documents or videos by locale code, the text of that locale being their caption
 * @param pinInGroups pinned in the groups of its audience once sent there (where the bot may pin)
 * @param scheduledBy who scheduled it; empty when never scheduled, or scheduled before that was recorded
 */
public record Announcement(long id, long createdBy, String audience, Map<String, String> texts,
                           Map<String, List<Media>> media, Status status,
                           boolean urgent, boolean pinInGroups,
                           Optional<Instant> scheduledAt, Optional<Long> scheduledBy,
                           Optional<Long> notificationId, Optional<Integer> recipients,
                           Optional<Long> progressChat, Optional<Long> progressOutboxRow, Instant createdAt,
                           Optional<Instant> startedAt, Optional<Instant> finishedAt) {
    public static final String FALLBACK = "*";
    /** How early a scheduler's trigger may fire (Quartz wakes a little before, and keeps milliseconds only). */
    private static final Duration TRIGGER_EARLINESS = Duration.ofSeconds(1);

    public Announcement {
        texts = Map.copyOf(texts);
        media = Map.copyOf(media);
    }

    /** The variant a reader of {@code locale} gets: their own language's, else the one for everyone, if any. */
    public Optional<String> variantFor(String locale) {
        return hasVariant(locale) ? Optional.of(locale) : hasVariant(FALLBACK) ? Optional.of(FALLBACK) : Optional.empty();
    }

    private boolean hasVariant(String key) {
        return texts.containsKey(key) || media.containsKey(key);
    }

    /** Every variant's key, sorted. */
    public SortedSet<String> variants() {
        SortedSet<String> keys = new TreeSet<>(texts.keySet());
        keys.addAll(media.keySet());
        return keys;
    }

    /** The same announcement with other texts: an edit's, to build the new messages from. */
    public Announcement withTexts(Map<String, String> newTexts) {
        return new Announcement(id, createdBy, audience, newTexts, media, status, urgent, pinInGroups, scheduledAt,
                scheduledBy, notificationId, recipients, progressChat, progressOutboxRow, createdAt, startedAt,
                finishedAt);
    }

    /**
     * Whether the scheduler started it, at its time or later, as opposed to a staff member's Send now before that time
     * (from the preview of a scheduled one): the one holds recipients' quiet hours, the other goes now. A trigger may
     * fire a moment early; a Send now within that moment of the time counts as the scheduler's.
     */
    public boolean startedBySchedule() {
        return scheduledAt.isPresent() && startedAt.filter(started -> !started.isBefore(
                scheduledAt.get().minus(TRIGGER_EARLINESS))).isPresent();
    }

    /**
     * Whose send it is at its scheduled time (the audit log's actor, the chat that follows it), as "Send now" is the
     * presser's: who scheduled it, else its author.
     */
    public long scheduledSender() {
        return scheduledBy.orElse(createdBy);
    }

    /** What the variant {@code key} says and shows. */
    public Content content(String key) {
        return new Content(texts.getOrDefault(key, ""), media.getOrDefault(key, List.of()));
    }

    /** Whether the first text has photos, video or a file, which a translation typed as text becomes the caption of. */
    public boolean firstTextHasMedia() {
        return media.containsKey(FALLBACK);
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

package org.forumgateway.announcements;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.chat.Media;
import org.forumgateway.storage.Columns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SQL for the announcements table: the one class that writes it. Thread-safe. */
final class AnnouncementDao {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> TEXTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, List<Map<String, String>>>> MEDIA = new TypeReference<>() {
    };
    private static final RowMapper<Announcement> ANNOUNCEMENT = (rs, ctx) -> new Announcement(
            rs.getLong("id"),
            rs.getLong("created_by"),
            rs.getString("audience"),
            readTexts(rs.getString("texts")),
            readMedia(rs.getString("media")),
            Announcement.Status.fromCode(rs.getString("status")),
            rs.getInt("urgent") == 1,
            rs.getInt("pin_in_groups") == 1,
            Columns.optionalLong(rs, "scheduled_at").map(Instant::ofEpochMilli),
            Columns.optionalLong(rs, "scheduled_by"),
            Columns.optionalLong(rs, "notification_id"),
            Columns.optionalInt(rs, "recipients"),
            Columns.optionalLong(rs, "progress_chat"),
            Columns.optionalLong(rs, "progress_outbox"),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            Columns.optionalLong(rs, "started_at").map(Instant::ofEpochMilli),
            Columns.optionalLong(rs, "finished_at").map(Instant::ofEpochMilli));

    private static final String DRAFT = Announcement.Status.DRAFT.code();
    private static final String SCHEDULED = Announcement.Status.SCHEDULED.code();

    private final Jdbi jdbi;

    AnnouncementDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    long insertDraft(long staffId, String audience, Map<String, String> texts, Instant now) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        INSERT INTO announcements (created_by, audience, texts, status, created_at)
                        VALUES (:staff, :audience, :texts, :draft, :now)
                        RETURNING id""")
                .bind("staff", staffId).bind("audience", audience).bind("texts", writeTexts(texts))
                .bind("draft", DRAFT).bind("now", now.toEpochMilli())
                .mapTo(Long.class).one());
    }

    Optional<Announcement> find(Handle handle, long id) {
        return handle.createQuery("SELECT * FROM announcements WHERE id = :id").bind("id", id).map(ANNOUNCEMENT)
                .findOne();
    }

    /** A draft's new audience; false when it is no draft any more. */
    boolean updateAudience(long id, String audience) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE announcements SET audience = :audience WHERE id = :id AND status = :draft")
                .bind("audience", audience).bind("id", id).bind("draft", DRAFT).execute()) > 0;
    }

    void updateTexts(Handle handle, long id, Map<String, String> texts) {
        handle.createUpdate("UPDATE announcements SET texts = :texts WHERE id = :id")
                .bind("texts", writeTexts(texts)).bind("id", id).execute();
    }

    /** Replaces the text and media of every variant. */
    void updateVariants(Handle handle, long id, Map<String, String> texts, Map<String, List<Media>> media) {
        handle.createUpdate("UPDATE announcements SET texts = :texts, media = :media WHERE id = :id")
                .bind("texts", writeTexts(texts)).bind("media", writeMedia(media)).bind("id", id).execute();
    }

    /**
     * Forgets which variant of each announcement {@code recipient} got (their erasure): an edit of one they got
     * gives them the default variant's text.
     */
    void forgetRecipient(Handle handle, long recipient) {
        handle.createUpdate("DELETE FROM announcement_recipients WHERE recipient = :recipient")
                .bind("recipient", recipient).execute();
    }

    /** Which variant each recipient got, so that an edit gives each the new text of the same variant. */
    void recordVariants(Handle handle, long id, Map<Long, String> variantByRecipient) {
        if (variantByRecipient.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT OR IGNORE INTO announcement_recipients (announcement_id, recipient, variant)
                VALUES (:id, :recipient, :variant)""");
        variantByRecipient.forEach((recipient, variant) -> batch.bind("id", id).bind("recipient", recipient)
                .bind("variant", variant).add());
        batch.execute();
    }

    /** Which variant each recipient of announcement {@code id} got, by recipient. */
    Map<Long, String> variantsSent(long id) {
        Map<Long, String> variants = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery(
                        "SELECT recipient, variant FROM announcement_recipients WHERE announcement_id = :id")
                .bind("id", id).map((rs, ctx) -> Map.entry(rs.getLong("recipient"), rs.getString("variant")))
                .forEach(entry -> variants.put(entry.getKey(), entry.getValue())));
        return variants;
    }

    /** Which variant recipient {@code recipient} of announcement {@code id} got, inside the caller's transaction. */
    Optional<String> variantSent(Handle handle, long id, long recipient) {
        return handle.createQuery("""
                        SELECT variant FROM announcement_recipients WHERE announcement_id = :id AND recipient = :recipient""")
                .bind("id", id).bind("recipient", recipient).mapTo(String.class).findOne();
    }

    /**
     * Scheduled, or a draft too when {@code from} has it, becomes sending; false when it was none of them any more.
     */
    boolean markSending(Handle handle, long id, Instant now, Set<Announcement.Status> from) {
        boolean draftToo = from.contains(Announcement.Status.DRAFT);
        return handle.createUpdate("""
                        UPDATE announcements SET status = :sending, started_at = :now
                        WHERE id = :id AND status IN (:scheduled, :draftToo)""")
                .bind("sending", Announcement.Status.SENDING.code()).bind("scheduled", SCHEDULED)
                .bind("draftToo", draftToo ? DRAFT : SCHEDULED)
                .bind("now", now.toEpochMilli()).bind("id", id).execute() > 0;
    }

    /** Where its progress is shown and which notification carries its messages. */
    void recordStart(Handle handle, long id, long progressChat, Optional<Long> progressRow, long notification,
                     int audienceSize) {
        handle.createUpdate("""
                        UPDATE announcements SET progress_chat = :chat, progress_outbox = :row,
                                                 notification_id = :notification, audience_size = :size
                        WHERE id = :id""")
                .bind("chat", progressChat).bind("row", progressRow.orElse(null)).bind("notification", notification)
                .bind("size", audienceSize).bind("id", id).execute();
    }

    /**
     * How many it is being sent to, as resolved when it started, while its rows are still being queued; empty once
     * they all are (or for one started before this was recorded).
     */
    Optional<Integer> audienceSizeWhileQueueing(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT audience_size FROM announcements
                        WHERE id = :id AND recipients IS NULL AND audience_size IS NOT NULL""")
                .bind("id", id).mapTo(Integer.class).findOne());
    }

    /** Stores the recipient count, which says every row is queued: only then can the announcement finish. */
    void allQueued(Handle handle, long id, int recipients) {
        handle.createUpdate("UPDATE announcements SET recipients = :count WHERE id = :id")
                .bind("count", recipients).bind("id", id).execute();
    }

    /** Whether it is pinned in the groups it reaches, while it is a draft; false when it is not one any more. */
    boolean pinInGroups(Handle handle, long id, boolean pin) {
        return handle.createUpdate("""
                        UPDATE announcements SET pin_in_groups = :pin WHERE id = :id AND status = :draft""")
                .bind("pin", pin ? 1 : 0).bind("id", id).bind("draft", DRAFT).execute() > 0;
    }

    /** The announcement whose messages notification {@code notificationId} carries, when it is pinned in groups. */
    Optional<Long> pinnedByNotification(Handle handle, long notificationId) {
        return handle.createQuery("""
                        SELECT id FROM announcements WHERE notification_id = :notification AND pin_in_groups = 1""")
                .bind("notification", notificationId).mapTo(Long.class).findOne();
    }

    boolean schedule(long id, Instant at, boolean urgent, long staffId) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE announcements SET status = :scheduled, scheduled_at = :at, urgent = :urgent,
                                                 scheduled_by = :staff
                        WHERE id = :id AND status = :draft""")
                .bind("scheduled", SCHEDULED).bind("draft", DRAFT).bind("at", at.toEpochMilli())
                .bind("urgent", urgent ? 1 : 0).bind("staff", staffId).bind("id", id).execute()) > 0;
    }

    /** A scheduled announcement becomes a draft again, with no time; false when it was not scheduled any more. */
    boolean unschedule(Handle handle, long id) {
        return handle.createUpdate("""
                        UPDATE announcements SET status = :draft, scheduled_at = NULL, urgent = 0, scheduled_by = NULL
                        WHERE id = :id AND status = :scheduled""")
                .bind("draft", DRAFT).bind("scheduled", SCHEDULED).bind("id", id).execute() > 0;
    }

    boolean cancel(long id, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE announcements SET status = :cancelled, finished_at = :now
                        WHERE id = :id AND status IN (:draft, :scheduled)""")
                .bind("cancelled", Announcement.Status.CANCELLED.code()).bind("draft", DRAFT)
                .bind("scheduled", SCHEDULED).bind("now", now.toEpochMilli()).bind("id", id).execute()) > 0;
    }

    /**
     * The newest {@code limit}, drafts left out, and the {@code limit} scheduled soonest however old they are (they
     * are the ones still to cancel), newest first.
     */
    List<Announcement> recent(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM announcements
                        WHERE id IN (SELECT id FROM announcements WHERE status <> :draft ORDER BY id DESC LIMIT :limit)
                           OR id IN (SELECT id FROM announcements WHERE status = :scheduled
                                     ORDER BY scheduled_at, id LIMIT :limit)
                        ORDER BY id DESC""")
                .bind("draft", DRAFT).bind("scheduled", SCHEDULED).bind("limit", limit).map(ANNOUNCEMENT).list());
    }

    /** Those in {@code status}, soonest scheduled first. */
    List<Announcement> withStatus(Announcement.Status status) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM announcements WHERE status = :status ORDER BY scheduled_at, id")
                .bind("status", status.code()).map(ANNOUNCEMENT).list());
    }

    /** Marks a sending announcement sent when all its rows were queued; false when it already was, or was not. */
    boolean finish(Handle handle, long id, Instant now) {
        return handle.createUpdate("""
                        UPDATE announcements SET status = :sent, finished_at = :now
                        WHERE id = :id AND status = :sending AND recipients IS NOT NULL""")
                .bind("sent", Announcement.Status.SENT.code()).bind("sending", Announcement.Status.SENDING.code())
                .bind("now", now.toEpochMilli()).bind("id", id).execute() > 0;
    }

    private static Map<String, List<Media>> readMedia(String json) {
        try {
            Map<String, List<Media>> media = new HashMap<>();
            JSON.readValue(json, MEDIA).forEach((locale, items) -> media.put(locale, items.stream()
                    .map(item -> new Media(Media.Kind.fromCode(item.get("kind")), item.get("file"))).toList()));
            return media;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("announcement media are not JSON", e);
        }
    }

    private static String writeMedia(Map<String, List<Media>> media) {
        Map<String, List<Map<String, String>>> plain = new HashMap<>();
        media.forEach((locale, items) -> plain.put(locale, items.stream()
                .map(item -> Map.of("kind", item.kind().code(), "file", item.file())).toList()));
        try {
            return JSON.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> readTexts(String json) {
        try {
            return JSON.readValue(json, TEXTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("announcement texts are not JSON", e);
        }
    }

    static String writeTexts(Map<String, String> texts) {
        try {
            return JSON.writeValueAsString(texts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.forumgateway.announcements;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.Progress;
import org.forumgateway.storage.Columns;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Announcements: drafts, sending now or at a time, cancelling, and delivery figures. Sending resolves the
 * audience at that moment and queues one outbox row per recipient and part in one transaction. Thread-safe.
 */
public final class AnnouncementService {
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
            Columns.optionalLong(rs, "scheduled_at").map(Instant::ofEpochMilli),
            Columns.optionalLong(rs, "notification_id"),
            Columns.optionalInt(rs, "recipients"),
            Columns.optionalLong(rs, "progress_chat"),
            Columns.optionalLong(rs, "progress_outbox"),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            Columns.optionalLong(rs, "started_at").map(Instant::ofEpochMilli),
            Columns.optionalLong(rs, "finished_at").map(Instant::ofEpochMilli));

    private final Jdbi jdbi;
    private final Outbox outbox;
    private final Notifications notifications;
    private final AudienceResolver audiences;
    private final AuditLog audit;
    private final Clock clock;
    private final AnnouncementChanges changes;

    public AnnouncementService(Jdbi jdbi, Outbox outbox, Notifications notifications, AudienceResolver audiences,
                               AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.notifications = notifications;
        this.audiences = audiences;
        this.audit = audit;
        this.clock = clock;
        this.changes = new AnnouncementChanges(jdbi, outbox, notifications, this, audit, clock);
    }

    /** Edits and recalls of sent announcements. */
    public AnnouncementChanges changes() {
        return changes;
    }

    /** A new draft with an audience and, optionally, the text for everyone. */
    public Announcement createDraft(long staffId, AudienceTerms audience, Optional<String> text) {
        Map<String, String> texts = new HashMap<>();
        text.ifPresent(html -> texts.put(Announcement.FALLBACK, html));
        long id = jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO announcements (created_by, audience, texts, status, created_at)
                        VALUES (:staff, :audience, :texts, 'draft', :now)""")
                .bind("staff", staffId).bind("audience", audience.format()).bind("texts", writeTexts(texts))
                .bind("now", clock.millis())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return find(id).orElseThrow();
    }

    /** Sets the text of one locale ({@link Announcement#FALLBACK} for everyone) while the draft is a draft. */
    public boolean setText(long id, String locale, String html) {
        return jdbi.inTransaction(handle -> {
            Optional<Announcement> draft = draft(handle, id);
            if (draft.isEmpty()) {
                return false;
            }
            Map<String, String> texts = new HashMap<>(draft.get().texts());
            texts.put(locale, html);
            handle.createUpdate("UPDATE announcements SET texts = :texts WHERE id = :id")
                    .bind("texts", writeTexts(texts)).bind("id", id).execute();
            return true;
        });
    }

    /**
     * Sets the whole variant {@code locale} of a draft: its text and its media (by file_id or https URL). The way in
     * for composers other than the chat wizard, such as the HTTP API; they check {@link Content#captionLength} first.
     */
    public boolean setContent(long id, String locale, Content content) {
        if (content.captionLength().isPresent()) {
            throw new IllegalArgumentException("caption over " + Content.MAX_CAPTION + " characters");
        }
        return jdbi.inTransaction(handle -> {
            Optional<Announcement> draft = draft(handle, id);
            if (draft.isEmpty()) {
                return false;
            }
            Map<String, String> texts = new HashMap<>(draft.get().texts());
            Map<String, List<Media>> media = new HashMap<>(draft.get().media());
            texts.remove(locale);
            media.remove(locale);
            if (!content.html().isEmpty()) {
                texts.put(locale, content.html());
            }
            if (content.hasMedia()) {
                media.put(locale, content.media());
            }
            handle.createUpdate("UPDATE announcements SET texts = :texts, media = :media WHERE id = :id")
                    .bind("texts", writeTexts(texts)).bind("media", writeMedia(media)).bind("id", id).execute();
            return true;
        });
    }

    /** What attaching a photo, document or video to a draft did. */
    public enum AttachOutcome { ATTACHED, ALBUM_FULL, NOT_DRAFT }

    /**
     * Makes {@code media} the variant {@code locale}'s picture or file, with {@code captionHtml} as its text when not
     * empty; with {@code albumGoesOn}, adds it to the album the variant already has (up to {@link Content#MAX_ALBUM}).
     */
    public AttachOutcome attach(long id, String locale, Media media, String captionHtml, boolean albumGoesOn) {
        return jdbi.inTransaction(handle -> {
            Optional<Announcement> draft = draft(handle, id);
            if (draft.isEmpty()) {
                return AttachOutcome.NOT_DRAFT;
            }
            Map<String, List<Media>> variants = new HashMap<>(draft.get().media());
            List<Media> items = new ArrayList<>(albumGoesOn ? variants.getOrDefault(locale, List.of()) : List.of());
            if (items.size() >= Content.MAX_ALBUM) {
                return AttachOutcome.ALBUM_FULL;
            }
            items.add(media);
            variants.put(locale, items);
            Map<String, String> texts = new HashMap<>(draft.get().texts());
            if (!captionHtml.isEmpty()) {
                texts.put(locale, captionHtml);
            } else if (!albumGoesOn) {
                texts.remove(locale);
            }
            handle.createUpdate("UPDATE announcements SET texts = :texts, media = :media WHERE id = :id")
                    .bind("texts", writeTexts(texts)).bind("media", writeMedia(variants)).bind("id", id).execute();
            return AttachOutcome.ATTACHED;
        });
    }

    /** The announcement {@code id} while it is a draft, read inside the caller's transaction. */
    private static Optional<Announcement> draft(Handle handle, long id) {
        return handle.createQuery("SELECT * FROM announcements WHERE id = :id")
                .bind("id", id).map(ANNOUNCEMENT).findOne()
                .filter(announcement -> announcement.status() == Announcement.Status.DRAFT);
    }

    public Optional<Announcement> find(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM announcements WHERE id = :id")
                .bind("id", id).map(ANNOUNCEMENT).findOne());
    }

    /** Who would get it now, each in their language. */
    public List<Recipient> recipients(Announcement announcement) {
        return AudienceTerms.parse(announcement.audience()).terms().map(audiences::resolve).orElse(List.of());
    }

    /**
     * Starts sending: draft or scheduled becomes sending exactly once, whoever asks (a staff member, the
     * scheduler, both at the same moment).
     *
     * @param progressMessage the staff member's progress message, edited as delivery proceeds
     * @return the announcement as it now stands, or empty when it was not a draft or scheduled any more
     */
    public Optional<Announcement> start(long id, OutgoingMessage.Send progressMessage, boolean respectQuietHours) {
        Instant now = clock.instant();
        Optional<Announcement> before = find(id).filter(announcement -> announcement.status() == Announcement.Status.DRAFT
                || announcement.status() == Announcement.Status.SCHEDULED);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        Announcement announcement = before.get();
        List<Recipient> recipients = recipients(announcement);
        List<Outbox.Addressed> messages = messages(announcement, recipients, respectQuietHours ? Optional.of(now)
                : Optional.empty());
        // The change of status and every outbox row in one transaction: a crash leaves all or nothing.
        boolean started = jdbi.inTransaction(handle -> {
            int changed = handle.createUpdate("""
                            UPDATE announcements SET status = 'sending', started_at = :now
                            WHERE id = :id AND status IN ('draft', 'scheduled')""")
                    .bind("now", now.toEpochMilli()).bind("id", id).execute();
            if (changed == 0) {
                return false;
            }
            long progressRow = notifications.reply(handle, progressMessage);
            handle.createUpdate("UPDATE announcements SET progress_chat = :chat, progress_outbox = :row WHERE id = :id")
                    .bind("chat", progressMessage.chatId()).bind("row", progressRow).bind("id", id).execute();
            long notification = notifications.queue(handle, NotificationKind.ANNOUNCEMENT, String.valueOf(id), messages)
                    .notificationId();
            // Which variant each recipient got: an edit later gives each the new text of the same variant.
            PreparedBatch variants = handle.prepareBatch("""
                    INSERT OR IGNORE INTO announcement_recipients (announcement_id, recipient, variant)
                    VALUES (:id, :recipient, :variant)""");
            for (Recipient recipient : recipients) {
                announcement.variantFor(recipient.locale()).ifPresent(variant -> variants.bind("id", id)
                        .bind("recipient", recipient.userId()).bind("variant", variant).add());
            }
            if (variants.size() > 0) {
                variants.execute();
            }
            handle.createUpdate(
                            "UPDATE announcements SET notification_id = :notification, recipients = :count WHERE id = :id")
                    .bind("notification", notification).bind("count", recipients.size()).bind("id", id).execute();
            return true;
        });
        if (!started) {
            return Optional.empty();
        }
        audit.record(announcement.createdBy(), "announcement.send", "#" + id + " to " + announcement.audience()
                + " (" + recipients.size() + " recipients)");
        return find(id);
    }

    /**
     * One message per recipient and part, in the recipient's language; with {@code quietAt}, a recipient in quiet
     * hours at that moment gets it when they end.
     */
    static List<Outbox.Addressed> messages(Announcement announcement, List<Recipient> recipients,
                                           Optional<Instant> quietAt) {
        List<Outbox.Addressed> messages = new ArrayList<>();
        for (Recipient recipient : recipients) {
            Optional<Instant> notBefore = quietAt.flatMap(now -> recipient.quietHours()
                    .flatMap(hours -> hours.endIfQuiet(now, recipient.timeZone().orElse(ZoneOffset.UTC))));
            announcement.variantFor(recipient.locale()).map(announcement::content).ifPresent(content -> {
                List<OutgoingMessage> parts = content.messages(recipient.userId());
                for (int part = 0; part < parts.size(); part++) {
                    messages.add(new Outbox.Addressed(recipient.userId(), part, parts.get(part), notBefore));
                }
            });
        }
        return messages;
    }

    /** Schedules a draft for {@code at}. */
    /** @param urgent sent at its time even to people in their quiet hours */
    public boolean schedule(long id, Instant at, boolean urgent, long staffId) {
        int changed = jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE announcements SET status = 'scheduled', scheduled_at = :at, urgent = :urgent
                        WHERE id = :id AND status = 'draft'""")
                .bind("at", at.toEpochMilli()).bind("urgent", urgent ? 1 : 0).bind("id", id).execute());
        if (changed > 0) {
            audit.record(staffId, "announcement.schedule", "#" + id + " at " + at);
        }
        return changed > 0;
    }

    /** What cancelling did. */
    public enum CancelOutcome { CANCELLED, ALREADY_STARTED, NOT_FOUND }

    /** Cancels a draft or a scheduled announcement; one that started sending cannot be called back. */
    public CancelOutcome cancel(long id, long staffId) {
        int changed = jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE announcements SET status = 'cancelled', finished_at = :now
                        WHERE id = :id AND status IN ('draft', 'scheduled')""")
                .bind("now", clock.millis()).bind("id", id).execute());
        if (changed > 0) {
            audit.record(staffId, "announcement.cancel", "#" + id);
            return CancelOutcome.CANCELLED;
        }
        return find(id).isPresent() ? CancelOutcome.ALREADY_STARTED : CancelOutcome.NOT_FOUND;
    }

    /** Recent and scheduled announcements, newest first (drafts left out). */
    public List<Announcement> recent(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM announcements WHERE status <> 'draft' ORDER BY id DESC LIMIT :limit""")
                .bind("limit", limit).map(ANNOUNCEMENT).list());
    }

    public List<Announcement> scheduled() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM announcements WHERE status = 'scheduled' ORDER BY scheduled_at")
                .map(ANNOUNCEMENT).list());
    }

    public List<Announcement> sending() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM announcements WHERE status = 'sending'")
                .map(ANNOUNCEMENT).list());
    }

    /** The Telegram id of the announcement's progress message, once it has been sent. */
    public Optional<Integer> progressMessageId(Announcement announcement) {
        return announcement.progressOutboxRow().flatMap(outbox::sentMessageId);
    }

    public Optional<Progress> progress(Announcement announcement) {
        return announcement.notificationId().map(outbox::progress);
    }

    /** Marks a sending announcement sent, once its last message is settled; false when it already was. */
    public boolean finish(long id) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE announcements SET status = 'sent', finished_at = :now WHERE id = :id AND status = 'sending'")
                .bind("now", clock.millis()).bind("id", id).execute()) > 0;
    }

    static Map<String, String> readTexts(String json) {
        try {
            return JSON.readValue(json, TEXTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("announcement texts are not JSON", e);
        }
    }

    /** Which variant {@code recipient} got of announcement {@code id}, if it was sent to them. */
    Map<Long, String> variantsSent(long id) {
        Map<Long, String> variants = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery(
                        "SELECT recipient, variant FROM announcement_recipients WHERE announcement_id = :id")
                .bind("id", id).map((rs, ctx) -> Map.entry(rs.getLong("recipient"), rs.getString("variant")))
                .forEach(entry -> variants.put(entry.getKey(), entry.getValue())));
        return variants;
    }

    /** Replaces the texts of a sent announcement after an edit, so later edits and lists show what recipients see. */
    void replaceTexts(Handle handle, long id, Map<String, String> texts) {
        handle.createUpdate("UPDATE announcements SET texts = :texts WHERE id = :id")
                .bind("texts", writeTexts(texts)).bind("id", id).execute();
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

    static String writeTexts(Map<String, String> texts) {
        try {
            return JSON.writeValueAsString(texts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

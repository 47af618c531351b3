package org.forumgateway.announcements;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.Progress;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fixing and recalling announcements after they went out: each edit or recall is a change, queued as its own
 * notification of edits or deletions of the messages Telegram accepted, so it goes out at the same limits, with
 * progress and a report. Messages older than Telegram lets a bot change are left alone and counted. Thread-safe.
 */
public final class AnnouncementChanges {
    /** A bot may delete its messages for 48 hours; it is also the safe rule for edits. */
    public static final Duration CHANGEABLE_FOR = Duration.ofHours(48);

    private final Jdbi jdbi;
    private final AnnouncementChangeDao changes;
    private final Outbox outbox;
    private final Notifications notifications;
    private final AnnouncementService announcements;
    private final AuditLog audit;
    private final Clock clock;

    AnnouncementChanges(Jdbi jdbi, Outbox outbox, Notifications notifications, AnnouncementService announcements,
                        AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.changes = new AnnouncementChangeDao(jdbi);
        this.outbox = outbox;
        this.notifications = notifications;
        this.announcements = announcements;
        this.audit = audit;
        this.clock = clock;
    }

    /** What staff can change. */
    public enum Kind { EDIT, DELETE }

    /**
     * An edit or recall.
     *
     * @param texts  an edit's new texts by variant, filled in as staff type them
     * @param tooOld recipients whose messages were left as they were, being older than {@link #CHANGEABLE_FOR}
     */
    public record Change(long id, long announcementId, Kind kind, Map<String, String> texts, Status status,
                         long createdBy, Optional<Long> notificationId, int tooOld, Optional<Long> progressChat,
                         Optional<Long> progressOutboxRow, Instant startedAt) {
        public Change {
            texts = Map.copyOf(texts);
        }

        /** Where a change stands; {@link #code()} is what {@code announcement_changes.status} stores. */
        public enum Status {
            DRAFT, SENDING, DONE;

            public String code() {
                return name().toLowerCase(Locale.ROOT);
            }

            static Status fromCode(String code) {
                return valueOf(code.toUpperCase(Locale.ROOT));
            }
        }
    }

    /** Why an announcement cannot be changed now, or that it can. */
    public enum Readiness { READY, NOT_FOUND, NOT_SENT, STILL_SENDING, RECALLED }

    /** Edits need every message out first (queued ones would still carry the old text); recalls do not. */
    public Readiness readiness(long announcementId, Kind kind) {
        Optional<Announcement> announcement = announcements.find(announcementId);
        if (announcement.isEmpty()) {
            return Readiness.NOT_FOUND;
        }
        if (changes.recalled(announcementId)) {
            return Readiness.RECALLED;
        }
        Announcement.Status status = announcement.get().status();
        if (status == Announcement.Status.SENDING && kind == Kind.EDIT) {
            return Readiness.STILL_SENDING;
        }
        return status == Announcement.Status.SENT || status == Announcement.Status.SENDING ? Readiness.READY
                : Readiness.NOT_SENT;
    }

    /** Whether the announcement was recalled (its recall started). */
    public boolean recalled(long announcementId) {
        return changes.recalled(announcementId);
    }

    /**
     * Whether a recall of the announcement has begun, in the caller's transaction: from the recall's transaction on,
     * which cancelled what was queued, nothing more may be queued for it.
     */
    boolean recallBegun(Handle handle, long announcementId) {
        return changes.recallBegun(handle, announcementId);
    }

    /** How many chats got announcement {@code announcementId} so far. */
    public int chatsReached(long announcementId) {
        return (int) announcements.find(announcementId).flatMap(Announcement::notificationId)
                .map(outbox::sentMessages).orElse(List.of()).stream().map(Outbox.Sent::chatId).distinct().count();
    }

    /** Starts an edit whose new texts staff then give variant by variant. */
    public Change draftEdit(long announcementId, long staffId) {
        long id = jdbi.withHandle(handle -> changes.insertDraft(handle, announcementId, Kind.EDIT, staffId,
                clock.instant()));
        return find(id).orElseThrow();
    }

    /** Sets the new text of one variant while the edit is a draft. */
    public boolean setText(long changeId, String variant, String html) {
        return jdbi.inTransaction(handle -> {
            Optional<Change> draft = changes.find(handle, changeId)
                    .filter(change -> change.status() == Change.Status.DRAFT);
            if (draft.isEmpty()) {
                return false;
            }
            Map<String, String> texts = new HashMap<>(draft.get().texts());
            texts.put(variant, html);
            changes.updateTexts(handle, changeId, texts);
            return true;
        });
    }

    public Optional<Change> find(long id) {
        return changes.find(id);
    }

    /**
     * Queues the edit: every message Telegram accepted, younger than {@link #CHANGEABLE_FOR}, gets its variant's new
     * text (the caption, for media), and the announcement keeps the new texts. Once only.
     */
    public Optional<Change> startEdit(long changeId, OutgoingMessage.Send progressMessage) {
        Optional<Change> draft = find(changeId).filter(change -> change.status() == Change.Status.DRAFT);
        Optional<Announcement> announcement = draft.flatMap(change -> announcements.find(change.announcementId()));
        if (announcement.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> texts = new HashMap<>(announcement.get().texts());
        texts.putAll(draft.get().texts());
        Announcement edited = announcement.get().withTexts(texts);
        // A language kept as it was (or typed again the same) is not edited: Telegram would refuse it as unchanged.
        return start(draft.get(), announcement.get(), progressMessage,
                (sent, variant) -> edited.content(variant).html().equals(announcement.get().content(variant).html())
                        ? null : edited.content(variant).edit(sent.chatId(), sent.part(), sent.messageId()),
                texts);
    }

    /** Recalls an announcement: its queued messages are cancelled, the ones Telegram accepted deleted. */
    public Optional<Change> recall(long announcementId, long staffId, OutgoingMessage.Send progressMessage) {
        Optional<Announcement> announcement = announcements.find(announcementId);
        if (announcement.isEmpty() || readiness(announcementId, Kind.DELETE) != Readiness.READY) {
            return Optional.empty();
        }
        // The recall and the cancelling of what is still queued in one transaction: no row is half recalled.
        long id = jdbi.inTransaction(handle -> {
            announcement.get().notificationId().ifPresent(notification -> outbox.cancel(handle, notification));
            // Pins not sent yet would only find their message gone.
            outbox.findNotification(handle, NotificationKind.ANNOUNCEMENT_PIN.code(), String.valueOf(announcementId))
                    .ifPresent(pins -> outbox.cancel(handle, pins));
            // Nor edits of an earlier edit still sending: each would change a message the recall then deletes.
            changes.sendingEditNotifications(handle, announcementId)
                    .forEach(edits -> outbox.cancel(handle, edits));
            return changes.insertDraft(handle, announcementId, Kind.DELETE, staffId, clock.instant());
        });
        Announcement recalled = announcement.get();
        return start(find(id).orElseThrow(), recalled, progressMessage,
                (sent, variant) -> deletion(recalled, sent, variant), null);
    }

    /**
     * What deletes a sent message of a recalled announcement, or null when deleting its first message does: an
     * album goes with its first item.
     */
    static OutgoingMessage deletion(Announcement recalled, Outbox.Sent sent, String variant) {
        return sent.part() == 0 || !recalled.content(variant).hasMedia()
                ? recalled.content(variant).delete(sent.chatId(), sent.messageId()) : null;
    }

    /** What a sent message becomes: an edit or a deletion, or null for none. */
    private interface Rewrite {
        OutgoingMessage apply(Outbox.Sent sent, String variant);
    }

    private Optional<Change> start(Change change, Announcement announcement, OutgoingMessage.Send progressMessage,
                                   Rewrite rewrite, Map<String, String> newTexts) {
        Instant now = clock.instant();
        Map<Long, String> variants = announcements.variantsSent(announcement.id());
        // The messages are read in the transaction that queues their changes: one Telegram accepts after it is
        // changed by RecallStragglers, one accepted before it is here, and none is left out between the two.
        Optional<Rewrites> started = jdbi.inTransaction(handle -> {
            Rewrites rewrites = rewrites(handle, announcement, variants, rewrite, now.minus(CHANGEABLE_FOR));
            // Checked again here, with the change: an edit typed while someone recalled the announcement, or a
            // second recall pressed at the same moment, finds the first recall and starts nothing.
            if (changes.recalled(handle, announcement.id())
                    || !changes.markSending(handle, change.id(), now, rewrites.tooOld())) {
                return Optional.empty();
            }
            long progressRow = notifications.reply(handle, progressMessage);
            long notification = notifications.queue(handle, NotificationKind.ANNOUNCEMENT_CHANGE,
                    String.valueOf(change.id()), rewrites.messages()).notificationId();
            changes.recordStart(handle, change.id(), notification, progressMessage.chatId(), progressRow);
            if (newTexts != null) {
                announcements.replaceTexts(handle, announcement.id(), newTexts);
            }
            audit.record(handle, change.createdBy(), change.kind() == Kind.EDIT ? "announcement.edit"
                    : "announcement.delete", "#" + announcement.id() + " (" + rewrites.messages().size()
                    + " messages, " + rewrites.tooOld() + " recipients too old)");
            return Optional.of(rewrites);
        });
        if (started.isEmpty()) {
            return Optional.empty();
        }
        return find(change.id());
    }

    /** The changes of an announcement's sent messages, and how many recipients' messages were too old to change. */
    private record Rewrites(List<Outbox.Addressed> messages, int tooOld) {
    }

    private Rewrites rewrites(Handle handle, Announcement announcement, Map<Long, String> variants, Rewrite rewrite,
                              Instant oldest) {
        List<Outbox.Addressed> messages = new ArrayList<>();
        Set<Long> tooOld = new HashSet<>();
        List<Outbox.Sent> sentMessages = announcement.notificationId()
                .map(notification -> outbox.sentMessages(handle, notification)).orElse(List.of());
        for (Outbox.Sent sent : sentMessages) {
            Optional<String> variant = Optional.ofNullable(variants.get(sent.recipient()))
                    .or(() -> announcement.variantFor(Announcement.FALLBACK));
            if (variant.isEmpty()) {
                continue;
            }
            if (sent.sentAt().isBefore(oldest)) {
                tooOld.add(sent.recipient());
                continue;
            }
            OutgoingMessage message = rewrite.apply(sent, variant.get());
            if (message != null) {
                messages.add(new Outbox.Addressed(sent.recipient(), sent.part(), message));
            }
        }
        return new Rewrites(messages, tooOld.size());
    }

    public List<Change> sending() {
        return changes.sending();
    }

    /** How far it has got, by recipient, as the announcement's own report counts: a long text's parts are one. */
    public Optional<Progress> progress(Change change) {
        return change.notificationId().map(outbox::recipientProgress);
    }

    /**
     * Whether the change is over: its messages settled and, for a recall, none of the announcement's own still on
     * its way (one Telegram accepts later joins the recall, see {@link RecallStragglers}, and its report).
     */
    public boolean complete(Change change, Progress progress) {
        if (!progress.isFinished()) {
            return false;
        }
        if (change.kind() != Kind.DELETE) {
            return true;
        }
        return announcements.find(change.announcementId()).flatMap(Announcement::notificationId)
                .map(notification -> jdbi.withHandle(handle -> outbox.unsettledCount(handle, notification)) == 0)
                .orElse(true);
    }

    public Optional<Integer> progressMessageId(Change change) {
        return change.progressOutboxRow().flatMap(outbox::sentMessageId);
    }

    /** Marks a change done once its last message is settled; false when it already was. */
    public boolean finish(long id) {
        return changes.finish(id, clock.instant());
    }
}

package org.forumgateway.announcements;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.Progress;
import org.forumgateway.webhooks.WebhookEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * Announcements: drafts, sending now or at a time, cancelling, and delivery figures. Sending resolves the
 * audience at that moment and queues one outbox row per recipient and part: the first few with the change of
 * status, the rest in chunks on another thread while the first are sent. Thread-safe.
 */
public final class AnnouncementService {
    /**
     * Rows queued per transaction. Small enough that a chunk holds SQLite's write lock for less time than the
     * delivery engine's saved tokens last, so sending goes on at full rate while the rest is queued.
     */
    private static final int CHUNK = 100;
    /**
     * Recipients queued with the change of status: enough for the delivery engine's first rounds (its saved tokens
     * are a tenth of a second's worth of the limit, 20 at 200/s) while the next chunk is written, few enough that
     * the first message is not kept waiting for rows written before it (100 took 15-35 ms in a fresh JVM).
     */
    private static final int FIRST_RECIPIENTS = 30;

    private final Jdbi jdbi;
    private final AnnouncementDao announcements;
    private final Outbox outbox;
    private final Notifications notifications;
    private final AudienceResolver audiences;
    private final AuditLog audit;
    private final Clock clock;
    private final WebhookEvents webhooks;
    private final Runnable betweenChunks;
    private final Executor queueing;
    private final AnnouncementChanges changes;

    public AnnouncementService(Jdbi jdbi, Outbox outbox, Notifications notifications, AudienceResolver audiences,
                               AuditLog audit, Clock clock) {
        this(jdbi, outbox, notifications, audiences, audit, clock, WebhookEvents.none(), () -> { }, Runnable::run);
    }

    /**
     * @param webhooks      told, in the same transaction, when an announcement has finished sending
     * @param betweenChunks run after each chunk of a large announcement commits: gives the delivery engine a round
     *                      to claim rows, which SQLite's sleeping busy handler would otherwise keep from it until
     *                      every chunk is written
     * @param queueing      where the chunks after the first are queued, so that whoever pressed Send gets their
     *                      answer at once rather than after the whole audience is written
     */
    public AnnouncementService(Jdbi jdbi, Outbox outbox, Notifications notifications, AudienceResolver audiences,
                               AuditLog audit, Clock clock, WebhookEvents webhooks, Runnable betweenChunks,
                               Executor queueing) {
        this.jdbi = jdbi;
        this.announcements = new AnnouncementDao(jdbi);
        this.outbox = outbox;
        this.notifications = notifications;
        this.audiences = audiences;
        this.audit = audit;
        this.clock = clock;
        this.webhooks = webhooks;
        this.betweenChunks = betweenChunks;
        this.queueing = queueing;
        this.changes = new AnnouncementChanges(jdbi, outbox, notifications, this, audit, clock);
    }

    /** Edits and recalls of sent announcements. */
    /** Forgets which announcements {@code userId} got, in the caller's transaction (their erasure). */
    public void forget(Handle handle, long userId) {
        announcements.forgetRecipient(handle, userId);
    }

    public AnnouncementChanges changes() {
        return changes;
    }

    /** A new draft with an audience and, optionally, the text for everyone. */
    public Announcement createDraft(long staffId, AudienceTerms audience, Optional<String> text) {
        Map<String, String> texts = new HashMap<>();
        text.ifPresent(html -> texts.put(Announcement.FALLBACK, html));
        long id = announcements.insertDraft(staffId, audience.format(), texts, clock.instant());
        return find(id).orElseThrow();
    }

    /** Gives a draft another audience (its own matched nobody any more); false when it is no draft any more. */
    public boolean setAudience(long id, AudienceTerms audience) {
        return announcements.updateAudience(id, audience.format());
    }

    /**
     * Sets the text of one locale ({@link Announcement#FALLBACK} for everyone) while the draft is a draft. A
     * translation typed for an announcement whose first text came with photos, a video or a file gets them too, the
     * text being their caption: every reader gets the picture, in their language. Stored with the translation, so
     * that edits and recalls later find what each reader was sent.
     */
    public boolean setText(long id, String locale, String html) {
        return jdbi.inTransaction(handle -> {
            Optional<Announcement> draft = draft(handle, id);
            if (draft.isEmpty()) {
                return false;
            }
            Map<String, String> texts = new HashMap<>(draft.get().texts());
            texts.put(locale, html);
            Map<String, List<Media>> media = draft.get().media();
            if (!locale.equals(Announcement.FALLBACK) && draft.get().firstTextHasMedia() && !media.containsKey(locale)) {
                Map<String, List<Media>> inherited = new HashMap<>(media);
                inherited.put(locale, media.get(Announcement.FALLBACK));
                announcements.updateVariants(handle, id, texts, inherited);
            } else {
                announcements.updateTexts(handle, id, texts);
            }
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
            announcements.updateVariants(handle, id, texts, media);
            return true;
        });
    }

    /** What attaching a photo, document or video to a draft did. */
    public enum AttachOutcome {
        ATTACHED,
        /** Added to the album, but its caption, beside the album's, would be over {@link Content#MAX_CAPTION}. */
        ATTACHED_WITHOUT_CAPTION,
        ALBUM_FULL,
        NOT_DRAFT
    }

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
            String before = albumGoesOn ? texts.getOrDefault(locale, "") : "";
            // An album goes out with one caption, under its first item: the captions of its items, in order, as
            // typed on each (the last one alone would lose the others).
            String caption = before.isEmpty() ? captionHtml : captionHtml.isEmpty() ? before
                    : before + "\n\n" + captionHtml;
            boolean fits = HtmlText.visibleLength(caption) <= Content.MAX_CAPTION;
            caption = fits ? caption : before;
            if (caption.isEmpty()) {
                texts.remove(locale);
            } else {
                texts.put(locale, caption);
            }
            announcements.updateVariants(handle, id, texts, variants);
            return fits ? AttachOutcome.ATTACHED : AttachOutcome.ATTACHED_WITHOUT_CAPTION;
        });
    }

    /** Whether the draft is pinned in the groups it reaches; false when it is not a draft any more. */
    public boolean pinInGroups(long id, boolean pin, long staffId) {
        return jdbi.inTransaction(handle -> {
            Optional<Announcement> draft = announcements.find(handle, id);
            if (draft.isEmpty() || !announcements.pinInGroups(handle, id, pin)) {
                return false;
            }
            audit.record(handle, staffId, "announcement.pin", "#" + id + (pin ? " pinned in groups" : " not pinned")
                    + ", written by " + draft.get().createdBy());
            return true;
        });
    }

    /** How pinning in groups went so far (all zero until a group accepted the announcement). */
    public AnnouncementPins.Counts pinCounts(Announcement announcement) {
        return outbox.findNotification(NotificationKind.ANNOUNCEMENT_PIN.code(), String.valueOf(announcement.id()))
                .map(outbox::progress).map(AnnouncementPins.Counts::of).orElse(AnnouncementPins.Counts.NONE);
    }

    /** The announcement {@code id} while it is a draft, read inside the caller's transaction. */
    private Optional<Announcement> draft(Handle handle, long id) {
        return announcements.find(handle, id).filter(announcement -> announcement.status() == Announcement.Status.DRAFT);
    }

    /** Which variant each recipient of announcement {@code id} got, by recipient. */
    Map<Long, String> variantsSent(long id) {
        return announcements.variantsSent(id);
    }

    /** Replaces the texts of a sent announcement after an edit, so later edits and lists show what recipients see. */
    void replaceTexts(Handle handle, long id, Map<String, String> texts) {
        announcements.updateTexts(handle, id, texts);
    }

    public Optional<Announcement> find(long id) {
        return jdbi.withHandle(handle -> announcements.find(handle, id));
    }

    /** Who would get it now, each in their language. */
    public List<Recipient> recipients(Announcement announcement) {
        return AudienceTerms.parse(announcement.audience()).terms().map(audiences::resolve).orElse(List.of());
    }

    /**
     * Starts sending: draft or scheduled becomes sending exactly once, whoever asks (a staff member, the
     * scheduler, both at the same moment). The first recipients' messages are queued with the change of status and
     * sent while the rest are queued in chunks on {@code queueing}, so neither the first message nor the answer to
     * whoever pressed Send waits for the last row of a large audience; the recipient count is stored with the last
     * chunk, and an announcement without it was interrupted by a crash and is completed by
     * {@link #resumeInterrupted()}.
     *
     * @param progressMessage the staff member's progress message, edited as delivery proceeds
     * @param actor           who pressed Send now (drafts are shared: not always their author), or the one who
     *                        scheduled it when the scheduler starts it
     * @return the announcement as it now stands, or empty when it was not a draft or scheduled any more
     */
    public Optional<Announcement> start(long id, OutgoingMessage.Send progressMessage, boolean respectQuietHours,
                                        long actor) {
        return start(id, progressMessage, respectQuietHours, actor,
                Set.of(Announcement.Status.DRAFT, Announcement.Status.SCHEDULED));
    }

    /**
     * As {@link #start}, at its scheduled time: only while it is still scheduled. One returned to the drafts
     * meanwhile ({@link #returnMissed}) waits for staff, whatever trigger still fires for it.
     */
    public Optional<Announcement> startScheduled(long id, OutgoingMessage.Send progressMessage,
                                                 boolean respectQuietHours, long actor) {
        return start(id, progressMessage, respectQuietHours, actor, Set.of(Announcement.Status.SCHEDULED));
    }

    private Optional<Announcement> start(long id, OutgoingMessage.Send progressMessage, boolean respectQuietHours,
                                         long actor, Set<Announcement.Status> from) {
        Instant now = clock.instant();
        Optional<Announcement> before = find(id).filter(announcement -> from.contains(announcement.status()));
        if (before.isEmpty()) {
            return Optional.empty();
        }
        Announcement announcement = before.get();
        List<Recipient> recipients = recipients(announcement);
        Optional<Instant> quietAt = respectQuietHours ? Optional.of(now) : Optional.empty();
        List<Recipient> firstRecipients = recipients.subList(0, Math.min(FIRST_RECIPIENTS, recipients.size()));
        List<Outbox.Addressed> first = messages(announcement, firstRecipients, quietAt);
        boolean everyone = firstRecipients.size() == recipients.size();
        // The change of status and the first rows in one transaction: sending starts once, with its first rows.
        Optional<Long> started = jdbi.inTransaction(handle -> {
            if (!announcements.markSending(handle, id, now, from)) {
                return Optional.empty();
            }
            // Whoever scheduled it may have been erased since: it goes out, and their chat is sent nothing.
            Optional<Long> progressRow = audiences.stillKnown(handle, List.of(progressMessage.chatId())).isEmpty()
                    ? Optional.empty() : Optional.of(notifications.reply(handle, progressMessage));
            List<Outbox.Addressed> reachable = stillKnown(handle, first);
            long notification = notifications.queue(handle, NotificationKind.ANNOUNCEMENT, String.valueOf(id),
                    reachable).notificationId();
            announcements.recordStart(handle, id, progressMessage.chatId(), progressRow, notification,
                    recipients.size());
            // Which variant each recipient got: an edit later gives each the new text of the same variant.
            announcements.recordVariants(handle, id, variantsOf(reachable, variantsOf(announcement, firstRecipients)));
            if (everyone) {
                announcements.allQueued(handle, id, outbox.recipientCount(handle, notification));
            }
            // In the transaction that starts it: a crash right after the commit leaves no send unrecorded.
            audit.record(handle, actor, "announcement.send", "#" + id + " to " + announcement.audience()
                    + " (" + recipients.size() + " recipients), written by " + announcement.createdBy());
            return Optional.of(notification);
        });
        if (started.isEmpty()) {
            return Optional.empty();
        }
        if (!everyone) {
            List<Recipient> rest = recipients.subList(firstRecipients.size(), recipients.size());
            queueing.execute(() -> {
                betweenChunks.run();
                queueRest(announcement, started.get(), messages(announcement, rest, quietAt), recipients);
            });
        }
        return find(id);
    }

    /**
     * Completes the queueing of announcements a crash or a stop interrupted between chunks, resolving their
     * audience again (rows already queued are kept as they are), on the queueing thread: the start does not wait
     * for tens of thousands of rows, and a failure is tried again rather than stopping the start. Run at start.
     */
    public void resumeInterrupted() {
        for (Announcement announcement : sending()) {
            if (announcement.recipients().isPresent() || announcement.notificationId().isEmpty()) {
                continue;
            }
            queueing.execute(() -> {
                List<Recipient> recipients = recipients(announcement);
                boolean respectQuietHours = announcement.startedBySchedule() && !announcement.urgent();
                List<Outbox.Addressed> messages = messages(announcement, recipients,
                        respectQuietHours ? Optional.of(clock.instant()) : Optional.empty());
                queueRest(announcement, announcement.notificationId().get(), messages, recipients);
            });
        }
    }

    /**
     * Queues {@code messages}, the last of the announcement's, a chunk per transaction, waking delivery after each,
     * and then stores the count of {@code recipients}, everyone it was sent to. Stops between chunks when its thread
     * is interrupted (the process stops): {@link #resumeInterrupted()} completes it at the next start. Stops for good
     * once a recall has begun, with the count of those queued until then.
     */
    private void queueRest(Announcement announcement, long notification, List<Outbox.Addressed> messages,
                           List<Recipient> recipients) {
        long id = announcement.id();
        Map<Long, String> variants = variantsOf(announcement, recipients);
        for (int start = 0, end; start < messages.size(); start = end) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            end = chunkEnd(messages, start);
            List<Outbox.Addressed> chunk = messages.subList(start, end);
            boolean last = end == messages.size();
            boolean recalled = jdbi.inTransaction(handle -> {
                if (changes.recallBegun(handle, id)) {
                    // Recalled while being queued: it reached those queued so far, whose rows the recall cancelled.
                    announcements.allQueued(handle, id, outbox.recipientCount(handle, notification));
                    return true;
                }
                List<Outbox.Addressed> reachable = stillKnown(handle, chunk);
                notifications.queue(handle, NotificationKind.ANNOUNCEMENT, String.valueOf(id), reachable);
                announcements.recordVariants(handle, id, variantsOf(reachable, variants));
                if (last) {
                    // Everyone it was queued to: those erased meanwhile are not among them.
                    announcements.allQueued(handle, id, outbox.recipientCount(handle, notification));
                }
                return false;
            });
            if (recalled) {
                return;
            }
            betweenChunks.run();
        }
        if (messages.isEmpty()) {
            jdbi.useTransaction(handle -> announcements.allQueued(handle, id, recipients.size()));
        }
    }

    /**
     * The messages of {@code messages} to recipients the bot still knows, in the caller's transaction: someone erased
     * since the audience was resolved (queueing a large one takes a while) is not written back, no message and no
     * row naming them.
     */
    private List<Outbox.Addressed> stillKnown(Handle handle, List<Outbox.Addressed> messages) {
        Set<Long> known = audiences.stillKnown(handle, messages.stream().map(Outbox.Addressed::recipient).toList());
        return messages.stream().filter(message -> known.contains(message.recipient())).toList();
    }

    /**
     * Where the chunk that starts at {@code start} ends: after {@link #CHUNK} messages, or later, at the end of the
     * recipient whose parts the limit falls among. A recipient with some parts queued and the rest not yet would be
     * counted as reached, then as waiting again when the rest is queued, and staff would see the progress go back.
     */
    static int chunkEnd(List<Outbox.Addressed> messages, int start) {
        int end = Math.min(start + CHUNK, messages.size());
        while (end < messages.size() && messages.get(end).recipient() == messages.get(end - 1).recipient()) {
            end++;
        }
        return end;
    }

    /**
     * One message per recipient and part, in the recipient's language; with {@code quietAt}, a recipient in quiet
     * hours at that moment gets it when they end.
     */
    static List<Outbox.Addressed> messages(Announcement announcement, List<Recipient> recipients,
                                           Optional<Instant> quietAt) {
        List<Outbox.Addressed> messages = new ArrayList<>();
        // Each variant's text is split once, not once per recipient.
        Map<Optional<String>, Optional<LongFunction<List<OutgoingMessage>>>> partsByVariant = new HashMap<>();
        for (Recipient recipient : recipients) {
            Optional<Instant> notBefore = quietAt.flatMap(recipient::quietUntil);
            partsByVariant.computeIfAbsent(announcement.variantFor(recipient.locale()), variant -> variant
                    .map(key -> announcement.content(key).addresser())).ifPresent(addresser -> {
                List<OutgoingMessage> parts = addresser.apply(recipient.userId());
                for (int part = 0; part < parts.size(); part++) {
                    messages.add(new Outbox.Addressed(recipient.userId(), part, parts.get(part), notBefore));
                }
            });
        }
        return messages;
    }

    /**
     * Schedules a draft for {@code at}; at that time the send is {@code staffId}'s, as "Send now" is the presser's.
     *
     * @param urgent sent at its time even to people in their quiet hours
     */
    public boolean schedule(long id, Instant at, boolean urgent, long staffId) {
        boolean scheduled = announcements.schedule(id, at, urgent, staffId);
        if (scheduled) {
            audit.record(staffId, "announcement.schedule", "#" + id + " at " + at + writtenBy(id));
        }
        return scheduled;
    }

    private String writtenBy(long id) {
        return find(id).map(announcement -> ", written by " + announcement.createdBy()).orElse("");
    }

    /**
     * A scheduled announcement whose time passed long ago (the bot was not running, or a backup from before it was
     * restored) becomes a draft again instead of going out, and {@code notices} (why, with its draft buttons) go to
     * whoever scheduled it or, were they no longer staff, the administrators, in one transaction; false when it was
     * not scheduled any more (started, cancelled).
     */
    public boolean returnMissed(long id, long scheduler, Instant due, List<OutgoingMessage.Send> notices) {
        return jdbi.inTransaction(handle -> {
            if (!announcements.unschedule(handle, id)) {
                return false;
            }
            notices.forEach(notice -> notifications.reply(handle, notice));
            audit.record(handle, scheduler, "announcement.missed", "#" + id + " due at " + due
                    + ", back to the drafts");
            return true;
        });
    }

    /** What cancelling did. */
    public enum CancelOutcome { CANCELLED, ALREADY_CANCELLED, ALREADY_STARTED, NOT_FOUND }

    /** Cancels a draft or a scheduled announcement; one that started sending cannot be called back. */
    public CancelOutcome cancel(long id, long staffId) {
        if (announcements.cancel(id, clock.instant())) {
            audit.record(staffId, "announcement.cancel", "#" + id + writtenBy(id));
            return CancelOutcome.CANCELLED;
        }
        return find(id).map(announcement -> announcement.status() == Announcement.Status.CANCELLED
                ? CancelOutcome.ALREADY_CANCELLED : CancelOutcome.ALREADY_STARTED).orElse(CancelOutcome.NOT_FOUND);
    }

    /** Recent and scheduled announcements, newest first (drafts left out). */
    public List<Announcement> recent(int limit) {
        return announcements.recent(limit);
    }

    public List<Announcement> scheduled() {
        return announcements.withStatus(Announcement.Status.SCHEDULED);
    }

    public List<Announcement> sending() {
        return announcements.withStatus(Announcement.Status.SENDING);
    }

    /** The Telegram id of the announcement's progress message, once it has been sent. */
    public Optional<Integer> progressMessageId(Announcement announcement) {
        return announcement.progressOutboxRow().flatMap(outbox::sentMessageId);
    }

    /** Its recipients held back by their quiet hours (a scheduled announcement), none once it is sent. */
    public Outbox.Held held(Announcement announcement) {
        return announcement.notificationId().map(outbox::held).orElse(Outbox.Held.NONE);
    }

    /** How far it has got, by recipient: staff count people, and a long text's parts are one person's. */
    public Optional<Progress> progress(Announcement announcement) {
        return announcement.notificationId().map(outbox::recipientProgress)
                .map(progress -> announcement.recipients().isPresent() ? progress : whileQueueing(announcement, progress));
    }

    /**
     * While a large audience is still being queued, the rows so far are not the whole: its total is the audience
     * resolved at the start, and those not queued yet are waiting ("330 of 12,000", not "330 of 1,200").
     */
    private Progress whileQueueing(Announcement announcement, Progress queued) {
        // Read again: the record may be older than the last chunk, which stores the count.
        int audience = announcements.audienceSizeWhileQueueing(announcement.id()).orElse(0);
        int notYetQueued = audience - queued.total();
        return notYetQueued <= 0 ? queued : new Progress(audience, queued.sent(), queued.pending() + notYetQueued,
                queued.blocked(), queued.failed(), queued.cancelled(), queued.failures());
    }

    /**
     * Marks a sending announcement sent, once its last message is settled, and publishes its final counts (by
     * recipient) in the same transaction; false while a message is unsettled, or when it already was marked.
     */
    public boolean finish(long id) {
        return jdbi.inTransaction(handle -> {
            // Read in this transaction: a last chunk queued after the caller looked is counted, or holds it back.
            Optional<Long> notification = announcements.find(handle, id).flatMap(Announcement::notificationId);
            if (notification.isPresent() && outbox.unsettledCount(handle, notification.get()) > 0) {
                return false;
            }
            boolean finished = announcements.finish(handle, id, clock.instant());
            if (finished) {
                webhooks.messageCompleted(handle, WebhookEvents.SentAs.announcement(id), Optional.empty(),
                        WebhookEvents.Ending.DONE, notification.map(row -> outbox.recipientProgress(handle, row))
                                .orElse(Progress.NONE));
            }
            return finished;
        });
    }

    /** Which variant each of {@code recipients} gets (recipients without one get no message). */
    private static Map<Long, String> variantsOf(Announcement announcement, List<Recipient> recipients) {
        Map<Long, String> variants = new HashMap<>();
        for (Recipient recipient : recipients) {
            announcement.variantFor(recipient.locale()).ifPresent(variant -> variants.put(recipient.userId(), variant));
        }
        return variants;
    }

    /** The variants of the recipients of {@code messages}, out of everyone's. */
    private static Map<Long, String> variantsOf(List<Outbox.Addressed> messages, Map<Long, String> everyones) {
        Map<Long, String> variants = new HashMap<>();
        for (Outbox.Addressed message : messages) {
            String variant = everyones.get(message.recipient());
            if (variant != null) {
                variants.put(message.recipient(), variant);
            }
        }
        return variants;
    }
}

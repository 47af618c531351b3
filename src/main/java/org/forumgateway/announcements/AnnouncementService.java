package org.forumgateway.announcements;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Keyboard;
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
    /**
     * Rows queued per transaction. Small enough that a chunk holds SQLite's write lock for less time than the
     * delivery engine's saved tokens last, so sending goes on at full rate while the rest is queued.
     */
    private static final int CHUNK = 100;

    private final Jdbi jdbi;
    private final AnnouncementDao announcements;
    private final Outbox outbox;
    private final Notifications notifications;
    private final AudienceResolver audiences;
    private final AuditLog audit;
    private final Clock clock;
    private final WebhookEvents webhooks;
    private final Runnable betweenChunks;

    public AnnouncementService(Jdbi jdbi, Outbox outbox, Notifications notifications, AudienceResolver audiences,
                               AuditLog audit, Clock clock) {
        this(jdbi, outbox, notifications, audiences, audit, clock, WebhookEvents.none(), () -> { });
    }

    /**
     * @param webhooks      told, in the same transaction, when an announcement has finished sending
     * @param betweenChunks run after each chunk of a large announcement commits: gives the delivery engine a round
     *                      to claim rows, which SQLite's sleeping busy handler would otherwise keep from it until
     *                      every chunk is written
     */
    public AnnouncementService(Jdbi jdbi, Outbox outbox, Notifications notifications, AudienceResolver audiences,
                               AuditLog audit, Clock clock, WebhookEvents webhooks, Runnable betweenChunks) {
        this.jdbi = jdbi;
        this.announcements = new AnnouncementDao(jdbi);
        this.outbox = outbox;
        this.notifications = notifications;
        this.audiences = audiences;
        this.audit = audit;
        this.clock = clock;
        this.webhooks = webhooks;
        this.betweenChunks = betweenChunks;
    }

    /** A new draft with an audience and, optionally, the text for everyone. */
    public Announcement createDraft(long staffId, AudienceTerms audience, Optional<String> text) {
        Map<String, String> texts = new HashMap<>();
        text.ifPresent(html -> texts.put(Announcement.FALLBACK, html));
        long id = announcements.insertDraft(staffId, audience.format(), texts, clock.instant());
        return find(id).orElseThrow();
    }

    /** Sets the text of one locale ({@link Announcement#FALLBACK} for everyone) while the draft is a draft. */
    public boolean setText(long id, String locale, String html) {
        return jdbi.inTransaction(handle -> {
            Optional<Announcement> draft = announcements.find(handle, id)
                    .filter(announcement -> announcement.status() == Announcement.Status.DRAFT);
            if (draft.isEmpty()) {
                return false;
            }
            Map<String, String> texts = new HashMap<>(draft.get().texts());
            texts.put(locale, html);
            announcements.updateTexts(handle, id, texts);
            return true;
        });
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
     * scheduler, both at the same moment). The first messages are queued with the change of status and sent while
     * the rest are queued in chunks, so a large audience does not wait for its last row to be written; the
     * recipient count is stored with the last chunk, and an announcement without it was interrupted by a crash
     * and is completed by {@link #resumeInterrupted()}.
     *
     * @param progressMessage the staff member's progress message, edited as delivery proceeds
     * @param actor           who pressed Send now (drafts are shared: not always their author), or the one who
     *                        scheduled it when the scheduler starts it
     * @return the announcement as it now stands, or empty when it was not a draft or scheduled any more
     */
    public Optional<Announcement> start(long id, OutgoingMessage.Send progressMessage, boolean respectQuietHours,
                                        long actor) {
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
        List<Outbox.Addressed> first = messages.subList(0, Math.min(CHUNK, messages.size()));
        // The change of status and the first chunk in one transaction: sending starts once, with its first rows.
        Optional<Long> started = jdbi.inTransaction(handle -> {
            if (!announcements.markSending(handle, id, now)) {
                return Optional.empty();
            }
            long progressRow = notifications.reply(handle, progressMessage);
            long notification = notifications.queue(handle, NotificationKind.ANNOUNCEMENT, String.valueOf(id), first)
                    .notificationId();
            announcements.recordStart(handle, id, progressMessage.chatId(), progressRow, notification);
            if (first.size() == messages.size()) {
                announcements.allQueued(handle, id, recipients.size());
            }
            return Optional.of(notification);
        });
        if (started.isEmpty()) {
            return Optional.empty();
        }
        betweenChunks.run();
        if (first.size() < messages.size()) {
            queueRest(id, started.get(), messages, first.size(), recipients.size());
        }
        audit.record(actor, "announcement.send", "#" + id + " to " + announcement.audience()
                + " (" + recipients.size() + " recipients), written by " + announcement.createdBy());
        return find(id);
    }

    /**
     * Completes the queueing of announcements a crash interrupted between chunks, resolving their audience again
     * (rows already queued are kept as they are). Run at start, before delivery reports progress.
     */
    public void resumeInterrupted() {
        for (Announcement announcement : sending()) {
            if (announcement.recipients().isPresent() || announcement.notificationId().isEmpty()) {
                continue;
            }
            List<Recipient> recipients = recipients(announcement);
            boolean respectQuietHours = announcement.scheduledAt().isPresent() && !announcement.urgent();
            List<Outbox.Addressed> messages = messages(announcement, recipients,
                    respectQuietHours ? Optional.of(clock.instant()) : Optional.empty());
            queueRest(announcement.id(), announcement.notificationId().get(), messages, 0, recipients.size());
        }
    }

    /** Queues {@code messages} from {@code from} on, a chunk per transaction, waking delivery after each. */
    private void queueRest(long id, long notification, List<Outbox.Addressed> messages, int from, int recipients) {
        for (int start = from; start < messages.size(); start += CHUNK) {
            List<Outbox.Addressed> chunk = messages.subList(start, Math.min(start + CHUNK, messages.size()));
            boolean last = start + CHUNK >= messages.size();
            jdbi.useTransaction(handle -> {
                notifications.queue(handle, NotificationKind.ANNOUNCEMENT, String.valueOf(id), chunk);
                if (last) {
                    announcements.allQueued(handle, id, recipients);
                }
            });
            betweenChunks.run();
        }
        if (messages.isEmpty()) {
            jdbi.useTransaction(handle -> announcements.allQueued(handle, id, recipients));
        }
    }

    /**
     * One message per recipient and part, in the recipient's language; with {@code quietAt}, a recipient in quiet
     * hours at that moment gets it when they end.
     */
    static List<Outbox.Addressed> messages(Announcement announcement, List<Recipient> recipients,
                                           Optional<Instant> quietAt) {
        List<Outbox.Addressed> messages = new ArrayList<>();
        // Each language's text is split once, not once per recipient.
        Map<String, Optional<List<String>>> partsByLocale = new HashMap<>();
        for (Recipient recipient : recipients) {
            Optional<Instant> notBefore = quietAt.flatMap(now -> recipient.quietHours()
                    .flatMap(hours -> hours.endIfQuiet(now, recipient.timeZone().orElse(ZoneOffset.UTC))));
            partsByLocale.computeIfAbsent(recipient.locale(), locale -> announcement.textFor(locale)
                    .map(html -> HtmlText.split(html, HtmlText.MAX_MESSAGE))).ifPresent(parts -> {
                for (int part = 0; part < parts.size(); part++) {
                    messages.add(new Outbox.Addressed(recipient.userId(), part,
                            new OutgoingMessage.Send(recipient.userId(), parts.get(part), Keyboard.NONE), notBefore));
                }
            });
        }
        return messages;
    }

    /** Schedules a draft for {@code at}. */
    /** @param urgent sent at its time even to people in their quiet hours */
    public boolean schedule(long id, Instant at, boolean urgent, long staffId) {
        boolean scheduled = announcements.schedule(id, at, urgent);
        if (scheduled) {
            audit.record(staffId, "announcement.schedule", "#" + id + " at " + at + writtenBy(id));
        }
        return scheduled;
    }

    private String writtenBy(long id) {
        return find(id).map(announcement -> ", written by " + announcement.createdBy()).orElse("");
    }

    /** What cancelling did. */
    public enum CancelOutcome { CANCELLED, ALREADY_STARTED, NOT_FOUND }

    /** Cancels a draft or a scheduled announcement; one that started sending cannot be called back. */
    public CancelOutcome cancel(long id, long staffId) {
        if (announcements.cancel(id, clock.instant())) {
            audit.record(staffId, "announcement.cancel", "#" + id + writtenBy(id));
            return CancelOutcome.CANCELLED;
        }
        return find(id).isPresent() ? CancelOutcome.ALREADY_STARTED : CancelOutcome.NOT_FOUND;
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

    public Optional<Progress> progress(Announcement announcement) {
        return announcement.notificationId().map(outbox::progress);
    }

    /**
     * Marks a sending announcement sent, once its last message is settled, and publishes its final counts in the
     * same transaction; false when it already was.
     */
    public boolean finish(long id, Progress finalCounts) {
        return jdbi.inTransaction(handle -> {
            boolean finished = announcements.finish(handle, id, clock.instant());
            if (finished) {
                webhooks.messageCompleted(handle, "announcement", String.valueOf(id), finalCounts);
            }
            return finished;
        });
    }
}

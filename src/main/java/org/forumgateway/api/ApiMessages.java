package org.forumgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.announcements.HtmlText;
import org.forumgateway.announcements.Recipient;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Media;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.ChatBlocks;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.OutboxStatus;
import org.forumgateway.delivery.Progress;
import org.forumgateway.delivery.RecipientState;
import org.forumgateway.scheduling.Scheduling;
import org.forumgateway.storage.Columns;
import org.forumgateway.users.ExternalIdDao;
import org.forumgateway.webhooks.WebhookEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messages other systems send: accepted in one transaction with their outbox rows (or stored to start at their
 * time), followed through the outbox to done, and cancelled on request. Every message goes through
 * {@link Notifications#queue}, like announcements. Thread-safe.
 */
public final class ApiMessages implements AutoCloseable {
    /** Actor of audit entries made by API keys (the key's name is in the detail): no Telegram user has id 0. */
    static final long API_ACTOR = 0;

    private static final Logger log = LoggerFactory.getLogger(ApiMessages.class);
    private static final String FINISH_JOB = "api-messages-finish";
    /** How late a scheduled message may be before the settling round starts it itself. */
    static final Duration OVERDUE = Duration.ofSeconds(10);
    private static final RowMapper<Stored> STORED = (rs, ctx) -> new Stored(
            rs.getLong("id"), rs.getString("key_name"), Columns.optionalString(rs, "reference"),
            rs.getString("target"), rs.getString("content"), rs.getInt("urgent") == 1,
            Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
            rs.getInt("recipients"), rs.getInt("parts"), Columns.optionalLong(rs, "notification_id"),
            Columns.optionalLong(rs, "send_at").map(Instant::ofEpochMilli),
            Columns.optionalString(rs, "send_at_local").map(LocalDateTime::parse),
            Columns.optionalLong(rs, "expires_at").map(Instant::ofEpochMilli),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            Columns.optionalLong(rs, "finished_at").map(Instant::ofEpochMilli),
            rs.getInt("completion_published") == 1);

    private final Jdbi jdbi;
    private final Outbox outbox;
    private final ExternalIdDao externalIds = new ExternalIdDao();
    private final Notifications notifications;
    private final ChatBlocks blocks;
    private final AudienceResolver audiences;
    private final AuditLog audit;
    private final Scheduling scheduling;
    private final String defaultLocale;
    private final Clock clock;
    private final WriteBatcher writes;
    private final WebhookEvents webhooks;

    public ApiMessages(Jdbi jdbi, Outbox outbox, Notifications notifications, AudienceResolver audiences,
                       AuditLog audit, Scheduling scheduling, String defaultLocale, Clock clock,
                       WebhookEvents webhooks, ChatBlocks blocks) {
        this.jdbi = jdbi;
        this.blocks = blocks;
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.notifications = notifications;
        this.audiences = audiences;
        this.audit = audit;
        this.scheduling = scheduling;
        this.defaultLocale = defaultLocale;
        this.clock = clock;
        this.writes = new WriteBatcher(jdbi);
    }

    /** Where a message stands, as stored. */
    enum Status {
        SCHEDULED, SENDING, DONE, CANCELLED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The answer to an accepted (or dry-run) message. */
    record Accepted(Optional<Long> id, String status, int recipients, int parts, Optional<String> reference) {
    }

    record Stored(long id, String keyName, Optional<String> reference, String target, String content, boolean urgent,
                  Status status, int recipients, int parts, Optional<Long> notificationId, Optional<Instant> sendAt,
                  Optional<LocalDateTime> sendAtLocal, Optional<Instant> expiresAt, Instant createdAt,
                  Optional<Instant> finishedAt, boolean completionPublished) {
    }

    /** Rebuilds the triggers of scheduled messages from the database, and follows sending ones to done. */
    public void start() {
        jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM api_messages WHERE status = 'scheduled'")
                .map(STORED).list()).forEach(message -> scheduleStart(message.id(),
                message.sendAt().orElse(clock.instant())));
        scheduling.every(FINISH_JOB, Duration.ofSeconds(2), this::finishSettled);
    }

    /** Validates the targets and counts, without storing or sending anything. */
    Accepted dryRun(MessageRequest request) {
        return jdbi.withHandle(handle -> {
            List<Recipient> recipients = resolve(handle, request.to(), true);
            return new Accepted(Optional.empty(), request.sendAt().isPresent() ? "scheduled" : "queued",
                    recipients.size(), partsOf(request, recipients, new HashMap<>()), request.reference());
        });
    }

    /**
     * Runs {@code work} in a write transaction, together with the API's other writes of the moment (group commit:
     * see {@link WriteBatcher}); returns once it has committed.
     */
    <T> T write(HandleCallback<T, RuntimeException> work) {
        return writes.write(work);
    }

    /** The recipients a target names now, read outside any write transaction (an audience may be thousands). */
    List<Recipient> recipients(MessageRequest.Target target) {
        return jdbi.withHandle(handle -> resolve(handle, target, true));
    }

    /**
     * A message ready to be stored: its recipients resolved and what each one gets rendered, before the write
     * transaction, so that the API's one writer thread spends its turn on writing only.
     *
     * @param messages the outbox rows; empty for a message scheduled for later (rendered at its time)
     * @param target   the stored form of its target, which also names it in the audit log
     * @param content  the stored form of its content
     */
    record Prepared(MessageRequest request, List<Recipient> recipients, int parts, List<Outbox.Addressed> messages,
                    Instant at, String target, String content) {
    }

    /**
     * Resolves and renders {@code request} with reads only, outside any write transaction.
     *
     * @param resolved the recipients, when the caller resolved them already; else they are resolved here
     * @throws Problem.Raised 422 when a single recipient is unknown or has blocked the bot
     */
    Prepared prepare(MessageRequest request, Optional<List<Recipient>> resolved) {
        Instant now = clock.instant();
        List<Recipient> recipients = resolved.orElseGet(() -> recipients(request.to()));
        Map<String, List<String>> split = new HashMap<>();
        int parts = partsOf(request, recipients, split);
        List<Outbox.Addressed> messages = request.sendAt().isPresent() ? List.of()
                : render(request, recipients, split, now);
        return new Prepared(request, recipients, parts, messages, now, targetJson(request.to()),
                contentJson(request));
    }

    /**
     * Accepts a prepared message inside the caller's {@link #write} transaction: stores it and queues its outbox
     * rows (or its start at {@code send_at}).
     */
    Accepted accept(Handle handle, String keyName, Prepared prepared) {
        MessageRequest request = prepared.request();
        boolean scheduled = request.sendAt().isPresent();
        long id = handle.createQuery("""
                        INSERT INTO api_messages (key_name, reference, target, content, urgent, status, recipients,
                                                  parts, send_at, send_at_local, expires_at, created_at, started_at,
                                                  completion_published)
                        VALUES (:key, :reference, :target, :content, :urgent, :status, :recipients, :parts,
                                :sendAt, :sendAtLocal, :expiresAt, :now, :startedAt, 0)
                        RETURNING id""")
                .bind("key", keyName).bind("reference", request.reference().orElse(null))
                .bind("target", prepared.target()).bind("content", prepared.content())
                .bind("urgent", request.urgent() ? 1 : 0)
                .bind("status", scheduled ? Status.SCHEDULED.code() : Status.SENDING.code())
                .bind("recipients", prepared.recipients().size()).bind("parts", prepared.parts())
                .bind("sendAt", request.sendAt().map(Instant::toEpochMilli).orElse(null))
                .bind("sendAtLocal", request.sendAtLocal().map(LocalDateTime::toString).orElse(null))
                .bind("expiresAt", request.expiresAt().map(Instant::toEpochMilli).orElse(null))
                .bind("now", prepared.at().toEpochMilli())
                .bind("startedAt", scheduled ? null : prepared.at().toEpochMilli())
                .mapTo(Long.class).one();
        if (scheduled) {
            Instant at = request.sendAt().get();
            handle.afterCommit(() -> scheduleStart(id, at));
        } else {
            queue(handle, id, prepared.messages(), request.expiresAt());
        }
        audit.record(handle, API_ACTOR, "api.message", "key " + keyName + ": #" + id + " to "
                + prepared.target() + " (" + prepared.recipients().size() + " recipients"
                + request.sendAt().map(at -> ", at " + at).orElse("") + ")");
        return new Accepted(Optional.of(id), scheduled ? "scheduled" : "queued", prepared.recipients().size(),
                prepared.parts(), request.reference());
    }

    /**
     * Queues the rendered messages of message {@code id}, which is already marked as sending, and notes their
     * notification on it; returns the notification. What is still queued at {@code expiresAt} is not sent.
     */
    private long queue(Handle handle, long id, List<Outbox.Addressed> messages, Optional<Instant> expiresAt) {
        long notification = notifications.queue(handle, NotificationKind.API_MESSAGE, String.valueOf(id), messages,
                expiresAt).notificationId();
        handle.createUpdate("UPDATE api_messages SET notification_id = :notification WHERE id = :id")
                .bind("notification", notification).bind("id", id).execute();
        return notification;
    }

    /** What each recipient gets: the outbox rows of {@code request}, in order. */
    private List<Outbox.Addressed> render(MessageRequest request, List<Recipient> recipients,
                                          Map<String, List<String>> split, Instant now) {
        Keyboard keyboard = Keyboard.grid(request.buttons().stream()
                .map(button -> Button.link(button.text(), button.url())).toList(), 1);
        List<Outbox.Addressed> messages = new ArrayList<>(recipients.size());
        for (Recipient recipient : recipients) {
            // At send_at_local on their own clock, if that is still to come; unless urgent, someone in their quiet
            // hours then gets it when those end (as scheduled announcements do).
            Optional<Instant> local = request.sendAtLocal().map(recipient::atLocal).filter(at -> at.isAfter(now));
            Optional<Instant> notBefore = request.urgent() ? local
                    : recipient.quietUntil(local.orElse(now)).or(() -> local);
            List<String> parts = split.computeIfAbsent(request.textFor(recipient.locale(), defaultLocale),
                    html -> pieces(request, html));
            if (request.hasMedia()) {
                messages.add(new Outbox.Addressed(recipient.userId(), 0, withMedia(recipient.userId(), request,
                        parts.get(0), keyboard), notBefore));
                continue;
            }
            for (int part = 0; part < parts.size(); part++) {
                boolean last = part == parts.size() - 1;
                messages.add(new Outbox.Addressed(recipient.userId(), part, new OutgoingMessage.Send(
                        recipient.userId(), parts.get(part), last ? keyboard : Keyboard.NONE, request.silent()),
                        notBefore));
            }
        }
        return messages;
    }

    /** The media with their caption, sent as one photo, document or video, or as one album (which takes no buttons). */
    private static OutgoingMessage withMedia(long chatId, MessageRequest request, String caption, Keyboard keyboard) {
        List<Media> media = request.media();
        return media.size() == 1
                ? new OutgoingMessage.SendMedia(chatId, media.get(0), caption, keyboard, request.silent())
                : new OutgoingMessage.SendAlbum(chatId, media, caption, request.silent());
    }

    /** What a recipient gets of {@code html}: the parts of a text split like an announcement's, or one caption. */
    private static List<String> pieces(MessageRequest request, String html) {
        return request.hasMedia() ? List.of(html) : HtmlText.split(html, HtmlText.MAX_MESSAGE);
    }

    /** The most sends any recipient gets (a long text is split like an announcement; media with caption is one). */
    private int partsOf(MessageRequest request, List<Recipient> recipients, Map<String, List<String>> split) {
        int parts = 0;
        List<String> locales = recipients.isEmpty() ? List.of(defaultLocale)
                : recipients.stream().map(Recipient::locale).distinct().toList();
        for (String locale : locales) {
            parts = Math.max(parts, split.computeIfAbsent(request.textFor(locale, defaultLocale),
                    html -> pieces(request, html)).size());
        }
        return parts;
    }

    /**
     * The people (or the group) a target names now.
     *
     * @param strict a single recipient that is unknown or blocked is a 422 problem; otherwise nobody
     */
    private List<Recipient> resolve(Handle handle, MessageRequest.Target target, boolean strict) {
        if (target instanceof MessageRequest.Target.Audience audience) {
            return audiences.resolve(handle, audience.terms());
        }
        if (target instanceof MessageRequest.Target.ChatId chat) {
            Optional<Recipient> group = audiences.resolveGroup(handle, chat.id());
            if (group.isEmpty() && strict) {
                throw unprocessable("/to/chat_id", MessageRequestParser.NOT_IN_GROUP + ".");
            }
            return group.map(List::of).orElse(List.of());
        }
        Optional<Long> userId;
        String pointer;
        if (target instanceof MessageRequest.Target.ExternalId external) {
            pointer = "/to/external_id";
            userId = externalIds.userOf(handle, external.id());
            if (userId.isEmpty() && strict) {
                throw unprocessable(pointer, "Nobody is linked to this external id; create a link with POST /v1/links.");
            }
        } else {
            pointer = "/to/telegram_id";
            userId = Optional.of(((MessageRequest.Target.TelegramId) target).id());
        }
        Optional<Recipient> recipient = userId.flatMap(id -> audiences.resolveUser(handle, id));
        if (recipient.isEmpty() && strict) {
            throw unprocessable(pointer, "This person has not started the bot, or has blocked it.");
        }
        return recipient.map(List::of).orElse(List.of());
    }

    /**
     * The person a single-person target names, when the bot knows they blocked it; the group a chat target names,
     * when the bot has been removed from it (Telegram's 403 in a group, which the engine records as blocked too).
     */
    private Optional<Recipient> blockedTarget(Handle handle, MessageRequest.Target target) {
        if (target instanceof MessageRequest.Target.ChatId chat) {
            return audiences.resolveFormerGroup(handle, chat.id());
        }
        Optional<Long> userId = target instanceof MessageRequest.Target.ExternalId external
                ? externalIds.userOf(handle, external.id())
                : target instanceof MessageRequest.Target.TelegramId telegram ? Optional.of(telegram.id())
                : Optional.empty();
        return userId.flatMap(id -> audiences.resolveBlockedUser(handle, id));
    }

    private static Problem.Raised unprocessable(String pointer, String detail) {
        return new Problem(422, Problem.RECIPIENT_UNAVAILABLE, detail, List.of(new Problem.FieldError(pointer, detail)))
                .raise();
    }

    private void scheduleStart(long id, Instant at) {
        scheduling.at(jobName(id), at, () -> startScheduled(id));
    }

    /** A scheduled message's time has come: resolve its recipients now and queue it, once. */
    void startScheduled(long id) {
        Instant now = clock.instant();
        write(handle -> {
            Optional<Stored> found = handle.createQuery(
                            "SELECT * FROM api_messages WHERE id = :id AND status = 'scheduled'")
                    .bind("id", id).map(STORED).findOne();
            if (found.isEmpty()) {
                return null;
            }
            MessageRequest request = rebuild(found.get());
            List<Recipient> recipients = resolve(handle, request.to(), false);
            // The one person it names blocked the bot since it was accepted, or the group it names removed the bot:
            // the message is recorded as blocked (counted, listed among the deliveries, in message.completed), as if
            // Telegram had refused it.
            Optional<Recipient> blocked = recipients.isEmpty() ? blockedTarget(handle, request.to()) : Optional.empty();
            List<Recipient> addressed = blocked.map(List::of).orElse(recipients);
            handle.createUpdate("""
                            UPDATE api_messages SET status = 'sending', started_at = :now, recipients = :recipients
                            WHERE id = :id""")
                    .bind("now", now.toEpochMilli()).bind("recipients", addressed.size()).bind("id", id).execute();
            long notification = queue(handle, id, render(request, addressed, new HashMap<>(), now),
                    request.expiresAt());
            blocked.ifPresent(person -> blocks.alreadyBlocked(handle, notification, person.userId()));
            if (request.expiresAt().filter(at -> !now.isBefore(at)).isPresent()) {
                // Started past its expiry (the bot was down over both times): each recipient's message is cancelled
                // as expired, listed and counted as when it expires once started; it ends done.
                notifications.cancelAsExpired(handle, notification, now);
                log.info("Scheduled API message {} was not sent: it started after its expires_at ({})", id,
                        request.expiresAt().get());
            }
            return null;
        });
    }

    /**
     * Runs the settling round now, on a scheduler thread: the delivery engine has answered everything it could send,
     * so messages may have just been settled, and message.completed need not wait for the next round.
     */
    public void finishSoon() {
        scheduling.runNow(FINISH_JOB);
    }

    /** Stops the writer thread; call once the HTTP server, its only caller, has stopped. */
    @Override
    public void close() {
        writes.close();
    }

    /**
     * Marks sending messages whose every message is settled as done, and publishes message.completed for them and for
     * cancelled messages whose last message in Telegram's hands has settled.
     */
    void finishSettled() {
        startOverdue();
        finishSettled(Optional.empty());
    }

    /** The same for the messages of {@code keyName} only, or of every key. */
    private void finishSettled(Optional<String> keyName) {
        // One query finds them: asking the outbox message by message cost a query per message still sending,
        // every round, and a backlog of thousands kept a core busy.
        List<Map.Entry<Long, Long>> settled = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT m.id, m.notification_id FROM api_messages m
                        WHERE m.status IN ('sending', 'cancelled') AND m.completion_published = 0
                          AND m.notification_id IS NOT NULL AND (:key IS NULL OR m.key_name = :key)
                          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.notification_id = m.notification_id
                                                                   AND o.status IN (:pending, :inFlight))""")
                .bind("pending", OutboxStatus.PENDING.code()).bind("inFlight", OutboxStatus.IN_FLIGHT.code())
                .bind("key", keyName.orElse(null))
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getLong("notification_id"))).list());
        for (Map.Entry<Long, Long> message : settled) {
            finish(message.getKey(), message.getValue());
        }
    }

    /**
     * Starts scheduled messages still waiting {@link #OVERDUE} after their time: their one-shot trigger fired and the
     * start failed (the database busy or full at that moment), and Quartz does not fire it again. Starting twice is
     * harmless: only a message still scheduled starts.
     */
    private void startOverdue() {
        List<Long> overdue = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id FROM api_messages WHERE status = 'scheduled' AND send_at <= :due""")
                .bind("due", clock.instant().minus(OVERDUE).toEpochMilli()).mapTo(Long.class).list());
        for (long id : overdue) {
            try {
                startScheduled(id);
            } catch (RuntimeException e) {
                log.warn("Scheduled API message {} could not start yet: {}", id, e.toString());
            }
        }
    }

    /**
     * Marks a settled message done (a cancelled one stays cancelled) and, only when this call was the first to see it
     * settled, publishes message.completed with its final counts, by recipient; false while any part is unsettled.
     */
    private boolean finish(long id, long notificationId) {
        return jdbi.inTransaction(handle -> {
            // Read in this transaction: nothing settles between the counts and the mark.
            Progress progress = outbox.recipientProgress(handle, notificationId);
            if (!progress.isFinished()) {
                return false;
            }
            Optional<Map.Entry<String, Optional<String>>> ended = handle.createQuery("""
                            UPDATE api_messages
                            SET status = CASE status WHEN 'sending' THEN 'done' ELSE status END,
                                finished_at = coalesce(finished_at, :now), completion_published = 1
                            WHERE id = :id AND status IN ('sending', 'cancelled') AND completion_published = 0
                            RETURNING status, reference""")
                    .bind("now", clock.millis()).bind("id", id)
                    .map((rs, ctx) -> Map.entry(rs.getString("status"), Columns.optionalString(rs, "reference")))
                    .findOne();
            ended.ifPresent(row -> webhooks.messageCompleted(handle, WebhookEvents.SentAs.api(id), row.getValue(),
                    row.getKey().equals(Status.CANCELLED.code()) ? WebhookEvents.Ending.CANCELLED
                            : WebhookEvents.Ending.DONE,
                    progress));
            return ended.isPresent();
        });
    }

    Optional<Stored> find(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM api_messages WHERE id = :id")
                .bind("id", id).map(STORED).findOne());
    }

    /** A message with its delivery figures; a sending message whose last row settled becomes done here. */
    record View(Stored message, Status status, Progress progress, Optional<Instant> finishedAt) {
    }

    Optional<View> view(long id) {
        return find(id).map(this::view);
    }

    /** {@code message} with its delivery figures (a caller that has read it already need not read it again). */
    View view(Stored message) {
        Progress progress = message.notificationId().map(outbox::recipientProgress)
                .orElse(Progress.NONE);
        // Sending, or cancelled with parts still in Telegram's hands: a message done was published as it finished.
        if (!message.completionPublished() && message.notificationId().isPresent() && progress.isFinished()
                && finish(message.id(), message.notificationId().get())) {
            return view(find(message.id()).orElseThrow());
        }
        return new View(message, message.status(), progress, message.finishedAt());
    }

    /**
     * The messages sent with the key {@code keyName}, newest first, optionally by reference and status, after the
     * cursor's id. Per key: a reference is the sending system's own id, and two systems may use the same one.
     */
    List<View> list(String keyName, Optional<String> reference, Optional<Status> status, Optional<Long> beforeId,
                    int limit) {
        if (status.isPresent()) {
            // What the two-second round would do next for this key's messages: one settled since shows done, so it
            // is listed as done.
            finishSettled(Optional.of(keyName));
        }
        List<Stored> found = jdbi.withHandle(handle -> {
            StringBuilder sql = new StringBuilder("SELECT * FROM api_messages WHERE key_name = :key");
            reference.ifPresent(value -> sql.append(" AND reference = :reference"));
            status.ifPresent(value -> sql.append(" AND status = :status"));
            beforeId.ifPresent(value -> sql.append(" AND id < :before"));
            sql.append(" ORDER BY id DESC LIMIT :limit");
            Query query = handle.createQuery(sql.toString()).bind("key", keyName).bind("limit", limit);
            reference.ifPresent(value -> query.bind("reference", value));
            status.ifPresent(value -> query.bind("status", value.code()));
            beforeId.ifPresent(value -> query.bind("before", value));
            return query.map(STORED).list();
        });
        return found.stream().map(this::view).toList();
    }

    /**
     * One recipient's delivery: several parts are summed up as the state of the whole.
     *
     * @param recipient the person's Telegram id, or the group's chat id as addressed (negative)
     * @param chatId    where the messages went: the person's chat, or the group's now (a supergroup's after a
     *                  migration), as the delivery.failed webhook gives it
     */
    record Delivery(long recipient, long chatId, Optional<String> externalId, String status, int attempts,
                    Optional<String> error, Optional<Instant> sentAt) {
    }

    /**
     * Deliveries by recipient id, after {@code afterRecipient}, with the external ids {@code keyName}'s system knows
     * the recipients by.
     */
    List<Delivery> deliveries(long notificationId, String keyName, long afterRecipient, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT o.recipient, (SELECT latest.chat_id FROM outbox latest
                                             WHERE latest.notification_id = o.notification_id
                                               AND latest.recipient = o.recipient
                                             ORDER BY latest.id DESC LIMIT 1) AS chat_id,
                               %s AS external_id, %s AS state,
                               max(o.attempts) AS attempts, max(o.sent_at) AS sent_at,
                               max(CASE WHEN o.status IN (:failed, :blocked) THEN o.last_error END) AS error,
                               max(o.status = :cancelled AND o.last_error = :expired) AS expired
                        FROM outbox o
                        WHERE o.notification_id = :notification AND o.recipient > :after
                        GROUP BY o.recipient ORDER BY o.recipient LIMIT :limit"""
                        .formatted(ExternalIdDao.idAsKnownTo("o.recipient"), RecipientState.sql("o.")))
                .bind("notification", notificationId).bind("keyName", keyName).bind("after", afterRecipient)
                .bind("limit", limit).bind("failed", OutboxStatus.FAILED.code())
                .bind("blocked", OutboxStatus.BLOCKED.code()).bind("cancelled", OutboxStatus.CANCELLED.code())
                .bind("expired", Outbox.EXPIRED)
                .map((rs, ctx) -> {
                    String state = rs.getString("state");
                    boolean settledBadly = state.equals(RecipientState.FAILED.code())
                            || state.equals(RecipientState.BLOCKED.code());
                    // The error of the parts that failed or were refused (another part's retry error, or its expiry,
                    // is not why); a cancelled recipient's, when a part expired, is that.
                    Optional<String> error = settledBadly ? Columns.optionalString(rs, "error")
                            : state.equals(RecipientState.CANCELLED.code()) && rs.getInt("expired") == 1
                            ? Optional.of(Outbox.EXPIRED) : Optional.empty();
                    return new Delivery(rs.getLong("recipient"), rs.getLong("chat_id"),
                            Columns.optionalString(rs, "external_id"), state,
                            rs.getInt("attempts"), error,
                            state.equals(RecipientState.SENT.code())
                                    ? Columns.optionalLong(rs, "sent_at").map(Instant::ofEpochMilli) : Optional.empty());
                })
                .list());
    }

    /** What cancelling did: the message as it now stands, or nothing left to cancel. */
    Optional<View> cancel(long id, String keyName) {
        Stored message = find(id).orElseThrow();
        boolean cancelled = message.status() == Status.SCHEDULED && cancelScheduled(message);
        if (!cancelled) {
            // A scheduled message whose time came while this request was on its way has started: read it again.
            Stored now = message.status() == Status.SCHEDULED ? find(id).orElseThrow() : message;
            cancelled = now.status() == Status.SENDING && cancelSending(now);
        }
        if (!cancelled) {
            return Optional.empty();
        }
        audit.record(API_ACTOR, "api.message.cancel", "key " + keyName + ": #" + id);
        return view(id);
    }

    /** Cancels a message before its time; false when it is no longer scheduled. */
    private boolean cancelScheduled(Stored message) {
        long id = message.id();
        // Nothing of it was ever queued, so its final counts are known at once.
        boolean cancelled = jdbi.inTransaction(handle -> {
            boolean changed = handle.createUpdate("""
                            UPDATE api_messages SET status = 'cancelled', finished_at = :now, completion_published = 1
                            WHERE id = :id AND status = 'scheduled'""")
                    .bind("now", clock.millis()).bind("id", id).execute() > 0;
            if (changed) {
                // Counted as the message's answer counts it: each recipient's message cancelled.
                int recipients = message.recipients();
                webhooks.messageCompleted(handle, WebhookEvents.SentAs.api(id), message.reference(),
                        WebhookEvents.Ending.CANCELLED, new Progress(recipients, 0, 0, 0, 0, recipients, Map.of()));
            }
            return changed;
        });
        if (cancelled) {
            scheduling.cancel(jobName(id));
        }
        return cancelled;
    }

    /** Cancels the messages of a sending message that are not yet sent; false when none is left. */
    private boolean cancelSending(Stored message) {
        if (message.notificationId().isEmpty()) {
            return false;
        }
        long notificationId = message.notificationId().get();
        // The pending rows and the message's status change together: nothing half-cancelled is ever seen.
        return jdbi.inTransaction(handle -> {
            // Only parts on their way left: nothing to cancel, and nothing changes (a retry of them still goes).
            if (outbox.pendingCount(handle, notificationId) == 0) {
                return false;
            }
            outbox.cancel(handle, notificationId);
            handle.createUpdate("""
                            UPDATE api_messages SET status = 'cancelled', finished_at = :now
                            WHERE id = :id AND status = 'sending'""")
                    .bind("now", clock.millis()).bind("id", message.id()).execute();
            return true;
        });
    }

    // ---- stored form of a request -------------------------------------------------------------------------

    private static String targetJson(MessageRequest.Target target) {
        ObjectNode node = JsonInput.MAPPER.createObjectNode();
        if (target instanceof MessageRequest.Target.TelegramId id) {
            node.put("telegram_id", id.id());
        } else if (target instanceof MessageRequest.Target.ExternalId id) {
            node.put("external_id", id.id());
        } else if (target instanceof MessageRequest.Target.ChatId id) {
            node.put("chat_id", id.id());
        } else {
            node.put("audience", ((MessageRequest.Target.Audience) target).terms().format());
        }
        return node.toString();
    }

    private static String contentJson(MessageRequest request) {
        ObjectNode node = JsonInput.MAPPER.createObjectNode();
        ObjectNode texts = node.putObject("texts");
        request.texts().forEach(texts::put);
        if (request.hasMedia()) {
            ArrayNode media = node.putArray("media");
            request.media().forEach(item -> media.addObject().put("kind", item.kind().code()).put("file", item.file()));
        }
        ArrayNode buttons = node.putArray("buttons");
        request.buttons().forEach(button -> buttons.addObject().put("text", button.text()).put("url", button.url()));
        node.put("silent", request.silent());
        return node.toString();
    }

    private static MessageRequest rebuild(Stored stored) {
        try {
            JsonNode target = JsonInput.MAPPER.readTree(stored.target());
            JsonNode content = JsonInput.MAPPER.readTree(stored.content());
            MessageRequest.Target to;
            if (target.has("telegram_id")) {
                to = new MessageRequest.Target.TelegramId(target.get("telegram_id").longValue());
            } else if (target.has("external_id")) {
                to = new MessageRequest.Target.ExternalId(target.get("external_id").textValue());
            } else if (target.has("chat_id")) {
                to = new MessageRequest.Target.ChatId(target.get("chat_id").longValue());
            } else {
                to = new MessageRequest.Target.Audience(AudienceTerms.parse(target.get("audience").textValue())
                        .terms().orElseThrow());
            }
            Map<String, String> texts = new LinkedHashMap<>();
            content.get("texts").fields().forEachRemaining(entry -> texts.put(entry.getKey(), entry.getValue().textValue()));
            List<Media> media = new ArrayList<>();
            content.path("media").forEach(item -> media.add(new Media(Media.Kind.fromCode(item.get("kind").textValue()),
                    item.get("file").textValue())));
            List<MessageRequest.LinkButton> buttons = new ArrayList<>();
            content.get("buttons").forEach(button -> buttons.add(new MessageRequest.LinkButton(
                    button.get("text").textValue(), button.get("url").textValue())));
            return new MessageRequest(to, texts, media, buttons, stored.sendAt(), stored.sendAtLocal(),
                    stored.expiresAt(), stored.urgent(), content.get("silent").booleanValue(), stored.reference());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("api message " + stored.id() + " is not stored as JSON", e);
        }
    }

    private static String jobName(long id) {
        return "api-message-" + id;
    }
}

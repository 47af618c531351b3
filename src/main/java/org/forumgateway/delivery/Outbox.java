package org.forumgateway.delivery;

import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.groups.BotGroups;
import org.forumgateway.storage.Columns;
import org.forumgateway.users.UserDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The durable outbox in SQLite, and the one class that writes the {@code outbox} and {@code notifications} tables:
 * every message is a row before it is sent. Queueing is idempotent per (notification, recipient, part); features
 * queue through {@link Notifications}. Thread-safe; writes are batched per call.
 */
public final class Outbox {
    /** Someone is waiting for this: a reply, a button answer. */
    public static final int INTERACTIVE = 0;
    /** Announcements, notices, reminders. */
    public static final int BULK = 1;

    private static final RowMapper<OutboxRow> ROW = (rs, ctx) -> new OutboxRow(
            rs.getLong("id"),
            Columns.optionalLong(rs, "notification_id"),
            rs.getLong("chat_id"),
            rs.getInt("priority"),
            rs.getString("method"),
            rs.getInt("attempts"),
            Instant.ofEpochMilli(rs.getLong("next_attempt_at")));

    /** The payload of a blanked message that showed a secret and is still to be deleted from its chat. */
    private static final String TO_DELETE_FROM_CHAT = "{\"deleteFromChat\":true}";
    /**
     * {@link #cancelExpired}'s statement. The rows by their ids: without statistics SQLite takes the status index
     * for {@code status = :pending} and reads every pending row (a broadcast's 20,000) at each claim, so the status
     * is compared as an expression ({@code +status}), which no index serves. OutboxPlanTest holds the plan.
     */
    static final String CANCEL_EXPIRED = """
            UPDATE outbox SET status = :cancelled, last_error = :expired
            WHERE id IN (SELECT value FROM json_each(:ids)) AND +status = :pending
              AND EXISTS (SELECT 1 FROM notifications n
                          WHERE n.id = outbox.notification_id AND n.expires_at <= :now)""";
    /** The reason kept with a message cancelled because its notification expired before it could be sent. */
    public static final String EXPIRED = "expired before it could be sent";
    /** Statuses of rows the Bot API has answered for good. */
    private static final List<String> SETTLED = List.of(OutboxStatus.SENT.code(), OutboxStatus.FAILED.code(),
            OutboxStatus.BLOCKED.code(), OutboxStatus.CANCELLED.code());

    private final Jdbi jdbi;
    private final Clock clock;
    private final UserDao users;
    private final BotGroups groups;

    public Outbox(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.users = new UserDao(jdbi);
        this.groups = new BotGroups(jdbi, clock);
    }

    private static OutboxStatus status(String code) {
        for (OutboxStatus status : OutboxStatus.values()) {
            if (status.code().equals(code)) {
                return status;
            }
        }
        throw new IllegalStateException("unknown outbox status " + code);
    }

    /**
     * Queues a reply to someone waiting, in a transaction of its own; it goes before any bulk traffic. Returns the
     * outbox row's id. For this package's tests: the bot queues through {@link Notifications}.
     */
    long enqueueInteractive(OutgoingMessage message) {
        return jdbi.withHandle(handle -> enqueueInteractive(handle, message));
    }

    /** The same, inside the caller's transaction: callers go through {@link Notifications#reply}. */
    long enqueueInteractive(Handle handle, OutgoingMessage message) {
        long now = clock.millis();
        return handle.createQuery(INSERT_RETURNING_ID)
                .bind("notification", (Long) null)
                .bind("recipient", OutgoingCodec.chatId(message))
                .bind("part", 0)
                .bind("chat", OutgoingCodec.chatId(message))
                .bind("priority", INTERACTIVE)
                .bind("method", OutgoingCodec.method(message))
                .bind("payload", OutgoingCodec.encode(message))
                .bind("now", now)
                .bind("due", now)
                .bind("pending", OutboxStatus.PENDING.code())
                .mapTo(Long.class).one();
    }

    /** The Telegram message id of a sent row, once it is sent. */
    public Optional<Integer> sentMessageId(long rowId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT sent_message_id FROM outbox WHERE id = :id")
                .bind("id", rowId).map((rs, ctx) -> Columns.optionalInt(rs, "sent_message_id")).findOne()
                .flatMap(messageId -> messageId));
    }

    /** Every message of a notification that Telegram accepted and numbered, for editing or deleting it later. */
    public List<Sent> sentMessages(long notificationId) {
        return jdbi.withHandle(handle -> sentMessages(handle, notificationId));
    }

    /** The same, inside the caller's transaction. */
    public List<Sent> sentMessages(Handle handle, long notificationId) {
        return handle.createQuery("""
                        SELECT recipient, part, chat_id, sent_message_id, sent_at FROM outbox
                        WHERE notification_id = :id AND status = :sent AND sent_message_id IS NOT NULL
                        ORDER BY id""")
                .bind("id", notificationId).bind("sent", OutboxStatus.SENT.code())
                .map((rs, ctx) -> new Sent(rs.getLong("recipient"), rs.getInt("part"), rs.getLong("chat_id"),
                        rs.getInt("sent_message_id"), Instant.ofEpochMilli(rs.getLong("sent_at"))))
                .list();
    }

    /** A message Telegram accepted: to whom, which part, in which chat now, under which id, and when. */
    public record Sent(long recipient, int part, long chatId, int messageId, Instant sentAt) {
    }

    /**
     * Starts a notification; its messages are queued with {@link #enqueueBulk}. For this package's tests: the bot
     * queues through {@link Notifications}.
     */
    long createNotification(String kind, String reference) {
        return jdbi.withHandle(handle -> createNotification(handle, kind, reference));
    }

    /** The same, inside the caller's transaction. */
    long createNotification(Handle handle, String kind, String reference) {
        return handle.createQuery("""
                        INSERT INTO notifications (kind, reference, created_at) VALUES (:kind, :reference, :now)
                        RETURNING id""")
                .bind("kind", kind).bind("reference", reference).bind("now", clock.millis())
                .mapTo(Long.class).one();
    }

    /**
     * The notification {@code (kind, reference)}, created on first use: they are unique together. One statement
     * when it is new, as nearly always (the API's writer thread runs this for every message it accepts); read
     * back when it was there already.
     */
    long notification(Handle handle, String kind, String reference) {
        return handle.createQuery("""
                        INSERT INTO notifications (kind, reference, created_at) VALUES (:kind, :reference, :now)
                        ON CONFLICT (kind, reference) DO NOTHING RETURNING id""")
                .bind("kind", kind).bind("reference", reference).bind("now", clock.millis()).mapTo(Long.class)
                .findOne()
                .orElseGet(() -> findNotification(handle, kind, reference).orElseThrow());
    }

    /** The notification {@code (kind, reference)}, if anything was ever queued under it. */
    public Optional<Long> findNotification(String kind, String reference) {
        return jdbi.withHandle(handle -> findNotification(handle, kind, reference));
    }

    /** The same, inside the caller's transaction. */
    public Optional<Long> findNotification(Handle handle, String kind, String reference) {
        return handle.createQuery("SELECT id FROM notifications WHERE kind = :kind AND reference = :reference")
                .bind("kind", kind).bind("reference", reference).mapTo(Long.class).findOne();
    }

    /**
     * The notifications of {@code kind} whose reference ends with {@code suffix}, by id with their references,
     * inside the caller's transaction.
     */
    public Map<Long, String> findNotificationsEndingWith(Handle handle, String kind, String suffix) {
        Map<Long, String> found = new HashMap<>();
        handle.createQuery("""
                        SELECT id, reference FROM notifications
                        WHERE kind = :kind AND substr(reference, -length(:suffix)) = :suffix""")
                .bind("kind", kind).bind("suffix", suffix)
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("reference")))
                .forEach(entry -> found.put(entry.getKey(), entry.getValue()));
        return found;
    }

    /**
     * {@link #cancelExpiredWaiting}'s question: notifications that expired within the window and still have messages
     * queued. The window comes from the partial index {@code notifications_expiry}; OutboxPlanTest holds the plan.
     */
    static final String EXPIRED_WITH_WAITING = """
            SELECT n.id FROM notifications n
            WHERE n.expires_at > :since AND n.expires_at <= :now
              AND EXISTS (SELECT 1 FROM outbox o WHERE o.notification_id = n.id AND o.status = :pending)""";

    /**
     * Cancels the queued messages of notifications that expired after {@code since}, as expired: rows held for
     * someone's quiet hours or local time, or waiting for a retry, which no claim reaches until their time. Reads
     * first, and writes only when there is something to cancel. Returns how many it cancelled.
     */
    public int cancelExpiredWaiting(Instant since, Instant now) {
        List<Long> expired = jdbi.withHandle(handle -> handle.createQuery(EXPIRED_WITH_WAITING)
                .bind("since", since.toEpochMilli()).bind("now", now.toEpochMilli())
                .bind("pending", OutboxStatus.PENDING.code()).mapTo(Long.class).list());
        return expired.isEmpty() ? 0 : jdbi.inTransaction(handle -> expired.stream()
                .mapToInt(id -> cancelAsExpired(handle, id, now)).sum());
    }

    /**
     * Cancels every queued message of the notification as expired, in the caller's transaction, if it has expired
     * by {@code now}: asked again here, since a moved deadline may have moved its expiry since it was read.
     */
    int cancelAsExpired(Handle handle, long notificationId, Instant now) {
        return handle.createUpdate("""
                        UPDATE outbox SET status = :cancelled, last_error = :expired
                        WHERE notification_id = :id AND status = :pending
                          AND EXISTS (SELECT 1 FROM notifications n WHERE n.id = :id AND n.expires_at <= :now)""")
                .bind("cancelled", OutboxStatus.CANCELLED.code()).bind("expired", EXPIRED)
                .bind("id", notificationId).bind("pending", OutboxStatus.PENDING.code())
                .bind("now", now.toEpochMilli()).execute();
    }

    /** Messages of the notification still queued at {@code at} are cancelled when claimed ({@link #claim}). */
    void expireAt(Handle handle, long notificationId, Instant at) {
        handle.createUpdate("UPDATE notifications SET expires_at = :at WHERE id = :id")
                .bind("at", at.toEpochMilli()).bind("id", notificationId).execute();
    }

    /** A cancelled notification queued again (a reminder owed again) is not cancelled any more. */
    void reopen(Handle handle, long notificationId) {
        handle.createUpdate("UPDATE notifications SET cancelled_at = NULL WHERE id = :id AND cancelled_at IS NOT NULL")
                .bind("id", notificationId).execute();
    }

    /**
     * {@link #anotherPartFailed}'s statement: by recipient (a group's chat id changes when it becomes a supergroup),
     * read from the index {@code outbox_notification (notification_id, status, recipient)} alone, since a broadcast
     * that fails for everyone (a bad file id) asks it once per recipient. OutboxPlanTest holds the plan.
     */
    static final String ANOTHER_PART_FAILED = """
            SELECT EXISTS (SELECT 1 FROM outbox WHERE notification_id = :notification AND status = :failed
                                                  AND recipient = (SELECT recipient FROM outbox WHERE id = :id)
                                                  AND id <> :id)""";

    /**
     * Whether another message of {@code row}'s notification to its recipient has failed for good (a split text's
     * part).
     */
    boolean anotherPartFailed(Handle handle, OutboxRow row) {
        return row.notificationId().isPresent() && handle.createQuery(ANOTHER_PART_FAILED)
                .bind("notification", row.notificationId().get()).bind("failed", OutboxStatus.FAILED.code())
                .bind("id", row.id()).mapTo(Boolean.class).one();
    }

    /** What notification {@code id} is: its kind and reference (an announcement's or an API message's id). */
    Optional<NotificationName> notificationName(Handle handle, long id) {
        return handle.createQuery("SELECT kind, reference FROM notifications WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new NotificationName(rs.getString("kind"), rs.getString("reference"))).findOne();
    }

    /** A notification's name: unique together. */
    record NotificationName(String kind, String reference) {
    }

    /**
     * Queues messages of a notification in one transaction. A (recipient, part) already queued is left as it
     * is, so queueing the same notification twice sends nothing twice.
     *
     * For this package's tests: the bot queues through {@link Notifications}.
     *
     * @return how many rows were new
     */
    int enqueueBulk(long notificationId, List<Addressed> messages) {
        return jdbi.inTransaction(handle -> enqueueBulk(handle, notificationId, messages));
    }

    /** The same, inside the caller's transaction: callers go through {@link Notifications#queue}. */
    int enqueueBulk(Handle handle, long notificationId, List<Addressed> messages) {
        return enqueueBulk(handle, notificationId, messages, false);
    }

    /**
     * The same; with {@code reviveCancelled}, a (recipient, part) cancelled before it went out is queued anew with
     * the new message, and counted: callers go through {@link Notifications#queueOwedAgain}. The cancelled row makes
     * way for a new one rather than being reset: the queue keeps each chat's messages in the order they were queued,
     * so the message owed again comes after those queued since (the notice that the event is on again, say).
     */
    int enqueueBulk(Handle handle, long notificationId, List<Addressed> messages, boolean reviveCancelled) {
        long now = clock.millis();
        if (reviveCancelled) {
            PreparedBatch withdrawn = handle.prepareBatch("""
                    DELETE FROM outbox
                    WHERE notification_id = :notification AND recipient = :recipient AND part = :part
                      AND status = :cancelled""");
            for (Addressed item : messages) {
                withdrawn.bind("notification", notificationId).bind("recipient", item.recipient())
                        .bind("part", item.part()).bind("cancelled", OutboxStatus.CANCELLED.code()).add();
            }
            if (withdrawn.size() > 0) {
                withdrawn.execute();
            }
        }
        PreparedBatch batch = handle.prepareBatch(INSERT);
        for (Addressed item : messages) {
            insert(batch, notificationId, item.recipient(), item.part(), item.message(), BULK, now,
                    item.notBefore().map(Instant::toEpochMilli).filter(at -> at > now).orElse(now));
        }
        int inserted = 0;
        if (batch.size() > 0) {
            for (int count : batch.execute()) {
                inserted += count;
            }
        }
        return inserted;
    }

    /**
     * Cancels a notification, in the caller's transaction (a recall, an API DELETE): its queued messages at once;
     * returns how many. A message already on its way is settled by its answer: one Telegram asks to retry is
     * cancelled then, and one it accepts counts as sent and is handed to {@link AcceptedAfterCancel} to be undone.
     */
    public int cancel(Handle handle, long notificationId) {
        return cancelReturningRecipients(handle, notificationId).size();
    }

    /** The same, answering the recipient of each message it cancelled. */
    public List<Long> cancelReturningRecipients(Handle handle, long notificationId) {
        handle.createUpdate("UPDATE notifications SET cancelled_at = :now WHERE id = :id AND cancelled_at IS NULL")
                .bind("now", clock.millis()).bind("id", notificationId).execute();
        return handle.createQuery("""
                        UPDATE outbox SET status = :cancelled WHERE notification_id = :id AND status = :pending
                        RETURNING recipient""")
                .bind("cancelled", OutboxStatus.CANCELLED.code()).bind("pending", OutboxStatus.PENDING.code())
                .bind("id", notificationId).mapTo(Long.class).list();
    }

    /** Recipients of a notification held back to a later time (their quiet hours), and the latest time. */
    public record Held(int count, Optional<Instant> until) {
        public static final Held NONE = new Held(0, Optional.empty());
    }

    /**
     * The notification's recipients with messages not tried yet whose time is still ahead: whom quiet hours hold
     * back (a retry's wait comes after a first try, or after a 429 that gave the try back, with its error).
     */
    public Held held(long notificationId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT count(DISTINCT recipient) AS n, max(next_attempt_at) AS last FROM outbox
                        WHERE notification_id = :id AND status = :pending AND attempts = 0 AND last_error IS NULL
                          AND next_attempt_at > :now""")
                .bind("id", notificationId).bind("pending", OutboxStatus.PENDING.code()).bind("now", clock.millis())
                .map((rs, ctx) -> rs.getInt("n") == 0 ? Held.NONE
                        : new Held(rs.getInt("n"), Optional.of(Instant.ofEpochMilli(rs.getLong("last")))))
                .one());
    }

    /** How many of a notification's messages wait to be sent (none on its way counted), in the caller's transaction. */
    public int pendingCount(Handle handle, long notificationId) {
        return handle.createQuery("SELECT count(*) FROM outbox WHERE notification_id = :id AND status = :pending")
                .bind("id", notificationId).bind("pending", OutboxStatus.PENDING.code()).mapTo(Integer.class).one();
    }

    /** How many of a notification's messages are queued or on the wire, in the caller's transaction. */
    public int unsettledCount(Handle handle, long notificationId) {
        return handle.createQuery("""
                        SELECT count(*) FROM outbox WHERE notification_id = :id AND status IN (:pending, :inFlight)""")
                .bind("id", notificationId).bind("pending", OutboxStatus.PENDING.code())
                .bind("inFlight", OutboxStatus.IN_FLIGHT.code()).mapTo(Integer.class).one();
    }

    /** How many recipients a notification has queued messages for, in the caller's transaction. */
    public int recipientCount(Handle handle, long notificationId) {
        return handle.createQuery("SELECT count(DISTINCT recipient) FROM outbox WHERE notification_id = :id")
                .bind("id", notificationId).mapTo(Integer.class).one();
    }

    /** How far a notification's messages have got. */
    public Progress progress(long notificationId) {
        return jdbi.withHandle(handle -> {
            Map<OutboxStatus, Integer> byStatus = new EnumMap<>(OutboxStatus.class);
            handle.createQuery("SELECT status, count(*) AS n FROM outbox WHERE notification_id = :id GROUP BY status")
                    .bind("id", notificationId)
                    .map((rs, ctx) -> Map.entry(status(rs.getString("status")), rs.getInt("n")))
                    .forEach(entry -> byStatus.put(entry.getKey(), entry.getValue()));
            Map<String, Integer> failures = new HashMap<>();
            handle.createQuery("""
                            SELECT coalesce(last_error, '') AS reason, count(*) AS n FROM outbox
                            WHERE notification_id = :id AND status = :failed GROUP BY reason""")
                    .bind("id", notificationId).bind("failed", OutboxStatus.FAILED.code())
                    .map((rs, ctx) -> Map.entry(rs.getString("reason"), rs.getInt("n")))
                    .forEach(entry -> failures.put(entry.getKey(), entry.getValue()));
            int total = byStatus.values().stream().mapToInt(Integer::intValue).sum();
            return new Progress(total, byStatus.getOrDefault(OutboxStatus.SENT, 0),
                    byStatus.getOrDefault(OutboxStatus.PENDING, 0) + byStatus.getOrDefault(OutboxStatus.IN_FLIGHT, 0),
                    byStatus.getOrDefault(OutboxStatus.BLOCKED, 0), byStatus.getOrDefault(OutboxStatus.FAILED, 0),
                    byStatus.getOrDefault(OutboxStatus.CANCELLED, 0), failures);
        });
    }

    /**
     * How far a notification has got by recipient: each recipient counted once, in their {@link RecipientState};
     * {@code failures} counts the failed recipients by the reason one of their failed messages gave.
     */
    public Progress recipientProgress(long notificationId) {
        return jdbi.withHandle(handle -> recipientProgress(handle, notificationId));
    }

    /** The same, in the caller's transaction. */
    public Progress recipientProgress(Handle handle, long notificationId) {
        // The count reads the index outbox_notification (V25) alone, named because SQLite would rather walk the unique
        // index (notification, recipient, part) in recipient order and read every row, long texts' overflow pages
        // included, for its status. Of the rows themselves, only failed ones are read, and only when someone failed.
        Map<RecipientState, Integer> byState = new EnumMap<>(RecipientState.class);
        handle.createQuery("""
                        SELECT state, count(*) AS n FROM (
                            SELECT %s AS state FROM outbox INDEXED BY outbox_notification
                            WHERE notification_id = :id GROUP BY recipient)
                        GROUP BY state""".formatted(RecipientState.sql("")))
                .bind("id", notificationId)
                .map((rs, ctx) -> Map.entry(RecipientState.fromCode(rs.getString("state")), rs.getInt("n")))
                .forEach(entry -> byState.put(entry.getKey(), entry.getValue()));
        Map<String, Integer> failures = new HashMap<>();
        if (byState.containsKey(RecipientState.FAILED)) {
            handle.createQuery("""
                            SELECT reason, count(*) AS n FROM (
                                SELECT max(coalesce(last_error, '')) AS reason FROM outbox
                                WHERE notification_id = :id AND status = '%s'
                                  AND recipient IN (SELECT recipient FROM outbox INDEXED BY outbox_notification
                                                    WHERE notification_id = :id GROUP BY recipient HAVING %s = '%s')
                                GROUP BY recipient)
                            GROUP BY reason""".formatted(OutboxStatus.FAILED.code(), RecipientState.sql(""),
                            RecipientState.FAILED.code()))
                    .bind("id", notificationId)
                    .map((rs, ctx) -> Map.entry(rs.getString("reason"), rs.getInt("n")))
                    .forEach(entry -> failures.put(entry.getKey(), entry.getValue()));
        }
        int total = byState.values().stream().mapToInt(Integer::intValue).sum();
        return new Progress(total, byState.getOrDefault(RecipientState.SENT, 0),
                byState.getOrDefault(RecipientState.QUEUED, 0), byState.getOrDefault(RecipientState.BLOCKED, 0),
                byState.getOrDefault(RecipientState.FAILED, 0), byState.getOrDefault(RecipientState.CANCELLED, 0),
                failures);
    }

    /** Messages not yet answered by the Bot API: queued (also for later) or on the wire. A range of outbox_queue. */
    public long unsettledCount() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM outbox WHERE status IN (:pending, :inFlight)")
                .bind("pending", OutboxStatus.PENDING.code()).bind("inFlight", OutboxStatus.IN_FLIGHT.code())
                .mapTo(Long.class).one());
    }

    /**
     * Blanks the payloads of messages settled before {@code before}: the figures stay, the texts (attendee lists,
     * calendar links, personal cards) go. Returns how many rows were blanked.
     */
    public int purgePayloads(Instant before) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE outbox SET payload = '{}'
                        WHERE status IN (<settled>) AND created_at < :before AND payload <> '{}'""")
                .bindList("settled", SETTLED)
                .bind("before", before.toEpochMilli()).execute());
    }

    /**
     * Forgets the messages to {@code recipient} (their erasure), in the caller's transaction: those not sent yet are
     * cancelled, and every one's text is blanked, with which message of their chat it became: edits and recalls of an
     * announcement pass them by. The rows stay, without text, for the figures of what they were part of (an
     * announcement's report counts them). A message the delivery engine is sending at that moment keeps its text,
     * which an answer asking to try again still needs; the nightly purge blanks it.
     */
    public void forgetRecipient(Handle handle, long recipient) {
        // A person's chat has their id: the chat's index finds their rows.
        handle.createUpdate("""
                        UPDATE outbox SET status = :cancelled
                        WHERE chat_id = :recipient AND recipient = :recipient AND status = :pending""")
                .bind("cancelled", OutboxStatus.CANCELLED.code()).bind("pending", OutboxStatus.PENDING.code())
                .bind("recipient", recipient).execute();
        handle.createUpdate("""
                        UPDATE outbox SET payload = '{}', sent_message_id = NULL
                        WHERE chat_id = :recipient AND recipient = :recipient
                          AND (payload <> '{}' OR sent_message_id IS NOT NULL) AND status <> :inFlight""")
                .bind("recipient", recipient).bind("inFlight", OutboxStatus.IN_FLIGHT.code()).execute();
    }

    /** A row's chat and stored payload. */
    public record ChatPayload(long chatId, String payload) {
    }

    /** Every row whose payload contains {@code fragment}, in any state: a scan of the whole table, for start-up. */
    public List<ChatPayload> containing(String fragment) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT chat_id, payload FROM outbox WHERE instr(payload, :fragment) > 0")
                .bind("fragment", fragment)
                .map((rs, ctx) -> new ChatPayload(rs.getLong("chat_id"), rs.getString("payload"))).list());
    }

    /**
     * Blanks the payloads of settled messages to {@code chatId} that contain {@code secret}, so that no copy of it
     * stays in the database once Telegram has it. Those Telegram accepted keep a mark until {@link #unmarkForDeletion}
     * (a restart finds them again with {@link #awaitingDeletion}).
     */
    public Blanked blankSettledContaining(long chatId, String secret) {
        List<Optional<ShownCopy>> rows = jdbi.withHandle(handle -> handle.createQuery("""
                        UPDATE outbox SET payload = CASE WHEN status = :sent AND sent_message_id IS NOT NULL
                                                         THEN :mark ELSE '{}' END
                        WHERE chat_id = :chat AND status IN (<settled>) AND instr(payload, :secret) > 0
                        RETURNING id, chat_id, sent_message_id, sent_at, payload""")
                .bind("chat", chatId).bindList("settled", SETTLED).bind("secret", secret)
                .bind("sent", OutboxStatus.SENT.code()).bind("mark", TO_DELETE_FROM_CHAT)
                .map(SHOWN_COPY).list());
        return new Blanked(rows.size(), rows.stream().flatMap(Optional::stream).toList());
    }

    /**
     * What {@link #blankSettledContaining} did: how many rows it blanked, and those of them that reached the chat
     * (a message refused, or to someone who blocked the bot, is not there to delete).
     */
    public record Blanked(int rows, List<ShownCopy> inTheChat) {
    }

    /** The messages blanked by {@link #blankSettledContaining} whose deletion from the chat is not queued yet. */
    public List<ShownCopy> awaitingDeletion() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, chat_id, sent_message_id, sent_at, payload FROM outbox WHERE payload = :mark""")
                .bind("mark", TO_DELETE_FROM_CHAT).map(SHOWN_COPY).stream().flatMap(Optional::stream).toList());
    }

    /**
     * Takes the mark off {@code copy}, inside the caller's transaction, which queues its deletion from the chat;
     * false when it was taken already (the deletion is queued once).
     */
    public boolean unmarkForDeletion(Handle handle, ShownCopy copy) {
        return handle.createUpdate("UPDATE outbox SET payload = '{}' WHERE id = :id AND payload = :mark")
                .bind("id", copy.rowId()).bind("mark", TO_DELETE_FROM_CHAT).execute() > 0;
    }

    /** A sent message that showed a secret: where it is in Telegram, and since when. */
    public record ShownCopy(long rowId, long chatId, int messageId, Instant sentAt) {
    }

    private static final RowMapper<Optional<ShownCopy>> SHOWN_COPY = (rs, ctx) ->
            rs.getString("payload").equals(TO_DELETE_FROM_CHAT)
                    ? Optional.of(new ShownCopy(rs.getLong("id"), rs.getLong("chat_id"), rs.getInt("sent_message_id"),
                            Instant.ofEpochMilli(rs.getLong("sent_at"))))
                    : Optional.empty();

    // ---- for the engine ----------------------------------------------------------------------------------

    /**
     * Rows a crash left in flight go back to the queue: they may or may not have been delivered. Those of a
     * notification cancelled meanwhile are cancelled instead: sending them again could only be wrong.
     */
    int requeueInFlight() {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("""
                            UPDATE outbox SET status = :cancelled
                            WHERE status = :inFlight
                              AND notification_id IN (SELECT id FROM notifications WHERE cancelled_at IS NOT NULL)""")
                    .bind("cancelled", OutboxStatus.CANCELLED.code()).bind("inFlight", OutboxStatus.IN_FLIGHT.code())
                    .execute();
            return handle.createUpdate("UPDATE outbox SET status = :pending WHERE status = :inFlight")
                    .bind("pending", OutboxStatus.PENDING.code()).bind("inFlight", OutboxStatus.IN_FLIGHT.code())
                    .execute();
        });
    }

    /**
     * Rows due now in sending order, interactive first, then oldest first. A row waits while an earlier row of
     * its chat and priority waits to be retried (it was tried: a retry keeps the answer's reason, a 429 spends no
     * attempt), or is an earlier part of its own message, so a chat's messages keep their order. A message held for
     * the reader's quiet hours holds back only itself: not an urgent message queued after it. Rows not due are left
     * out, so thousands of them cannot crowd out the ones that are.
     */
    List<OutboxRow> queued(int limit, Instant now) {
        return queued(limit, now, BULK);
    }

    /** The interactive rows of {@link #queued}: a short range at the head of the queue. */
    List<OutboxRow> queuedReplies(int limit, Instant now) {
        return queued(limit, now, INTERACTIVE);
    }

    private List<OutboxRow> queued(int limit, Instant now, int lowestPriority) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, notification_id, chat_id, priority, method, attempts, next_attempt_at
                        FROM outbox o WHERE o.status = :pending AND o.priority <= :lowest
                          AND o.next_attempt_at <= :now
                          AND NOT EXISTS (SELECT 1 FROM outbox earlier
                                          WHERE earlier.chat_id = o.chat_id AND earlier.status = :pending
                                            AND earlier.priority = o.priority AND earlier.id < o.id
                                            AND earlier.next_attempt_at > :now
                                            AND (earlier.last_error IS NOT NULL
                                                 OR earlier.notification_id = o.notification_id))
                        ORDER BY o.priority, o.id LIMIT :limit""")
                .bind("now", now.toEpochMilli()).bind("limit", limit).bind("pending", OutboxStatus.PENDING.code())
                .bind("lowest", lowestPriority)
                .map(ROW).list());
    }


    /**
     * Marks the rows in flight, durably, before they are sent; returns those that were still pending, with their
     * payloads, in the order given.
     */
    List<Claimed> claim(List<OutboxRow> rows) {
        return jdbi.inTransaction(handle -> {
            cancelExpired(handle, rows);
            List<OutboxRow> marked = markInFlight(handle, rows);
            if (marked.isEmpty()) {
                return List.of();
            }
            Map<Long, String> payloads = new HashMap<>();
            // One statement for any number of rows (see Columns.jsonArray): claims come in every size.
            handle.createQuery("SELECT id, payload FROM outbox WHERE id IN (SELECT value FROM json_each(:ids))")
                    .bind("ids", Columns.jsonArray(marked.stream().map(OutboxRow::id).toList()))
                    .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("payload")))
                    .forEach(entry -> payloads.put(entry.getKey(), entry.getValue()));
            return marked.stream().map(row -> new Claimed(row, payloads.get(row.id()))).toList();
        });
    }

    /** A row marked in flight, with what to send. */
    record Claimed(OutboxRow row, String payload) {
    }

    /**
     * Cancels those of {@code rows} whose notification has expired (a reminder of an event that has begun), so that
     * {@link #markInFlight} passes them by. Judged at the claim, the last moment before sending: a row may have
     * waited behind a broadcast, for Telegram, or for the bot to start again.
     */
    private void cancelExpired(Handle handle, List<OutboxRow> rows) {
        handle.createUpdate(CANCEL_EXPIRED)
                .bind("ids", Columns.jsonArray(rows.stream().map(OutboxRow::id).toList()))
                .bind("cancelled", OutboxStatus.CANCELLED.code()).bind("pending", OutboxStatus.PENDING.code())
                .bind("expired", EXPIRED).bind("now", clock.millis())
                .execute();
    }

    private List<OutboxRow> markInFlight(Handle handle, List<OutboxRow> rows) {
        PreparedBatch batch = handle.prepareBatch("""
                UPDATE outbox SET status = :inFlight, attempts = attempts + 1 WHERE id = :id AND status = :pending""");
        rows.forEach(row -> batch.bind("id", row.id()).bind("inFlight", OutboxStatus.IN_FLIGHT.code())
                .bind("pending", OutboxStatus.PENDING.code()).add());
        int[] changed = batch.execute();
        List<OutboxRow> marked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (changed[i] > 0) {
                marked.add(rows.get(i));
            }
        }
        return marked;
    }

    /** Records Telegram's answers to rows in flight, in one transaction. */
    void settle(Consumer<Settlement> answers) {
        jdbi.useTransaction(handle -> {
            Settlement settlement = new Settlement(handle, clock.millis());
            answers.accept(settlement);
            settlement.execute();
        });
    }

    /**
     * Drops the chat's queued messages as blocked and marks its user blocked (or its group left), so audiences skip
     * them until they write (or the bot is added again). {@link ChatBlocks} owns when.
     *
     * @param seenBefore when it was true (see {@link UserDao#markBlocked(Handle, long, Instant, Instant)})
     * @return whether this is news: a person the bot knows, who had not blocked it before
     */
    boolean dropBlocked(Handle handle, long chatId, String reason, Instant at, Instant seenBefore) {
        // Only what was queued by then: a late refusal must not drop the replies to someone who has since unblocked
        // the bot and written to it. What was queued later meets its own 403 if the block still holds.
        handle.createUpdate("""
                        UPDATE outbox SET status = :blocked, last_error = :reason
                        WHERE chat_id = :chat AND status IN (:pending, :inFlight) AND created_at <= :seenBefore""")
                .bind("blocked", OutboxStatus.BLOCKED.code()).bind("pending", OutboxStatus.PENDING.code())
                .bind("inFlight", OutboxStatus.IN_FLIGHT.code()).bind("reason", reason).bind("chat", chatId)
                .bind("seenBefore", seenBefore.toEpochMilli()).execute();
        // In a group, 403 means the bot was removed: audiences leave the group out from now on.
        groups.left(handle, chatId);
        return users.markBlocked(handle, chatId, at, seenBefore);
    }

    /** Settles the notification's messages queued to {@code chatId} as blocked, for {@code reason}. */
    void dropQueued(Handle handle, long notificationId, long chatId, String reason) {
        handle.createUpdate("""
                        UPDATE outbox SET status = :blocked, last_error = :reason
                        WHERE notification_id = :notification AND chat_id = :chat AND status = :pending""")
                .bind("blocked", OutboxStatus.BLOCKED.code()).bind("pending", OutboxStatus.PENDING.code())
                .bind("reason", reason).bind("notification", notificationId).bind("chat", chatId).execute();
    }

    /** Telegram's answers to a round of messages, written as batches when the round is settled. */
    final class Settlement {
        private final Handle handle;
        private final long now;
        private final PreparedBatch sent;
        private final PreparedBatch retry;
        private final PreparedBatch failed;
        private final PreparedBatch cancelled;

        private Settlement(Handle handle, long now) {
            this.handle = handle;
            this.now = now;
            this.sent = handle.prepareBatch("""
                    UPDATE outbox SET status = :sent, sent_at = :now, last_error = NULL, sent_message_id = :messageId
                    WHERE id = :id""");
            this.retry = handle.prepareBatch("""
                    UPDATE outbox SET status = :pending, next_attempt_at = :at, last_error = :error,
                                      attempts = attempts - :free WHERE id = :id""");
            this.failed = handle.prepareBatch("UPDATE outbox SET status = :failed, last_error = :error WHERE id = :id");
            this.cancelled = handle.prepareBatch("""
                    UPDATE outbox SET status = :cancelled, last_error = NULL
                    WHERE id = :id AND status IN (:pending, :inFlight)""");
        }

        /** Which of the notifications were cancelled (their rows may have been on their way meanwhile). */
        Set<Long> cancelledAmong(Set<Long> notificationIds) {
            if (notificationIds.isEmpty()) {
                return Set.of();
            }
            return Set.copyOf(handle.createQuery("""
                            SELECT id FROM notifications
                            WHERE id IN (SELECT value FROM json_each(:ids)) AND cancelled_at IS NOT NULL""")
                    .bind("ids", Columns.jsonArray(notificationIds)).mapTo(Long.class).list());
        }

        /** A row of a cancelled notification that Telegram did not accept: it is not tried again. */
        void cancelled(long rowId) {
            cancelled.bind("cancelled", OutboxStatus.CANCELLED.code())
                    .bind("pending", OutboxStatus.PENDING.code()).bind("inFlight", OutboxStatus.IN_FLIGHT.code())
                    .bind("id", rowId).add();
        }

        void sent(long rowId, Optional<Integer> messageId) {
            sent.bind("sent", OutboxStatus.SENT.code()).bind("now", now).bind("messageId", messageId.orElse(null))
                    .bind("id", rowId).add();
        }

        /** Row {@code row}, which Telegram accepted as message {@code messageId}, as a sent message. */
        Sent accepted(OutboxRow row, int messageId) {
            return handle.createQuery("SELECT recipient, part FROM outbox WHERE id = :id").bind("id", row.id())
                    .map((rs, ctx) -> new Sent(rs.getLong("recipient"), rs.getInt("part"), row.chatId(), messageId,
                            Instant.ofEpochMilli(now)))
                    .one();
        }

        /** The transaction the answers are written in, for what must commit with them (webhook events). */
        Handle handle() {
            return handle;
        }

        /** @param countsAsAttempt false when Telegram only paced us (a 429): it does not count toward the limit */
        void retry(long rowId, Instant at, String error, boolean countsAsAttempt) {
            retry.bind("pending", OutboxStatus.PENDING.code()).bind("at", at.toEpochMilli()).bind("error", error)
                    .bind("free", countsAsAttempt ? 0 : 1).bind("id", rowId).add();
        }

        void failed(long rowId, String error) {
            failed.bind("failed", OutboxStatus.FAILED.code()).bind("error", error).bind("id", rowId).add();
        }

        /** Telegram refused to pin in group {@code chatId}: when for lack of the right, the group's list says so. */
        void pinRefused(long chatId, String reason) {
            groups.pinRefused(handle, chatId, reason);
        }

        /**
         * The row and the chat's queued ones follow a group that became a supergroup, and so do audiences; this try
         * does not count. Edits, deletes and pins fail instead: the message ids they carry are the old group's, and
         * in the supergroup the same id is another message (a member's, which a recall would delete).
         */
        void migrated(long rowId, long oldChatId, long newChatId) {
            handle.createUpdate("""
                            UPDATE outbox SET status = :failed, last_error = :reason
                            WHERE chat_id = :old AND (status = :pending OR id = :id) AND method IN (<changing>)""")
                    .bindList("changing", OutgoingCodec.CHANGES_A_SENT_MESSAGE)
                    .bind("failed", OutboxStatus.FAILED.code()).bind("pending", OutboxStatus.PENDING.code())
                    .bind("reason", "the group became a supergroup: its earlier messages cannot be changed")
                    .bind("old", oldChatId).bind("id", rowId).execute();
            handle.createUpdate("""
                            UPDATE outbox SET chat_id = :new, status = :pending
                            WHERE chat_id = :old AND (status = :pending OR id = :id) AND method NOT IN (<changing>)""")
                    .bindList("changing", OutgoingCodec.CHANGES_A_SENT_MESSAGE)
                    .bind("pending", OutboxStatus.PENDING.code())
                    .bind("new", newChatId).bind("old", oldChatId).bind("id", rowId).execute();
            handle.createUpdate("UPDATE outbox SET attempts = attempts - 1 WHERE id = :id").bind("id", rowId).execute();
            groups.migrated(handle, oldChatId, newChatId);
        }

        private void execute() {
            for (PreparedBatch statements : List.of(sent, retry, failed, cancelled)) {
                if (statements.size() > 0) {
                    statements.execute();
                }
            }
        }
    }

    private static final String INSERT = """
            INSERT OR IGNORE INTO outbox (notification_id, recipient, part, chat_id, priority, method, payload, status,
                                          next_attempt_at, created_at)
            VALUES (:notification, :recipient, :part, :chat, :priority, :method, :payload, :pending, :due, :now)""";
    /** The same for one row, answering its id (every reply runs it). */
    private static final String INSERT_RETURNING_ID = INSERT + " RETURNING id";

    private static PreparedBatch insert(PreparedBatch batch, Long notificationId, long recipient, int part,
                                        OutgoingMessage message, int priority, long now, long due) {
        return batch.bind("notification", notificationId)
                .bind("recipient", recipient)
                .bind("part", part)
                .bind("chat", OutgoingCodec.chatId(message))
                .bind("priority", priority)
                .bind("method", OutgoingCodec.method(message))
                .bind("payload", OutgoingCodec.encode(message))
                .bind("now", now)
                .bind("due", due)
                .bind("pending", OutboxStatus.PENDING.code())
                .add();
    }

    /**
     * A message of a notification, for one recipient; {@code part} numbers the pieces of a split text.
     *
     * @param notBefore not sent before this time (the end of the recipient's quiet hours), if set
     */
    public record Addressed(long recipient, int part, OutgoingMessage message, Optional<Instant> notBefore) {
        public Addressed(long recipient, int part, OutgoingMessage message) {
            this(recipient, part, message, Optional.empty());
        }
    }
}

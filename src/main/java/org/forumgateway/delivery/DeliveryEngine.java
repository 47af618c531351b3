package org.forumgateway.delivery;

import org.forumgateway.chat.DeliveryResult;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.chat.Transport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends what the outbox holds, as fast as Telegram allows and no faster: a global rate, a rate per chat with
 * short bursts, a per-minute rate for groups, and one message in flight per chat so a chat's messages arrive in
 * order. Answers are handled as the Bot API means them: 429 waits (for everyone when several chats get it at
 * once), 403 marks the user blocked, a migrated group is followed, other 4xx fail for good, 5xx and network
 * errors retry with exponential backoff and jitter. One thread owns the limiter and the queue; results are
 * written back in batches.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final int QUEUE_WINDOW = 500;
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Two chats throttled this close together mean the global limit, not one chat's. */
    private static final long GLOBAL_429_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A chat's limit is exact at Telegram (one a second after a burst); requests arrive with network jitter, so
     * a chat's messages are spaced a tenth wider than the limit to stay clear of 429.
     */
    private static final double CHAT_MARGIN = 0.9;
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Answers are written back in batches: when this many wait, or this long after the last batch. */
    private static final int RECORD_BATCH = 64;
    private static final long RECORD_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final Outbox outbox;
    private final Transport transport;
    private final DeliveryLimits limits;
    private final Clock clock;
    private final Random jitter = new Random();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    /** New rows were queued, or queued rows changed: read the queue again instead of the window in memory. */
    private volatile boolean queueChanged = true;
    private volatile boolean running;
    private volatile long stopGraceMillis = 2_000;
    private Thread thread;

    private final ConcurrentLinkedQueue<Completed> completed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Long> chatsInFlight = new HashSet<>();
    private final Map<Long, TokenBucket> chatBuckets = new HashMap<>();
    private final Map<Long, Long> chatPausedUntil = new HashMap<>();
    private TokenBucket global;
    /**
     * The overall rate in use: the configured one until Telegram throttles the bot as a whole, then halved at each
     * such answer and raised again by a quarter after each second's worth of accepted messages (AIMD), so the
     * engine settles just under the rate Telegram really allows.
     */
    private double globalRate;
    private int acceptedSinceRaise;
    private long globalPausedUntil;
    private long last429At = Long.MIN_VALUE;
    private long recordedAt;
    private long last429Chat;

    public DeliveryEngine(Outbox outbox, Transport transport, DeliveryLimits limits, Clock clock) {
        this.outbox = outbox;
        this.transport = transport;
        this.limits = limits;
        this.clock = clock;
    }

    /** Puts rows a crash left in flight back in the queue and starts sending. */
    public void start() {
        int requeued = outbox.requeueInFlight();
        if (requeued > 0) {
            log.info("{} messages were in flight when the bot last stopped; sending them again", requeued);
        }
        globalRate = limits.perSecond();
        global = new TokenBucket(globalRate, globalBurst(globalRate), System.nanoTime());
        running = true;
        thread = new Thread(this::run, "delivery-engine");
        thread.setDaemon(true);
        thread.start();
    }

    /** Something was queued: look at the queue now rather than at the next tick. */
    public void wake() {
        queueChanged = true;
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Messages handed to Telegram and not answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops taking new messages and waits up to {@code graceMillis} for those in flight, recording their answers.
     * Whatever is still queued stays in the outbox for the next start.
     */
    public void stop(long graceMillis) {
        if (!running) {
            return;
        }
        stopGraceMillis = Math.max(0, graceMillis - 200);
        running = false;
        wake();
        try {
            thread.join(graceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(3_000);
    }

    private void run() {
        List<OutboxRow> window = new ArrayList<>();
        long windowLoadedAt = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (completed.size() >= RECORD_BATCH || now - recordedAt >= RECORD_EVERY_NANOS || inFlight.get() == 0) {
                    recordCompleted();
                    recordedAt = now;
                }
                takeSignal();
                boolean stale = now - windowLoadedAt > TimeUnit.MILLISECONDS.toNanos(500);
                if (queueChanged || stale) {
                    queueChanged = false;
                    window = new ArrayList<>(outbox.queued(QUEUE_WINDOW, clock.instant()));
                    windowLoadedAt = now;
                }
                List<OutboxRow> claimed = claim(window, now);
                if (!claimed.isEmpty()) {
                    // Only rows still pending are sent: one may have been cancelled since the window was read.
                    List<OutboxRow> claimable;
                    try {
                        claimable = outbox.jdbi().inTransaction(handle -> outbox.markInFlight(handle, claimed));
                    } catch (RuntimeException e) {
                        claimed.forEach(row -> chatsInFlight.remove(row.chatId()));
                        queueChanged = true;
                        throw e;
                    }
                    claimed.stream().filter(row -> !claimable.contains(row))
                            .forEach(row -> chatsInFlight.remove(row.chatId()));
                    claimable.forEach(this::send);
                }
                await(nanosToWait(window, now, claimed.isEmpty()));
            } catch (RuntimeException e) {
                log.error("Delivery loop failed; going on in a second", e);
                await(IDLE_WAIT_NANOS);
            }
        }
        // Let the requests on the wire finish and record them, so a clean stop sends nothing twice.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopGraceMillis);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            recordCompleted();
        } catch (RuntimeException e) {
            log.warn("Could not record the last answers: {}", e.getMessage());
        }
    }

    /** Picks the rows to send now, in queue order, within every limit. */
    private List<OutboxRow> claim(List<OutboxRow> window, long now) {
        List<OutboxRow> claimed = new ArrayList<>();
        if (now < globalPausedUntil) {
            return claimed;
        }
        long wallNow = clock.millis();
        Set<Long> heldChats = new HashSet<>();
        for (Iterator<OutboxRow> rows = window.iterator(); rows.hasNext(); ) {
            OutboxRow row = rows.next();
            if (inFlight.get() + claimed.size() >= limits.maxInFlight()) {
                break;
            }
            long chat = row.chatId();
            if (heldChats.contains(chat) || chatsInFlight.contains(chat)) {
                heldChats.add(chat);
                continue;
            }
            if (row.nextAttemptAt().toEpochMilli() > wallNow || chatPausedUntil.getOrDefault(chat, 0L) > now) {
                // A message waiting to retry holds back the later ones of its chat.
                heldChats.add(chat);
                continue;
            }
            if (!global.tryTake(now)) {
                break;
            }
            // A button answer or a menu is not a chat message: it keeps its place in the chat's order but spends no token.
            boolean chatMessage = OutgoingCodec.isChatMessage(row.method());
            if (chatMessage && !chatBucket(chat, now).tryTake(now)) {
                global.giveBack();
                heldChats.add(chat);
                continue;
            }
            claimed.add(row);
            rows.remove();
            chatsInFlight.add(chat);
            heldChats.add(chat);
        }
        return claimed;
    }

    private void send(OutboxRow row) {
        inFlight.incrementAndGet();
        OutgoingMessage message;
        try {
            message = OutgoingCodec.decode(row.method(), row.chatId(), row.payload());
        } catch (RuntimeException e) {
            completed.add(new Completed(row, new DeliveryResult.Rejected("unreadable outbox row: " + e.getMessage())));
            inFlight.decrementAndGet();
            return;
        }
        transport.deliver(message).whenComplete((result, error) -> {
            completed.add(new Completed(row, error == null ? result
                    : new DeliveryResult.TransientFailure(String.valueOf(error.getMessage()))));
            inFlight.decrementAndGet();
            signal();
        });
    }

    /** Writes the answers received since the last round in one transaction, and adjusts the limiter. */
    private void recordCompleted() {
        List<Completed> batch = new ArrayList<>();
        for (Completed item; (item = completed.poll()) != null; ) {
            batch.add(item);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            record(batch);
        } catch (RuntimeException e) {
            // Keep the answers for the next round: dropping them would leave rows in flight, sent again at restart.
            completed.addAll(batch);
            throw e;
        }
        batch.forEach(item -> chatsInFlight.remove(item.row().chatId()));
    }

    private void record(List<Completed> batch) {
        long now = System.nanoTime();
        long wallNow = clock.millis();
        outbox.jdbi().useTransaction(handle -> {
            PreparedBatch sent = handle.prepareBatch("""
                    UPDATE outbox SET status = 'sent', sent_at = :now, last_error = NULL, sent_message_id = :messageId
                    WHERE id = :id""");
            PreparedBatch retry = handle.prepareBatch("""
                    UPDATE outbox SET status = 'pending', next_attempt_at = :at, last_error = :error,
                                      attempts = attempts - :free WHERE id = :id""");
            PreparedBatch failed = handle.prepareBatch(
                    "UPDATE outbox SET status = 'failed', last_error = :error WHERE id = :id");
            for (Completed item : batch) {
                OutboxRow row = item.row();
                DeliveryResult result = item.result();
                if (result instanceof DeliveryResult.Delivered delivered) {
                    sent.bind("now", wallNow).bind("messageId", delivered.messageId().orElse(null))
                            .bind("id", row.id()).add();
                    accepted(now);
                } else if (result instanceof DeliveryResult.RetryAfter retryAfter) {
                    throttled(row.chatId(), retryAfter.delay(), now);
                    // A 429 is Telegram pacing us, not a failed attempt: it does not count toward the limit.
                    retry.bind("at", wallNow + retryAfter.delay().toMillis()).bind("error", "429 retry after "
                            + retryAfter.delay().toSeconds() + " s").bind("free", 1).bind("id", row.id()).add();
                    queueChanged = true;
                } else if (result instanceof DeliveryResult.Blocked blocked) {
                    markBlocked(handle, row.chatId(), blocked.reason());
                    queueChanged = true;
                } else if (result instanceof DeliveryResult.ChatMigrated migrated) {
                    // Only this row and the queued ones: others of the chat on the wire get their own answer.
                    handle.createUpdate("UPDATE outbox SET chat_id = :new, status = 'pending' WHERE chat_id = :old "
                                    + "AND (status = 'pending' OR id = :id)")
                            .bind("new", migrated.newChatId()).bind("old", row.chatId()).bind("id", row.id()).execute();
                    handle.createUpdate("UPDATE outbox SET attempts = attempts - 1 WHERE id = :id")
                            .bind("id", row.id()).execute();
                    queueChanged = true;
                } else if (result instanceof DeliveryResult.Rejected rejected) {
                    log.warn("Telegram refused outbox message {} to chat {}: {}", row.id(), row.chatId(),
                            rejected.reason());
                    failed.bind("error", rejected.reason()).bind("id", row.id()).add();
                } else if (result instanceof DeliveryResult.TransientFailure failure) {
                    if (row.attempts() + 1 >= limits.maxAttempts()) {
                        failed.bind("error", "gave up after " + (row.attempts() + 1) + " attempts: " + failure.reason())
                                .bind("id", row.id()).add();
                    } else {
                        retry.bind("at", wallNow + backoff(row.attempts() + 1).toMillis())
                                .bind("error", failure.reason()).bind("free", 0).bind("id", row.id()).add();
                    }
                    queueChanged = true; // the row is back in the queue: it holds its chat's later messages
                }
            }
            for (PreparedBatch statements : List.of(sent, retry, failed)) {
                if (statements.size() > 0) {
                    statements.execute();
                }
            }
        });
        forgetIdleBuckets(now);
    }

    /** Drops the chat's queued messages and marks its user blocked, so audiences skip them until they write again. */
    private void markBlocked(Handle handle, long chatId, String reason) {
        handle.createUpdate("""
                        UPDATE outbox SET status = 'blocked', last_error = :reason
                        WHERE chat_id = :chat AND status IN ('pending', 'in_flight')""")
                .bind("reason", reason).bind("chat", chatId).execute();
        handle.createUpdate("UPDATE users SET status = 'blocked', updated_at = :now WHERE telegram_id = :chat")
                .bind("now", clock.millis()).bind("chat", chatId).execute();
        log.info("Chat {} blocked the bot ({}); its messages are dropped", chatId, reason);
    }

    /** A 429 pauses the chat; a second chat throttled within a second means the global limit: pause all. */
    private void throttled(long chatId, Duration wait, long now) {
        long until = now + wait.toNanos();
        chatPausedUntil.merge(chatId, until, Math::max);
        boolean recentOther = last429At != Long.MIN_VALUE && now - last429At < GLOBAL_429_WINDOW_NANOS
                && last429Chat != chatId;
        if (recentOther && now >= globalPausedUntil) {
            globalPausedUntil = until;
            globalRate = Math.max(1, globalRate / 2);
            global.changeRate(globalRate, globalBurst(globalRate), now);
            global.drain(now);
            acceptedSinceRaise = 0;
            log.warn("Telegram throttles the bot as a whole; pausing all sending for {} s, then {} messages/s",
                    wait.toSeconds(), String.format("%.1f", globalRate));
        }
        last429At = now;
        last429Chat = chatId;
    }

    private void accepted(long now) {
        if (globalRate >= limits.perSecond()) {
            return;
        }
        acceptedSinceRaise++;
        if (acceptedSinceRaise >= globalRate) {
            globalRate = Math.min(limits.perSecond(), globalRate * 1.25);
            global.changeRate(globalRate, globalBurst(globalRate), now);
            acceptedSinceRaise = 0;
        }
    }

    /** Enough saved tokens to catch up after a slow round, few enough to stay inside Telegram's own burst. */
    private static double globalBurst(double rate) {
        return Math.max(1, rate / 20);
    }

    /** Exponential backoff with jitter: about 1 s, 2 s, 4 s, ... up to the maximum, each 50-100 % of that. */
    private Duration backoff(int attempt) {
        long base = limits.firstRetry().toMillis() << Math.min(20, attempt - 1);
        long capped = Math.min(base, limits.maxRetry().toMillis());
        return Duration.ofMillis(capped / 2 + (long) (jitter.nextDouble() * capped / 2));
    }

    private TokenBucket chatBucket(long chatId, long now) {
        return chatBuckets.computeIfAbsent(chatId, id -> id < 0
                // Groups: the per-minute limit, with the per-chat burst.
                ? new TokenBucket(CHAT_MARGIN * Math.min(limits.perChatPerSecond(), limits.groupPerMinute() / 60.0),
                limits.perChatBurst(), now)
                : new TokenBucket(CHAT_MARGIN * limits.perChatPerSecond(), limits.perChatBurst(), now));
    }

    private void forgetIdleBuckets(long now) {
        if (chatBuckets.size() > 10_000) {
            chatBuckets.entrySet().removeIf(entry -> !chatsInFlight.contains(entry.getKey()) && entry.getValue().isFull(now));
        }
        chatPausedUntil.values().removeIf(until -> until <= now);
    }

    private long nanosToWait(List<OutboxRow> window, long now, boolean idle) {
        if (window.isEmpty()) {
            // New rows wake the loop; until then only answers in flight need it.
            return inFlight.get() > 0 ? TimeUnit.MILLISECONDS.toNanos(20) : IDLE_WAIT_NANOS;
        }
        if (now < globalPausedUntil) {
            return globalPausedUntil - now;
        }
        // Rows are waiting: come back when the next token is there, but not sooner than a tick, so that each
        // round claims several messages in one write transaction rather than one each.
        long token = global.nanosUntilToken(now);
        return Math.max(MIN_TICK_NANOS, Math.min(token, TimeUnit.MILLISECONDS.toNanos(idle ? 50 : 10)));
    }

    private boolean takeSignal() {
        lock.lock();
        try {
            boolean was = signalled;
            signalled = false;
            return was;
        } finally {
            lock.unlock();
        }
    }

    private void await(long nanos) {
        lock.lock();
        try {
            if (!signalled && running) {
                wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private record Completed(OutboxRow row, DeliveryResult result) {
    }
}

package org.forumgateway.delivery;

import org.forumgateway.chat.DeliveryResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The pacing policy: which queued rows may go now, when to look again, and what each answer means for the row and
 * for the limits. A global rate, a rate per chat with short bursts, a per-minute rate for groups, one message in
 * flight per chat so a chat's messages arrive in order (button answers aside), replies ahead of bulk traffic and
 * on credit of the global rate; 429 pauses the chat (everyone, with the global rate halved and then raised again,
 * when several chats get it at once), 5xx and network errors retry with exponential backoff and jitter up to a
 * number of attempts. Pure: rates and pauses are measured on the injected {@link Ticker}, retry times on the
 * {@link Clock}, jitter drawn from the injected random source; no I/O, no threads. Not thread-safe: the engine's
 * one thread owns it.
 */
final class Pacing {
    /** Two chats throttled this close together mean the global limit, not one chat's. */
    private static final long GLOBAL_429_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A chat's limit is exact at Telegram (one a second after a burst); requests arrive with network jitter, so
     * a chat's messages are spaced a tenth wider than the limit to stay clear of 429.
     */
    private static final double CHAT_MARGIN = 0.9;
    /**
     * A button's answer is worth sending only while the button still spins: Telegram refuses answers to presses
     * older than about 15 seconds. Three tries back off about 3 s in all, then it stops (not minutes later).
     */
    static final int ANSWER_ATTEMPTS = 3;
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long BUSY_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long IDLE_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int FORGET_BUCKETS_ABOVE = 10_000;
    /**
     * Someone waiting for a reply must not wait for a broadcast's tokens: an interactive row (a reply, a button
     * answer, a redrawn card) may take the global token on credit, the bucket going up to a tenth of a second's
     * worth of messages below empty (at least one, at most {@value #MAX_REPLY_CREDIT}), and bulk rows, which need
     * a whole saved token, repay that debt by waiting longer. So a reply leaves at once even while a broadcast uses
     * the whole rate, and over any stretch of time the bot sends no more than the rate allows plus that bounded
     * debt plus the bucket's burst: at 30/s at most 3 + 2 messages ahead of the rate. That stays one message inside
     * a fifth of a second's worth (6), the short burst Telegram tolerates, because arrivals bunch up on the way
     * (network jitter, a thread scheduled late at either end): with a credit of 3 the bot could use the whole burst,
     * and the fake Bot API answered one send 429 in three of eleven full-path benchmark runs. A reservation (a
     * share of the rate kept free for replies) would slow every broadcast to keep a reserve that is nearly always
     * idle; credit costs bulk traffic only what replies use. Per-chat limits, one message in flight per chat and a
     * global pause after 429 still hold for replies.
     */
    private static final double MAX_REPLY_CREDIT = 2;

    private final DeliveryLimits limits;
    private final Ticker ticker;
    private final Clock clock;
    private final RandomGenerator jitter;

    private final Set<Long> chatsInFlight = new HashSet<>();
    private final Map<Long, TokenBucket> chatBuckets = new HashMap<>();
    private final Map<Long, Long> chatPausedUntil = new HashMap<>();
    private final TokenBucket global;
    /**
     * The overall rate in use: the configured one until Telegram throttles the bot as a whole, then halved at each
     * such answer and raised again by a quarter after each second's worth of accepted messages (AIMD), so the
     * engine settles just under the rate Telegram really allows.
     */
    private double globalRate;
    private int acceptedSinceRaise;
    private long globalPausedUntil;
    private long last429At = Long.MIN_VALUE;
    private long last429Chat;
    /** The last claim left an interactive row waiting for the global bucket: its credit was spent. */
    private boolean replyWaitsForToken;

    Pacing(DeliveryLimits limits, Ticker ticker, Clock clock, RandomGenerator jitter) {
        this.limits = limits;
        this.ticker = ticker;
        this.clock = clock;
        this.jitter = jitter;
        this.globalRate = limits.perSecond();
        this.global = new TokenBucket(globalRate, globalBurst(globalRate), ticker.nanos());
    }

    /**
     * Picks the rows to send now, in the window's order, within every limit, and takes them out of the window. The
     * chats of the rows picked count as in flight until {@link #settled} or {@link #released}.
     *
     * @param window    queued rows in sending order (interactive first, then oldest first)
     * @param onTheWire requests already sent and not answered yet
     */
    List<OutboxRow> claim(List<OutboxRow> window, int onTheWire) {
        List<OutboxRow> claimed = new ArrayList<>();
        long now = ticker.nanos();
        replyWaitsForToken = false;
        if (now < globalPausedUntil) {
            return claimed;
        }
        long wallNow = clock.millis();
        Set<Long> heldChats = new HashSet<>();
        for (Iterator<OutboxRow> rows = window.iterator(); rows.hasNext(); ) {
            OutboxRow row = rows.next();
            if (onTheWire + claimed.size() >= limits.maxInFlight()) {
                break;
            }
            long chat = row.chatId();
            // A button answer (or a command menu) is not a chat message: it stops the button's spinner and shows nothing in the chat,
            // so it neither waits for the chat's messages nor holds them back (a card is redrawn without waiting
            // for the answer's round trip), and it spends no chat token.
            boolean chatMessage = isChatMessage(row);
            if (chatMessage && (heldChats.contains(chat) || chatsInFlight.contains(chat))) {
                heldChats.add(chat);
                continue;
            }
            if (row.nextAttemptAt().toEpochMilli() > wallNow || chatPausedUntil.getOrDefault(chat, 0L) > now) {
                // A message waiting to retry holds back the later ones of its chat.
                if (chatMessage) {
                    heldChats.add(chat);
                }
                continue;
            }
            boolean interactive = row.priority() == Outbox.INTERACTIVE;
            if (!global.tryTake(now, interactive ? replyCredit() : 0)) {
                // Interactive rows come first and need less of the bucket: no later row could go either.
                replyWaitsForToken = interactive;
                break;
            }
            if (chatMessage && !chatBucket(chat, now).tryTake(now)) {
                global.giveBack();
                heldChats.add(chat);
                continue;
            }
            claimed.add(row);
            rows.remove();
            if (chatMessage) {
                chatsInFlight.add(chat);
                heldChats.add(chat);
            }
        }
        return claimed;
    }

    /**
     * A claimed row was not sent after all (recalled, or expired, meanwhile): its chat may send again, and the
     * tokens it took go back, since Telegram never saw it. Thousands of reminders that expired while the bot was
     * down would otherwise cost the live traffic minutes of the limit.
     */
    void released(OutboxRow row) {
        global.giveBack();
        if (isChatMessage(row)) {
            chatsInFlight.remove(row.chatId());
            TokenBucket bucket = chatBuckets.get(row.chatId());
            if (bucket != null) {
                bucket.giveBack();
            }
        }
    }

    /**
     * Decides what becomes of a row after Telegram's answer, and adjusts the limits: an accepted message may raise a
     * lowered global rate, a 429 pauses the chat (and everyone when it is the second chat within a second).
     */
    AfterAnswer judge(OutboxRow row, DeliveryResult result) {
        long now = ticker.nanos();
        long wallNow = clock.millis();
        if (result instanceof DeliveryResult.Delivered delivered) {
            accepted(now);
            return new AfterAnswer.Sent(delivered.messageId());
        }
        if (result instanceof DeliveryResult.RetryAfter retryAfter) {
            throttled(row.chatId(), retryAfter.delay(), now);
            return new AfterAnswer.Retry(Instant.ofEpochMilli(wallNow + retryAfter.delay().toMillis()),
                    "429 retry after " + retryAfter.delay().toSeconds() + " s", false);
        }
        if (result instanceof DeliveryResult.Blocked blocked) {
            return new AfterAnswer.Blocked(blocked.reason());
        }
        if (result instanceof DeliveryResult.ChatMigrated migrated) {
            return new AfterAnswer.Migrated(migrated.newChatId());
        }
        if (result instanceof DeliveryResult.Rejected rejected) {
            return new AfterAnswer.Fail(rejected.reason());
        }
        DeliveryResult.TransientFailure failure = (DeliveryResult.TransientFailure) result;
        int attempt = row.attempts() + 1;
        if (attempt >= (OutgoingCodec.isButtonAnswer(row.method()) ? ANSWER_ATTEMPTS : limits.maxAttempts())) {
            return new AfterAnswer.Fail("gave up after " + attempt + " attempts: " + failure.reason());
        }
        return new AfterAnswer.Retry(Instant.ofEpochMilli(wallNow + backoff(attempt).toMillis()),
                failure.reason(), true);
    }

    /** The answer of a row is written down: its chat may send its next message. */
    void settled(OutboxRow row) {
        if (isChatMessage(row)) {
            chatsInFlight.remove(row.chatId());
        }
    }

    private static boolean isChatMessage(OutboxRow row) {
        return OutgoingCodec.isChatMessage(row.method());
    }

    /** Forgets pauses that ended and, when there are many, the buckets of idle chats, so memory stays bounded. */
    void forgetIdle() {
        long now = ticker.nanos();
        if (chatBuckets.size() > FORGET_BUCKETS_ABOVE) {
            chatBuckets.entrySet().removeIf(entry -> !chatsInFlight.contains(entry.getKey())
                    && entry.getValue().isFull(now));
        }
        chatPausedUntil.values().removeIf(until -> until <= now);
    }

    /**
     * How long to wait before claiming again while rows are queued: until a global pause ends, else until the next
     * token (with credit when a reply waits for it), but not sooner than a tick, so that each round claims several
     * messages in one write rather than one each. A reply queued meanwhile wakes the engine at once.
     *
     * @param claimedNothing the last claim found nothing to send
     */
    long nanosToWait(boolean claimedNothing) {
        long now = ticker.nanos();
        if (now < globalPausedUntil) {
            return globalPausedUntil - now;
        }
        long token = global.nanosUntilToken(now, replyWaitsForToken ? replyCredit() : 0);
        return Math.max(MIN_TICK_NANOS, Math.min(token, claimedNothing ? IDLE_TICK_NANOS : BUSY_TICK_NANOS));
    }

    /** The overall rate in use now, in messages a second. */
    double globalRate() {
        return globalRate;
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
            global.drainUntil(now, until);
            acceptedSinceRaise = 0;
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

    /** How far into debt an interactive row may take the global bucket, at the rate in use now. */
    private double replyCredit() {
        return Math.min(MAX_REPLY_CREDIT, Math.max(1, globalRate / 10));
    }

    /**
     * Enough saved tokens that a round which wakes up to a tenth of a second late (a thread not scheduled on a busy
     * machine) loses none of the rate, few enough to stay inside Telegram's own burst: a tenth of a second's worth
     * at any rate (3 at 30/s), at least one. With a twentieth (1.5 at 30/s) a round 40 ms late already lost part of
     * a token, and on a loaded 2-core machine a 3,000-message broadcast at 30/s lost 2-3 % of the limit that way.
     */
    private static double globalBurst(double rate) {
        return Math.max(1, rate / 10);
    }

    /** Exponential backoff with jitter: about 1 s, 2 s, 4 s, ... up to the maximum, each 50-100 % of that. */
    private Duration backoff(int attempt) {
        long base = limits.firstRetry().toMillis() << Math.min(20, attempt - 1);
        long capped = Math.min(base, limits.maxRetry().toMillis());
        return Duration.ofMillis(capped / 2 + (long) (jitter.nextDouble() * capped / 2));
    }

    private TokenBucket chatBucket(long chatId, long now) {
        return chatBuckets.computeIfAbsent(chatId, id -> id < 0
                ? new TokenBucket(CHAT_MARGIN * Math.min(limits.perChatPerSecond(), groupRatePerSecond()),
                groupBurst(), now)
                : new TokenBucket(CHAT_MARGIN * limits.perChatPerSecond(), limits.perChatBurst(), now));
    }

    /**
     * A group's burst: the per-chat one, but at most a quarter of the group's minute. Fractional below that, so that
     * a higher per-minute setting never gives a lower rate.
     */
    private double groupBurst() {
        return Math.max(1, Math.min(limits.perChatBurst(), limits.groupPerMinute() / 4));
    }

    /**
     * A group's rate after its burst. A minute that starts with the burst must hold no more than the per-minute
     * limit, so the burst comes out of the minute's allowance: at 20 a minute with bursts of 3, 17 a minute follow
     * it. (At the full 20 a minute, spaced a tenth wider, a minute that began with the burst held 20: the limit
     * itself, with nothing left for network jitter.)
     */
    private double groupRatePerSecond() {
        double perMinute = limits.groupPerMinute();
        return Math.max(perMinute - groupBurst(), perMinute / 2) / 60.0;
    }
}

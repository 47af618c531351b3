package org.forumgateway.delivery;

import org.forumgateway.chat.DeliveryResult;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.chat.Transport;
import org.forumgateway.storage.WriteLane;
import org.forumgateway.webhooks.WebhookEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Sends what the outbox holds, as fast as Telegram allows and no faster. The rules (rates, bursts, one message in
 * flight per chat, what each answer means) are {@link Pacing}'s; this class is the thread around them: it reads
 * the queue through {@link DeliveryStore}, hands claimed rows to the transport, and writes the answers back in
 * batches. One thread owns the policy and the queue window; answers arrive on the transport's threads.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final int QUEUE_WINDOW = 500;
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ANSWER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The window in memory is read again at least this often, for rows whose retry time came. */
    private static final long WINDOW_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * Below this many rows, newly queued bulk rows are read at once: more than the highest rate sends before the
     * window's next reading (200/s for half a second).
     */
    private static final int WINDOW_LOW = QUEUE_WINDOW / 2;
    /** Answers are written back in batches: when this many wait, or this long after the last batch. */
    private static final int RECORD_BATCH = 64;
    private static final long RECORD_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final DeliveryStore store;
    private final Transport transport;
    private final DeliveryLimits limits;
    private final Clock clock;
    private final Ticker ticker;
    private final RandomGenerator jitter;

    private final ReentrantLock lock = new ReentrantLock();
    /** Failed rounds in a row, and when the first of them failed: only the loop's thread reads and writes them. */
    private int failedRounds;
    /** When the current run of failed rounds began, for /healthz; null while rounds work. */
    private volatile Instant failingSince;
    private final Condition wake = lock.newCondition();
    private final Condition roundDone = lock.newCondition();
    private boolean signalled;
    /** Rounds of the loop begun, and the number of the last one finished (guarded by the lock). */
    private final AtomicLong roundsBegun = new AtomicLong();
    private long lastRoundDone;
    /**
     * Queued rows changed (an answer put one back, a claim failed, an announcement waits for a round that reads
     * it): read the queue again instead of the window in memory.
     */
    private volatile boolean queueChanged = true;
    /** Bulk rows were queued since the window was read ({@link #wake}). */
    private volatile boolean bulkQueued;
    /** Replies were queued, and nothing else: reading the interactive rows again is enough. */
    private volatile boolean repliesQueued;
    private volatile boolean running;
    private volatile long stopGraceMillis = 2_000;
    private Thread thread;
    /** Owned by the engine's thread; made anew at each start. */
    private Pacing pacing;

    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    /** Answers judged but not yet written: kept across a failed write, so each answer is judged once. */
    private final List<DeliveryStore.Answered> unrecorded = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** An interactive row was answered: record at once, its chat's next reply may be waiting for it. */
    private volatile boolean replyAnswered;
    private long recordedAt;
    /** Answers to bulk rows were recorded since the queue last ran dry (owned by the engine's thread). */
    private boolean bulkSettled;
    private final List<Runnable> whenBulkDrained = new CopyOnWriteArrayList<>();

    public DeliveryEngine(Outbox outbox, Transport transport, DeliveryLimits limits, Clock clock) {
        this(outbox, transport, limits, clock, WebhookEvents.none());
    }

    /** With {@code webhooks} told of blocked users and of messages failed for good, in the same transaction. */
    public DeliveryEngine(Outbox outbox, Transport transport, DeliveryLimits limits, Clock clock,
                          WebhookEvents webhooks) {
        this(outbox, transport, limits, clock, webhooks, AcceptedInGroup.none(), AcceptedAfterCancel.none());
    }

    /**
     * With {@code acceptedInGroup} told of each message accepted in a group (to pin it), and
     * {@code acceptedAfterCancel} of each accepted after its notification was cancelled (to delete it), in the
     * transaction that records the answer.
     */
    public DeliveryEngine(Outbox outbox, Transport transport, DeliveryLimits limits, Clock clock,
                          WebhookEvents webhooks, AcceptedInGroup acceptedInGroup,
                          AcceptedAfterCancel acceptedAfterCancel) {
        this(new DeliveryStore(outbox, clock, webhooks, acceptedInGroup, acceptedAfterCancel), transport, limits,
                clock, Ticker.system(), new Random());
    }

    DeliveryEngine(DeliveryStore store, Transport transport, DeliveryLimits limits, Clock clock, Ticker ticker,
                   RandomGenerator jitter) {
        this.store = store;
        this.transport = transport;
        this.limits = limits;
        this.clock = clock;
        this.ticker = ticker;
        this.jitter = jitter;
    }

    /** Puts rows a crash left in flight back in the queue and starts sending. */
    public void start() {
        int requeued = store.requeueInFlight();
        if (requeued > 0) {
            log.info("{} messages were in flight when the bot last stopped; sending them again", requeued);
        }
        pacing = new Pacing(limits, ticker, clock, jitter);
        running = true;
        thread = new Thread(this::run, "delivery-engine");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Bulk messages were queued: look at the queue now rather than at the next tick, unless the window still holds
     * plenty to send. New bulk rows come after every row in it (the queue is sent in order), so they can wait for
     * the window's next reading; reading 500 rows after every commit of a burst of API messages took a fifth of a
     * core from the writers on two cores.
     */
    public void wake() {
        bulkQueued = true;
        signal();
    }

    /**
     * Wakes the engine and waits, at most {@code maxWait}, until it has read the queue and sent what it may. For a
     * long run of queueing transactions: between two of them the engine gets the database's write lock to claim
     * rows, rather than losing it to the next one, so sending starts at once and keeps its rate.
     */
    public void wakeAndAwaitRound(Duration maxWait) {
        queueChanged = true;
        lock.lock();
        try {
            // The round under way may have read the queue before our rows were committed: wait for the next one.
            long round = roundsBegun.get() + 1;
            signalled = true;
            wake.signalAll();
            long nanos = maxWait.toNanos();
            while (running && lastRoundDone < round && nanos > 0) {
                nanos = roundDone.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reply was queued: read the interactive rows now, which come first, and keep the rest of the window. Reading
     * the whole window (hundreds of rows while a broadcast waits) for every reply delayed each one.
     */
    public void wakeForReply() {
        repliesQueued = true;
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

    /**
     * Runs {@code task} on the engine's thread each time the last bulk message sendable now has been answered and
     * recorded: a broadcast, an edit or a batch of API messages has likely just ended, and whoever reports on them
     * need not wait for their next round. Keep it short: sending waits for it.
     */
    public void whenBulkDrained(Runnable task) {
        whenBulkDrained.add(task);
    }

    /** A task's failure must not stop sending, nor keep the other tasks from running. */
    private static void runDrainedTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("A task run when the queue ran dry failed: {}", e.toString());
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
        // Bookkeeping nobody waits on write by write; a waiting reply is written by its handler's own transaction.
        WriteLane.BACKGROUND.enter();
        List<OutboxRow> window = new ArrayList<>();
        long windowReadAt = 0;
        while (running) {
            long round = roundsBegun.incrementAndGet();
            try {
                long now = ticker.nanos();
                if (replyAnswered || answers.size() >= RECORD_BATCH || now - recordedAt >= RECORD_EVERY_NANOS
                        || inFlight.get() == 0) {
                    replyAnswered = false;
                    recordAnswers();
                    recordedAt = now;
                }
                clearSignal();
                if (queueChanged || (bulkQueued && window.size() < WINDOW_LOW)
                        || now - windowReadAt > WINDOW_MAX_AGE_NANOS) {
                    queueChanged = false;
                    bulkQueued = false;
                    repliesQueued = false;
                    window = new ArrayList<>(store.queued(QUEUE_WINDOW));
                    windowReadAt = now;
                } else if (repliesQueued) {
                    repliesQueued = false;
                    window = withReplies(store.queuedReplies(QUEUE_WINDOW), window);
                }
                List<OutboxRow> claimed = pacing.claim(window, inFlight.get());
                if (!claimed.isEmpty()) {
                    sendClaimed(claimed);
                }
                if (bulkSettled && window.isEmpty() && inFlight.get() == 0 && answers.isEmpty()
                        && unrecorded.isEmpty()) {
                    bulkSettled = false;
                    whenBulkDrained.forEach(DeliveryEngine::runDrainedTask);
                }
                finishRound(round);
                worksAgain();
                await(window.isEmpty()
                        // New rows wake the loop; until then only answers in flight need it.
                        ? (inFlight.get() > 0 ? ANSWER_WAIT_NANOS : IDLE_WAIT_NANOS)
                        : pacing.nanosToWait(claimed.isEmpty()));
            } catch (RuntimeException e) {
                finishRound(round);
                failed(e);
                pauseAfterFailure();
            }
        }
        // Let the requests on the wire finish and record them, so a clean stop sends nothing twice.
        long deadline = ticker.nanos() + TimeUnit.MILLISECONDS.toNanos(stopGraceMillis);
        while (inFlight.get() > 0 && ticker.nanos() < deadline && awaitAnswer(deadline)) {
            // each answer signals; its result is recorded below
        }
        try {
            recordAnswers();
        } catch (RuntimeException e) {
            log.warn("Could not record the last answers: {}", e.getMessage());
        }
    }

    /** The window with its interactive rows (they come first) replaced by {@code replies}, read just now. */
    private static List<OutboxRow> withReplies(List<OutboxRow> replies, List<OutboxRow> window) {
        List<OutboxRow> merged = new ArrayList<>(replies);
        window.stream().filter(row -> row.priority() != Outbox.INTERACTIVE).forEach(merged::add);
        return merged;
    }

    /** Marks the claimed rows in flight and sends those still pending (one may have been cancelled meanwhile). */
    private void sendClaimed(List<OutboxRow> claimed) {
        List<Outbox.Claimed> sendable;
        try {
            sendable = store.markInFlight(claimed);
        } catch (RuntimeException e) {
            claimed.forEach(pacing::released);
            queueChanged = true;
            throw e;
        }
        Set<OutboxRow> marked = sendable.stream().map(Outbox.Claimed::row).collect(Collectors.toSet());
        claimed.stream().filter(row -> !marked.contains(row)).forEach(pacing::released);
        sendable.forEach(this::send);
    }

    private void send(Outbox.Claimed claimed) {
        OutboxRow row = claimed.row();
        inFlight.incrementAndGet();
        OutgoingMessage message;
        try {
            message = OutgoingCodec.decode(row.method(), row.chatId(), claimed.payload());
        } catch (RuntimeException e) {
            answers.add(new Answer(row, new DeliveryResult.Rejected("unreadable outbox row: " + e.getMessage()),
                    clock.instant()));
            inFlight.decrementAndGet();
            return;
        }
        Instant sentAt = clock.instant();
        transport.deliver(message).whenComplete((result, error) -> {
            answers.add(new Answer(row, error == null ? result
                    : new DeliveryResult.TransientFailure(String.valueOf(error.getMessage())), sentAt));
            if (row.priority() == Outbox.INTERACTIVE) {
                replyAnswered = true;
            }
            inFlight.decrementAndGet();
            signal();
        });
    }

    /** Judges the answers received since the last round and writes them in one transaction. */
    private void recordAnswers() {
        double rateBefore = pacing.globalRate();
        for (Answer answer; (answer = answers.poll()) != null; ) {
            AfterAnswer outcome = pacing.judge(answer.row(), answer.result());
            unrecorded.add(new DeliveryStore.Answered(answer.row(), outcome, answer.sentAt()));
            if (outcome.changesQueue()) {
                queueChanged = true;
            }
        }
        if (pacing.globalRate() < rateBefore) {
            log.warn("Telegram throttles the bot as a whole; pausing all sending, then {} messages/s",
                    String.format("%.1f", pacing.globalRate()));
        }
        if (unrecorded.isEmpty()) {
            return;
        }
        // On failure the answers stay for the next round: dropping them would leave rows in flight, sent again
        // at restart.
        store.record(unrecorded);
        unrecorded.forEach(answered -> pacing.settled(answered.row()));
        bulkSettled |= unrecorded.stream().anyMatch(answered -> answered.row().priority() != Outbox.INTERACTIVE);
        unrecorded.clear();
        pacing.forgetIdle();
    }

    /**
     * A round failed (the database locked by another process, or full): the first failure of a run of them is
     * logged with its cause, the rest only counted, so an outage of minutes is one line and not one a second.
     */
    private void failed(RuntimeException e) {
        if (failedRounds++ == 0) {
            failingSince = clock.instant();
            log.error("Delivery loop failed; it tries again every second, logging once it works again", e);
        } else {
            log.debug("Delivery loop failed again: {}", e.getMessage());
        }
    }

    private void worksAgain() {
        if (failedRounds > 0) {
            log.info("Delivery loop works again, after {} failed rounds over {} s", failedRounds,
                    Duration.between(failingSince, clock.instant()).toSeconds());
            failedRounds = 0;
            failingSince = null;
        }
    }

    /** Since when every round has failed (nothing can be sent or recorded), if they do now. */
    public Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    /** A second before the next try, whatever wakes the loop meanwhile (new messages would fail the same way). */
    private void pauseAfterFailure() {
        lock.lock();
        try {
            long left = IDLE_WAIT_NANOS;
            while (running && left > 0) {
                left = wake.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void finishRound(long round) {
        lock.lock();
        try {
            lastRoundDone = round;
            roundDone.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void clearSignal() {
        lock.lock();
        try {
            signalled = false;
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

    /** While stopping: waits for the next answer (each one signals), at most until the deadline; false if interrupted. */
    private boolean awaitAnswer(long deadline) {
        lock.lock();
        try {
            if (!signalled) {
                wake.awaitNanos(Math.min(ANSWER_WAIT_NANOS, deadline - ticker.nanos()));
            }
            signalled = false;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** An answer from the transport, not yet judged. */
    private record Answer(OutboxRow row, DeliveryResult result, Instant sentAt) {
    }
}

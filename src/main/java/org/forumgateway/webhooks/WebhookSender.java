package org.forumgateway.webhooks;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.forumgateway.metrics.WebhookOutcome;
import org.forumgateway.storage.WriteLane;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends queued webhooks. Each round asks the queue which rows are due by the clock and hands them to a pool of
 * senders, at most {@link #PER_ENDPOINT} per endpoint at a time and with a thread for each of those slots, so a slow
 * endpoint holds its own slots and never another's. A row is marked delivered only after the receiver's 2xx; a
 * timeout, a refused connection or any other status is retried on the {@link RetrySchedule}. One thread runs the
 * rounds: woken when a webhook is queued or an answer recorded, else once a second.
 */
final class WebhookSender implements AutoCloseable {
    static final int PER_ENDPOINT = 4;
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Jdbi jdbi;
    private final List<WebhookEndpoint> endpoints;
    private final WebhookQueue queue;
    private final RetrySchedule retries;
    private final OutageAlerts alerts;
    private final OkHttpClient http;
    private final Clock clock;
    private final ExecutorService senders;
    private final Consumer<WebhookOutcome> attempts;

    private final Set<Long> onTheWire = ConcurrentHashMap.newKeySet();
    /**
     * Rows whose last attempt could not be recorded (the database refused the write), by when they may go again:
     * still pending and due in the table, they would otherwise be posted again at once, round after round.
     */
    private final Map<Long, Instant> unrecorded = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> busy = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    private volatile boolean running;
    private Thread thread;

    WebhookSender(Jdbi jdbi, List<WebhookEndpoint> endpoints, WebhookQueue queue, RetrySchedule retries,
                  OutageAlerts alerts, OkHttpClient http, Clock clock, Consumer<WebhookOutcome> attempts) {
        this.jdbi = jdbi;
        this.endpoints = List.copyOf(endpoints);
        this.queue = queue;
        this.retries = retries;
        this.alerts = alerts;
        this.http = http;
        this.clock = clock;
        this.attempts = attempts;
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(Math.max(1, PER_ENDPOINT * this.endpoints.size()), task -> {
            Thread sender = new Thread(() -> {
                WriteLane.BACKGROUND.enter();
                task.run();
            }, "webhook-sender-" + threads.incrementAndGet());
            sender.setDaemon(true);
            return sender;
        });
        endpoints.forEach(endpoint -> busy.put(endpoint.name(), new AtomicInteger()));
    }

    /** The HTTP client the sender is meant to have: short timeouts, no redirects (a 3xx is not a delivery). */
    static OkHttpClient httpClient(Duration connectTimeout, Duration callTimeout) {
        return new OkHttpClient.Builder()
                .connectTimeout(connectTimeout)
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                .callTimeout(callTimeout)
                .followRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }

    void start() {
        running = true;
        thread = new Thread(() -> {
            WriteLane.BACKGROUND.enter();
            run();
        }, "webhooks");
        thread.setDaemon(true);
        thread.start();
    }

    void wake() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One round: starts sending every row due now that is not already on the wire, within each endpoint's slots.
     * Each future completes once that attempt's outcome is recorded.
     */
    synchronized List<CompletableFuture<Void>> sendDue() {
        Instant now = clock.instant();
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        unrecorded.values().removeIf(until -> !until.isAfter(now));
        for (WebhookEndpoint endpoint : endpoints) {
            AtomicInteger slots = busy.get(endpoint.name());
            int free = PER_ENDPOINT - slots.get();
            if (free <= 0) {
                continue;
            }
            // Rows on the wire are still pending, so ask for enough to skip them. Which are on the wire is read
            // before the rows: an attempt is recorded before it leaves the wire, so a row that left meanwhile is
            // read as delivered, not sent a second time.
            Set<Long> wire = Set.copyOf(onTheWire);
            // Read after the wire: an attempt whose outcome could not be recorded is held back before it leaves it.
            Set<Long> heldBack = Set.copyOf(unrecorded.keySet());
            List<WebhookDelivery> due = queue.due(endpoint.name(), now, free + slots.get() + heldBack.size()).stream()
                    .filter(row -> !wire.contains(row.id()) && !heldBack.contains(row.id()))
                    .limit(free)
                    .toList();
            for (WebhookDelivery row : due) {
                onTheWire.add(row.id());
                slots.incrementAndGet();
                sending.add(CompletableFuture.runAsync(() -> attempt(endpoint, row), senders));
            }
        }
        return sending;
    }

    private void attempt(WebhookEndpoint endpoint, WebhookDelivery row) {
        try {
            Optional<String> failure = post(endpoint, row);
            record(endpoint, row, failure);
        } catch (RuntimeException e) {
            // Left pending, so it is sent again (at least once), but after the first retry delay, not next round.
            unrecorded.put(row.id(), clock.instant().plus(RetrySchedule.FIRST_DELAY));
            log.error("Could not record webhook {} to {}; it goes again in {} s", row.id(), endpoint.name(),
                    RetrySchedule.FIRST_DELAY.toSeconds(), e);
        } finally {
            onTheWire.remove(row.id());
            busy.get(endpoint.name()).decrementAndGet();
            wake();
        }
    }

    /** POSTs the row, signed; empty when the receiver answered 2xx, else what went wrong. */
    private Optional<String> post(WebhookEndpoint endpoint, WebhookDelivery row) {
        long timestamp = clock.instant().getEpochSecond();
        Request request = new Request.Builder()
                .url(endpoint.url().toString())
                .header("webhook-id", row.webhookId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", Signature.sign(endpoint.key(), row.webhookId(), timestamp, row.body()))
                .post(RequestBody.create(row.body().getBytes(StandardCharsets.UTF_8), JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            return response.isSuccessful() ? Optional.empty() : Optional.of("HTTP " + response.code());
        } catch (InterruptedIOException e) {
            return Optional.of("timeout");
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private void record(WebhookEndpoint endpoint, WebhookDelivery row, Optional<String> failure) {
        Instant now = clock.instant();
        WebhookOutcome outcome = jdbi.inTransaction(handle -> {
            if (failure.isEmpty()) {
                queue.markDelivered(handle, row.id(), now);
                alerts.succeeded(handle, endpoint.name());
                return WebhookOutcome.DELIVERED;
            } else {
                Optional<Instant> retryAt = retries.nextAttempt(row.firstAttemptAt().orElse(now), row.attempts() + 1,
                        now);
                queue.markAttemptFailed(handle, row.id(), failure.get(), retryAt, now);
                alerts.failed(handle, endpoint.name(), failure.get(), now);
                if (retryAt.isEmpty()) {
                    log.warn("Webhook {} ({}) to endpoint {} given up after {} attempts: {}", row.webhookId(),
                            row.eventType(), endpoint.name(), row.attempts() + 1, failure.get());
                }
                return retryAt.isPresent() ? WebhookOutcome.RETRIED : WebhookOutcome.FAILED;
            }
        });
        attempts.accept(outcome); // after the commit: an attempt whose outcome was not recorded is made again
    }

    private void run() {
        while (running) {
            try {
                sendDue();
            } catch (RuntimeException e) {
                log.error("Webhook round failed; trying again in a second", e);
            }
            await();
        }
    }

    private void await() {
        lock.lock();
        try {
            if (!signalled && running) {
                wake.awaitNanos(IDLE_WAIT_NANOS);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the rounds and gives the attempts on the wire {@code graceMillis} to be recorded; the rest are resent. */
    void stop(long graceMillis) {
        running = false;
        wake();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        try {
            // The rounds end first, so none starts an attempt on senders that no longer take any.
            if (thread != null) {
                thread.join(graceMillis);
            }
            senders.shutdown();
            if (!senders.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                // What is still on the wire stays pending and is sent again at the next start.
                http.dispatcher().cancelAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
    }

    @Override
    public void close() {
        stop(2_000);
    }
}

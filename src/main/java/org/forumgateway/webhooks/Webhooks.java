package org.forumgateway.webhooks;

import okhttp3.OkHttpClient;
import org.forumgateway.metrics.WebhookOutcome;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Outgoing webhooks, signed as the Standard Webhooks specification says and delivered at least once from a queue
 * in SQLite: {@link #events()} is where the bot publishes, a background sender posts and retries for a day, and
 * administrators are told in chat when an endpoint keeps failing. Without endpoints nothing runs.
 */
public final class Webhooks implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Delivered webhooks are kept a week to look into; given-up ones a month. */
    static final Duration KEEP_DELIVERED = Duration.ofDays(7);
    static final Duration KEEP_FAILED = Duration.ofDays(30);
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final List<WebhookEndpoint> endpoints;
    private final WebhookQueue queue;
    private final WebhookSender sender;
    private final WebhookEvents events;
    private final Clock clock;

    private Webhooks(List<WebhookEndpoint> endpoints, WebhookQueue queue, WebhookSender sender, WebhookEvents events,
                     Clock clock) {
        this.endpoints = List.copyOf(endpoints);
        this.queue = queue;
        this.sender = sender;
        this.events = events;
        this.clock = clock;
    }

    /** The webhooks of {@code endpoints}: events can be published at once, and are sent once {@link #start()}ed. */
    public static Webhooks create(List<WebhookEndpoint> endpoints, Jdbi jdbi, Clock clock, AdminChat admins) {
        return create(endpoints, jdbi, clock, admins, outcome -> { });
    }

    /** The same, telling {@code attempts} how each attempt to post ended once it is recorded (metrics). */
    public static Webhooks create(List<WebhookEndpoint> endpoints, Jdbi jdbi, Clock clock, AdminChat admins,
                                  Consumer<WebhookOutcome> attempts) {
        return create(endpoints, jdbi, clock, admins, WebhookSender.httpClient(CONNECT_TIMEOUT, CALL_TIMEOUT),
                new RetrySchedule(new SecureRandom()::nextDouble), attempts);
    }

    /** The same, without the sender's thread: tests run its rounds themselves. */
    static Webhooks create(List<WebhookEndpoint> endpoints, Jdbi jdbi, Clock clock, AdminChat admins,
                           OkHttpClient http, RetrySchedule retries) {
        return create(endpoints, jdbi, clock, admins, http, retries, outcome -> { });
    }

    private static Webhooks create(List<WebhookEndpoint> endpoints, Jdbi jdbi, Clock clock, AdminChat admins,
                                   OkHttpClient http, RetrySchedule retries, Consumer<WebhookOutcome> attempts) {
        WebhookQueue queue = new WebhookQueue(jdbi);
        WebhookSender sender = new WebhookSender(jdbi, endpoints, queue, retries, new OutageAlerts(admins), http, clock,
                attempts);
        return new Webhooks(endpoints, queue, sender, new WebhookEvents(endpoints, queue, clock, sender::wake), clock);
    }

    /** Starts sending what is due, including what was queued before a restart. Does nothing without endpoints. */
    public void start() {
        if (!endpoints.isEmpty()) {
            sender.start();
            log.info("Webhooks to {} endpoint(s): {}", endpoints.size(),
                    endpoints.stream().map(WebhookEndpoint::name).toList());
        }
    }

    /** Where the bot publishes events, inside its own transactions. */
    public WebhookEvents events() {
        return events;
    }

    /** Forgets webhooks delivered over a week ago and those given up over a month ago; returns how many. */
    public int purge() {
        Instant now = clock.instant();
        return queue.purge(now.minus(KEEP_DELIVERED), now.minus(KEEP_FAILED));
    }

    WebhookSender sender() {
        return sender;
    }

    /**
     * Stops sending, giving requests on the wire a second to be answered (SIGTERM must end within 10 s); webhooks not
     * yet delivered stay queued for the next start.
     */
    @Override
    public void close() {
        sender.stop(1_000);
    }
}

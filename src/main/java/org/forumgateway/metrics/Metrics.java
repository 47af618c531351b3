package org.forumgateway.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import okhttp3.Interceptor;
import org.forumgateway.chat.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The process's metrics, in one Prometheus registry: the one place that names every metric and its labels.
 * Labels take only values from small fixed sets (outcomes, HTTP statuses, route patterns), never a user, a chat,
 * a key or a raw path. Other parts call the methods below; counting never throws, so a metric can never fail a
 * request or a send. Thread-safe.
 */
public final class Metrics {
    private static final Logger log = LoggerFactory.getLogger(Metrics.class);
    /** The outbox gauge reads the database at most this often, however often Prometheus scrapes. */
    private static final Duration OUTBOX_READ_EVERY = Duration.ofSeconds(1);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final AtomicBoolean warned = new AtomicBoolean();

    private final Counter deliveries = Counter.builder()
            .name("forumgw_deliveries_total")
            .help("Bot API answers to outbox messages by outcome: sent, retried, failed, blocked, migrated, throttled")
            .labelNames("status")
            .register(registry);
    private final Counter updates = Counter.builder()
            .name("forumgw_updates_total")
            .help("Updates received from Telegram (each counted once, however often Telegram sends it)")
            .register(registry);
    private final Counter telegramErrors = Counter.builder()
            .name("forumgw_telegram_errors_total")
            .help("Bot API calls answered with an HTTP error, by status code, or without an answer (network)")
            .labelNames("code")
            .register(registry);
    private final Counter httpRequests = Counter.builder()
            .name("forumgw_http_requests_total")
            .help("Requests to the HTTP server by route pattern and answer status")
            .labelNames("route", "status")
            .register(registry);
    /**
     * Fine enough below 20 ms to tell whether a route answers within the targets the README gives (10 ms for
     * Telegram's webhook, 20 ms for the API), coarse above.
     */
    private final Histogram httpDurations = Histogram.builder()
            .name("forumgw_http_request_duration_seconds")
            .help("From a request's arrival at the HTTP server to its answer, by route pattern")
            .labelNames("route")
            .classicOnly()
            .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
            .register(registry);
    private final Counter backups = Counter.builder()
            .name("forumgw_backups_total")
            .help("Nightly backups of the database by outcome: done, failed")
            .labelNames("outcome")
            .register(registry);
    private final Counter webhookDeliveries = Counter.builder()
            .name("forumgw_webhook_deliveries_total")
            .help("Attempts to post outgoing webhooks by outcome: delivered, retried, failed (given up)")
            .labelNames("outcome")
            .register(registry);

    private Metrics() {
        // Every outcome is there from the start, at 0: rate() and alerts need the series before the first event.
        for (String status : new String[]{"sent", "retried", "failed", "blocked", "migrated", "throttled"}) {
            deliveries.initLabelValues(status);
        }
        for (WebhookOutcome outcome : WebhookOutcome.values()) {
            webhookDeliveries.initLabelValues(outcome.label());
        }
        backups.initLabelValues("done");
        backups.initLabelValues("failed");
    }

    /** Metrics with the JVM's own (memory, GC, threads, classes, CPU) registered beside forum-gateway's. */
    public static Metrics create() {
        Metrics metrics = new Metrics();
        JvmMetrics.builder().register(metrics.registry);
        return metrics;
    }

    /**
     * Reports {@code forumgw_outbox_pending} from {@code countPending} (messages not yet answered: queued or on the
     * wire), read when scraped, at most once a second. A failed read leaves the gauge out of that scrape.
     */
    public void outboxPending(LongSupplier countPending) {
        CachedCount cached = new CachedCount(countPending, OUTBOX_READ_EVERY, System::nanoTime);
        GaugeWithCallback.builder()
                .name("forumgw_outbox_pending")
                .help("Outbox messages not yet answered by the Bot API: queued or on the wire")
                .callback(callback -> safely(() -> callback.call(cached.get())))
                .register(registry);
    }

    /** {@code transport}, counting each of its answers in {@code forumgw_deliveries_total}. */
    public Transport countingDeliveries(Transport transport) {
        return new CountingTransport(transport, status -> safely(() -> deliveries.labelValues(status).inc()));
    }

    /** An OkHttp interceptor for the Bot API clients that counts error answers in forumgw_telegram_errors_total. */
    public Interceptor telegramErrors() {
        return new TelegramErrorCounter(code -> safely(() -> telegramErrors.labelValues(code).inc()));
    }

    /** {@code count} new updates arrived from Telegram. */
    public void updatesReceived(int count) {
        safely(() -> updates.inc(count));
    }

    /**
     * The HTTP server answered a request.
     *
     * @param route the pattern of the route that took it (such as {@code /calendar/{token}.ics}), or
     *              {@code unmatched}: a raw path would make the label unbounded
     */
    public void httpAnswered(String route, int status, Duration took) {
        safely(() -> httpRequests.labelValues(route, Integer.toString(status)).inc());
        safely(() -> httpDurations.labelValues(route).observe(took.toNanos() / 1e9));
    }

    /** A nightly backup was written ({@code true}) or failed: a failing backup shows only in the log otherwise. */
    public void backupEnded(boolean done) {
        safely(() -> backups.labelValues(done ? "done" : "failed").inc());
    }

    /** One attempt to post a webhook ended so. */
    public void webhookAttempted(WebhookOutcome outcome) {
        safely(() -> webhookDeliveries.labelValues(outcome.label()).inc());
    }

    /** Every metric now, in the Prometheus text format (version 0.0.4). */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Counting must never break what it counts: a failure is logged once and otherwise ignored. */
    private void safely(Runnable counting) {
        try {
            counting.run();
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("A metric could not be recorded; the figures may be short (logged once)", e);
            }
        }
    }
}

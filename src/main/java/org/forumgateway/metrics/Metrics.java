package org.forumgateway.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.forumgateway.chat.DeliveryResult;
import org.forumgateway.chat.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process's metrics in one Prometheus registry of its own (so two applications in one JVM, as in tests, do not
 * mix figures). Labels are bounded: statuses, route patterns, HTTP and Bot API codes from fixed sets; never a user
 * id, a chat id or a key. Thread-safe.
 */
public final class Metrics {
    /** Bot API error codes worth their own series; any other is "other". */
    private static final Set<String> TELEGRAM_CODES = Set.of("400", "401", "403", "404", "409", "429", "500", "502",
            "503", "504");
    private static final Pattern CODE = Pattern.compile("\\b([45]\\d\\d)\\b");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter deliveries = Counter.builder().name("forumgw_deliveries_total")
            .help("Answers of the Bot API to outgoing messages, by outcome: sent, blocked, failed, retry, throttled, "
                    + "migrated").labelNames("status").register(registry);
    private final Counter updates = Counter.builder().name("forumgw_updates_total")
            .help("Updates received from Telegram (new ones; resent ones are not counted twice)").register(registry);
    private final Counter telegramErrors = Counter.builder().name("forumgw_telegram_errors_total")
            .help("Bot API errors by HTTP code (\"network\" when there was no answer)").labelNames("code")
            .register(registry);
    private final Counter httpRequests = Counter.builder().name("forumgw_http_requests_total")
            .help("HTTP requests answered, by route pattern and status").labelNames("route", "status")
            .register(registry);
    private final Counter webhookDeliveries = Counter.builder().name("forumgw_webhook_deliveries_total")
            .help("Outgoing webhook deliveries by outcome (success, failure, gave_up)").labelNames("outcome")
            .register(registry);

    /** @param outboxPending how many outbox messages wait to be sent (read at every scrape) */
    public Metrics(LongSupplier outboxPending) {
        GaugeWithCallback.builder().name("forumgw_outbox_pending")
                .help("Outbox messages waiting to be sent, or on the wire")
                .callback(callback -> callback.call(outboxPending.getAsLong())).register(registry);
        JvmMetrics.builder().register(registry);
        // Series at zero from the start, so dashboards and rate() see them before the first event.
        for (String status : new String[] {"sent", "blocked", "failed", "retry", "throttled", "migrated"}) {
            deliveries.labelValues(status);
        }
        for (String code : new String[] {"400", "403", "429", "network"}) {
            telegramErrors.labelValues(code);
        }
        for (String outcome : new String[] {"success", "failure", "gave_up"}) {
            webhookDeliveries.labelValues(outcome);
        }
    }

    /** Counts the Bot API's answer to every message {@code transport} sends. */
    public Transport observe(Transport transport) {
        return message -> transport.deliver(message).whenComplete((result, error) -> {
            if (error != null) {
                deliveries.labelValues("retry").inc();
                telegramErrors.labelValues("network").inc();
            } else {
                delivered(result);
            }
        });
    }

    private void delivered(DeliveryResult result) {
        if (result instanceof DeliveryResult.Delivered) {
            deliveries.labelValues("sent").inc();
        } else if (result instanceof DeliveryResult.RetryAfter) {
            deliveries.labelValues("throttled").inc();
            telegramErrors.labelValues("429").inc();
        } else if (result instanceof DeliveryResult.Blocked) {
            deliveries.labelValues("blocked").inc();
            telegramErrors.labelValues("403").inc();
        } else if (result instanceof DeliveryResult.ChatMigrated) {
            deliveries.labelValues("migrated").inc();
            telegramErrors.labelValues("400").inc();
        } else if (result instanceof DeliveryResult.Rejected rejected) {
            deliveries.labelValues("failed").inc();
            telegramErrors.labelValues(code(rejected.reason(), "other")).inc();
        } else if (result instanceof DeliveryResult.TransientFailure failure) {
            deliveries.labelValues("retry").inc();
            telegramErrors.labelValues(code(failure.reason(), "network")).inc();
        }
    }

    private static String code(String reason, String otherwise) {
        Matcher matcher = CODE.matcher(reason == null ? "" : reason);
        if (!matcher.find()) {
            return otherwise;
        }
        return TELEGRAM_CODES.contains(matcher.group(1)) ? matcher.group(1) : "other";
    }

    /** New updates from Telegram. */
    public void updatesReceived(int count) {
        updates.inc(count);
    }

    /** An HTTP answer; {@code route} is the route's pattern, never the raw path. */
    public void httpAnswered(String route, int status) {
        httpRequests.labelValues(route, String.valueOf(status)).inc();
    }

    /**
     * SEAM(webhooks): the outgoing webhook sender calls this after each attempt: {@code success}, {@code failure}
     * (will be retried) or {@code gave_up}.
     */
    public void webhookDelivered(String outcome) {
        webhookDeliveries.labelValues(outcome).inc();
    }

    /** The Prometheus text format (version 0.0.4) of every metric. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}

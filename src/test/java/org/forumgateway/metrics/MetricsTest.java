package org.forumgateway.metrics;

import org.forumgateway.chat.DeliveryResult;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.chat.Transport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    @Nested
    class Deliveries {
        @Test
        void everyAnswerOfTheBotApiHasItsStatus() {
            assertEquals("sent", CountingTransport.status(DeliveryResult.Delivered.withoutMessage()));
            assertEquals("throttled", CountingTransport.status(new DeliveryResult.RetryAfter(Duration.ofSeconds(3))));
            assertEquals("blocked", CountingTransport.status(new DeliveryResult.Blocked("403")));
            assertEquals("migrated", CountingTransport.status(new DeliveryResult.ChatMigrated(-100L)));
            assertEquals("failed", CountingTransport.status(new DeliveryResult.Rejected("400")));
            assertEquals("retried", CountingTransport.status(new DeliveryResult.TransientFailure("502")));
        }

        @Test
        void theEngineGetsTheTransportsOwnAnswerEvenWhenCountingFails() {
            CompletableFuture<DeliveryResult> answer = new CompletableFuture<>();
            Transport transport = new CountingTransport(message -> answer, status -> {
                throw new IllegalStateException("counter broke");
            });
            CompletableFuture<DeliveryResult> seen = transport.deliver(message());
            assertSame(answer, seen);
            answer.complete(DeliveryResult.Delivered.withoutMessage());
            assertEquals(DeliveryResult.Delivered.withoutMessage(), seen.join());
        }

        @Test
        void countedAnswersShowInTheScrapeWithTheirStatus() {
            Metrics metrics = Metrics.create();
            Transport transport = metrics.countingDeliveries(message ->
                    CompletableFuture.completedFuture(new DeliveryResult.Blocked("Forbidden: bot was blocked")));
            transport.deliver(message()).join();
            transport.deliver(message()).join();
            String text = scrape(metrics);
            assertTrue(text.contains("forumgw_deliveries_total{status=\"blocked\"} 2.0\n"), text);
            assertTrue(text.contains("forumgw_deliveries_total{status=\"sent\"} 0.0\n"), text);
        }

        private OutgoingMessage message() {
            return new OutgoingMessage.Send(42L, "<b>hi</b>", Keyboard.NONE);
        }
    }

    @Nested
    class OutboxGauge {
        @Test
        void theDatabaseIsReadAtMostOncePerSecond() {
            AtomicLong reads = new AtomicLong();
            AtomicLong nanos = new AtomicLong();
            CachedCount count = new CachedCount(reads::incrementAndGet, Duration.ofSeconds(1), nanos::get);
            assertEquals(1, count.get());
            nanos.addAndGet(Duration.ofMillis(999).toNanos());
            assertEquals(1, count.get(), "still the first read");
            nanos.addAndGet(Duration.ofMillis(1).toNanos());
            assertEquals(2, count.get());
        }

        @Test
        void aFailedReadLeavesTheGaugeOutAndTheScrapeStands() {
            Metrics metrics = Metrics.create();
            metrics.outboxPending(() -> {
                throw new IllegalStateException("database is locked");
            });
            metrics.updatesReceived(3);
            String text = scrape(metrics);
            assertTrue(text.contains("forumgw_updates_total 3.0\n"), text);
            assertFalse(text.contains("forumgw_outbox_pending "), text);
        }
    }

    @Test
    void labelsAreTheRouteAndStatusAsGiven() {
        Metrics metrics = Metrics.create();
        for (String route : List.of("/calendar/{token}.ics", "/calendar/{token}.ics", "unmatched")) {
            metrics.httpAnswered(route, 404, Duration.ofMillis(3));
        }
        metrics.webhookAttempted(WebhookOutcome.FAILED);
        metrics.backupEnded(false);
        String text = scrape(metrics);
        assertTrue(text.contains("forumgw_http_requests_total{route=\"/calendar/{token}.ics\",status=\"404\"} 2.0\n"),
                text);
        assertTrue(text.contains("forumgw_http_requests_total{route=\"unmatched\",status=\"404\"} 1.0\n"), text);
        assertTrue(text.contains("forumgw_http_request_duration_seconds_bucket{route=\"unmatched\",le=\"0.002\"} 0\n"),
                text);
        assertTrue(text.contains("forumgw_http_request_duration_seconds_bucket{route=\"unmatched\",le=\"0.005\"} 1\n"),
                text);
        assertTrue(text.contains("forumgw_webhook_deliveries_total{outcome=\"failed\"} 1.0\n"), text);
        assertTrue(text.contains("forumgw_webhook_deliveries_total{outcome=\"delivered\"} 0.0\n"), text);
        assertTrue(text.contains("forumgw_backups_total{outcome=\"failed\"} 1.0\n"), text);
        assertTrue(text.contains("forumgw_backups_total{outcome=\"done\"} 0.0\n"), text);
    }

    private static String scrape(Metrics metrics) {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }
}

package org.forumgateway.telegram;

import org.forumgateway.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The updates part of /healthz in webhook mode when the webhook was taken elsewhere (the once-a-minute check runs on
 * the wall clock, so HealthCheckEndToEndTest shows the polling side over HTTP, and this the webhook side).
 */
class ReceivingHealthTest {
    private final MutableClock clock = MutableClock.frozenAt("2026-12-01T09:00:00Z");

    @Test
    void aWebhookTakenElsewhereIsAConflictUntilTwoQuietMinutesHavePassed() {
        ReceivingHealth health = new ReceivingHealth(clock, 50);
        health.receiving(ReceivingHealth.Mode.WEBHOOK);
        assertTrue(health.report().healthy());

        health.webhookTakenElsewhere(); // found pointing elsewhere, and set again
        ReceivingHealth.Report taken = health.report();
        assertFalse(taken.healthy());
        assertEquals("conflict", taken.details().get("status"));
        assertEquals(0L, taken.details().get("conflictSecondsAgo"));

        clock.advance(Duration.ofMinutes(1));
        health.webhookTakenElsewhere(); // the other program set it again: still going on
        clock.advance(Duration.ofMinutes(1));
        assertFalse(health.report().healthy(), "a minute after the last time it was found");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(health.report().healthy(), "two minutes without it");
        assertEquals("ok", health.report().details().get("status"));
    }
}

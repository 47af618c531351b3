package org.forumgateway.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReusedCheckTest {
    @Test
    void anAnswerIsReusedForItsWindowThenCheckedAgain() {
        AtomicLong now = new AtomicLong();
        AtomicInteger probes = new AtomicInteger();
        AtomicInteger healthyFrom = new AtomicInteger(2);
        ReusedCheck check = new ReusedCheck(() -> probes.incrementAndGet() >= healthyFrom.get(),
                Duration.ofSeconds(2), now::get);
        assertFalse(check.getAsBoolean());
        now.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertFalse(check.getAsBoolean(), "reused within the window");
        assertEquals(1, probes.get());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertTrue(check.getAsBoolean(), "checked again once it has passed");
        assertEquals(2, probes.get());
    }
}

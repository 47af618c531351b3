package org.forumgateway.announcements;

import org.forumgateway.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How often a progress message is edited, on a clock the test moves. */
class ProgressEditsTest {
    private final MutableClock clock = MutableClock.frozenAt("2026-11-23T00:00:00Z");

    /** Edits over {@code duration} with the reporter looking every 3 s and the figure changing each time. */
    private int editsOver(ProgressEdits edits, Duration duration, int showing) {
        int count = 0;
        for (int round = 0; round * 3L <= duration.toSeconds(); round++) {
            if (edits.due("announcement-1", "sent " + round, false, showing)) {
                count++;
            }
            clock.advance(Duration.ofSeconds(3));
        }
        return count;
    }

    @Test
    void atTelegramsDefaultRateTheEditsTakeAThirdOfAPercentAtMost() {
        ProgressEdits edits = new ProgressEdits(30, clock);
        assertEquals(Duration.ofSeconds(10), edits.interval(1));
        int count = editsOver(edits, Duration.ofSeconds(300), 1);
        // 30 a second for 300 s is 9,000 messages; a third of a percent of them is 30.
        assertTrue(count <= 30, "edits: " + count);
        assertTrue(count >= 20, "the figure still moves about every 10-12 s: " + count);
    }

    @Test
    void atAHighRateTheReportersPeriodIsTheBound() {
        ProgressEdits edits = new ProgressEdits(200, clock);
        assertEquals(Duration.ofMillis(1_500), edits.interval(1));
        assertEquals(100, editsOver(edits, Duration.ofSeconds(300), 1));
    }

    @Test
    void severalProgressMessagesShareTheSameBudget() {
        ProgressEdits edits = new ProgressEdits(30, clock);
        assertEquals(Duration.ofSeconds(30), edits.interval(3));
        assertTrue(editsOver(edits, Duration.ofSeconds(300), 3) <= 10);
    }

    @Test
    void theFirstEditWaitsAnIntervalAfterTheMessageWasSent() {
        ProgressEdits edits = new ProgressEdits(30, clock);
        assertFalse(edits.due("announcement-1", "10%", false, 1));
        clock.advance(Duration.ofSeconds(9));
        assertFalse(edits.due("announcement-1", "40%", false, 1));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(edits.due("announcement-1", "43%", false, 1));
        assertFalse(edits.due("announcement-1", "45%", false, 1), "edited just now");
    }

    @Test
    void theFinalFigureIsShownAtOnceButNotTwice() {
        ProgressEdits edits = new ProgressEdits(30, clock);
        assertFalse(edits.due("announcement-1", "10%", false, 1));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(edits.due("announcement-1", "100%", true, 1));
        assertFalse(edits.due("announcement-1", "100%", true, 1));
    }

    @Test
    void aSmallAnnouncementFinishedBeforeTheFirstLookIsShownFinished() {
        ProgressEdits edits = new ProgressEdits(30, clock);
        assertTrue(edits.due("announcement-2", "100%", true, 1));
    }

    @Test
    void anUnchangedFigureIsNotEditedAgain() {
        ProgressEdits edits = new ProgressEdits(200, clock);
        edits.due("change-1", "50%", false, 1);
        clock.advance(Duration.ofSeconds(3));
        assertTrue(edits.due("change-1", "60%", false, 1));
        clock.advance(Duration.ofSeconds(3));
        assertFalse(edits.due("change-1", "60%", false, 1));
    }

    @Test
    void aForgottenMessageStartsAfresh() {
        ProgressEdits edits = new ProgressEdits(30, clock);
        assertTrue(edits.due("announcement-1", "100%", true, 1));
        edits.forget("announcement-1");
        assertFalse(edits.due("announcement-1", "0%", false, 1), "a new message was just sent");
    }
}

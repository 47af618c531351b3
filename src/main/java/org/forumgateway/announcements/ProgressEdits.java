package org.forumgateway.announcements;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * When a staff member's progress message may be edited. Each edit is a request that spends the bot's overall limit
 * like a recipient's message, so the edits of every progress message shown together take at most one of each
 * {@link #MESSAGES_PER_EDIT} messages the limit allows: a message is edited at most once per (progress messages
 * shown) × {@value #MESSAGES_PER_EDIT} ÷ (limit) seconds, and no more often than the reporter runs, which is the
 * bound at high limits. The last figure (everything settled) is shown at once; an edit that would show the same
 * text is skipped. Thread-safe: the reporter's rounds may run on different scheduler threads.
 */
final class ProgressEdits {
    /**
     * The edits' share of the overall limit: at Telegram's default 30/s one edit every 10 s, costing a broadcast a
     * third of a percent of its rate; at 200/s the reporter's period of 3 s is the bound, a sixth of a percent.
     */
    static final int MESSAGES_PER_EDIT = 300;

    private final double perSecond;
    private final Clock clock;
    private final Map<String, Shown> shown = new HashMap<>();

    /** @param perSecond the overall limit, messages a second */
    ProgressEdits(double perSecond, Clock clock) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive: " + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /**
     * True when the progress message {@code key} should be edited to show {@code text} now, and then counts it as
     * shown. The first time a message is seen it was just sent: its first edit waits a whole interval.
     *
     * @param finished the figure is final (nothing left to send)
     * @param showing  how many progress messages are being kept up to date now, this one included
     */
    synchronized boolean due(String key, String text, boolean finished, int showing) {
        Instant now = clock.instant();
        Shown last = shown.get(key);
        if (last == null && !finished) {
            shown.put(key, new Shown("", now));
            return false;
        }
        if (last != null && last.text().equals(text)) {
            return false;
        }
        if (!finished && now.isBefore(last.at().plus(interval(showing)))) {
            return false;
        }
        shown.put(key, new Shown(text, now));
        return true;
    }

    /** The message is done with (its report was sent): forget it. */
    synchronized void forget(String key) {
        shown.remove(key);
    }

    /** The time between two edits of one message, so that {@code showing} messages stay within the share. */
    Duration interval(int showing) {
        return Duration.ofNanos(Math.round(Math.max(1, showing) * MESSAGES_PER_EDIT * 1e9 / perSecond));
    }

    private record Shown(String text, Instant at) {
    }
}

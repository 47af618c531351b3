package org.forumgateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Cancels queued messages whose notification expired while they waited for their time: held for someone's quiet
 * hours, or for a retry. The claim cancels the others ({@link Outbox#claim}); without this round a held message
 * stayed queued past its expiry until its hold ended, its API message showed as sending meanwhile, and a message
 * waiting for a retry held back the later ones of its chat. Thread-safe.
 */
public final class ExpiredMessages {
    /** How often the round runs: an expired message is settled within this. */
    public static final Duration PERIOD = Duration.ofSeconds(2);
    /**
     * How far back the round looks. An expiry further back was seen by the rounds then; after an outage longer than
     * this, every hold has ended, so the claim finds those rows and cancels them.
     */
    static final Duration LOOK_BACK = Duration.ofDays(1);

    private final Outbox outbox;
    private final Clock clock;

    public ExpiredMessages(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /** One round; returns how many messages it cancelled. */
    public int cancelExpired() {
        Instant now = clock.instant();
        return outbox.cancelExpiredWaiting(now.minus(LOOK_BACK), now);
    }
}

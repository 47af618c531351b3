package org.forumgateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Cancels queued messages whose notification expired while they waited for their time: held for someone's quiet
 * hours, their local time (an API message's send_at_local), or a retry. The claim cancels the others
 * ({@link Outbox#claim}); without this round a held message stayed queued past its expiry until its hold ended, its
 * API message showed as sending meanwhile, and a message waiting for a retry held back the later ones of its chat.
 * Thread-safe.
 */
public final class ExpiredMessages {
    /** How often the round runs: an expired message is settled within this. */
    public static final Duration PERIOD = Duration.ofSeconds(2);
    /**
     * How far back a round looks: an expiry further back was seen by the rounds then. The first round after a start
     * looks back without limit, for expiries passed while the bot was stopped (a message held until someone's local
     * time can be held more than a day past its expiry).
     */
    static final Duration LOOK_BACK = Duration.ofDays(1);

    private final Outbox outbox;
    private final Clock clock;
    private volatile boolean started;

    public ExpiredMessages(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /** One round; returns how many messages it cancelled. */
    public int cancelExpired() {
        Instant now = clock.instant();
        int cancelled = outbox.cancelExpiredWaiting(started ? now.minus(LOOK_BACK) : Instant.EPOCH, now);
        started = true;
        return cancelled;
    }
}

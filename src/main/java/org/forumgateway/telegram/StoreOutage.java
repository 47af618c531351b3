package org.forumgateway.telegram;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether received updates can be stored right now. A failure is logged once with its cause when an outage
 * begins, and once more when it ends, however many retries lie between. Thread-safe.
 */
final class StoreOutage {
    private static final Logger log = LoggerFactory.getLogger(StoreOutage.class);

    private final Clock clock;
    private Instant failingSince;
    private int failures;

    StoreOutage(Clock clock) {
        this.clock = clock;
    }

    synchronized void failed(RuntimeException error) {
        failures++;
        if (failingSince == null) {
            failingSince = clock.instant();
            log.error("Cannot store received updates in the database: {}. Retrying until it works; no update is "
                    + "lost meanwhile, and the bot answers again once the cause is gone", rootCause(error), error);
        }
    }

    synchronized void stored() {
        if (failingSince != null) {
            log.info("Received updates are stored again, after {} s and {} failed attempts",
                    Duration.between(failingSince, clock.instant()).toSeconds(), failures);
            failingSince = null;
            failures = 0;
        }
    }

    /** Failed attempts in the outage under way; 0 when storing works. */
    synchronized int failures() {
        return failures;
    }

    /** Since when storing fails, if it does. */
    synchronized Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}

package org.forumgateway.rsvp;

import java.time.Instant;
import java.util.Optional;

/**
 * One user's answer to one event.
 *
 * @param waitlistPosition 1 for the first in line; present only while waitlisted
 */
public record Rsvp(String eventKey, long userId, RsvpStatus status, Optional<Integer> waitlistPosition,
                   Instant answeredAt) {
}

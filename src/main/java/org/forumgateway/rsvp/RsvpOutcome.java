package org.forumgateway.rsvp;

import org.forumgateway.events.Event;

import java.util.List;
import java.util.Optional;

/**
 * The result of pressing an RSVP button: what happened, the user's answer now, and the users who moved up from
 * the waitlist because of it (to be told).
 */
public record RsvpOutcome(Result result, Optional<Event> event, Optional<Rsvp> rsvp, List<Promotion> promotions) {

    public RsvpOutcome {
        promotions = List.copyOf(promotions);
    }

    /** What happened; each maps to a message key. */
    public enum Result {
        /** The answer was recorded. */
        RECORDED,
        /** The user pressed what they had already answered. */
        UNCHANGED,
        /** No such event, or not one this user may see: the button is treated as expired. */
        NOT_AVAILABLE,
        CANCELLED,
        STARTED,
        ENDED,
        DEADLINE_PASSED
    }

    static RsvpOutcome refused(Result result, Optional<Event> event) {
        return new RsvpOutcome(result, event, Optional.empty(), List.of());
    }
}

package org.forumgateway.rsvp;

import java.util.Optional;

/** How many answered what, for a card. */
public record RsvpCounts(int going, int maybe, int declined, int waitlisted) {

    /** Seats still free, for an event with {@code capacity}; empty when unlimited. */
    public Optional<Integer> seatsLeft(Optional<Integer> capacity) {
        return capacity.map(seats -> Math.max(0, seats - going));
    }
}

package org.forumgateway.rsvp;

/** A waitlisted user who got a seat. */
public record Promotion(String eventKey, long userId) {
}

package org.forumgateway.rsvp;

import org.forumgateway.events.Event;

/** An event and the user's answer to it. */
public record MyEvent(Event event, Rsvp rsvp) {
}

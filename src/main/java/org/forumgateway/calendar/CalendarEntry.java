package org.forumgateway.calendar;

import org.forumgateway.events.Event;
import org.forumgateway.rsvp.RsvpStatus;

import java.time.Instant;
import java.util.Optional;

/**
 * An event as one person's calendar shows it.
 *
 * @param answer   their answer, if any: a calendar must not show a seat they do not have as a firm appointment
 * @param sequence the event's revision (RFC 5545 SEQUENCE): raised whenever its time, place, texts or
 *                 cancellation change, or the answer, so that a calendar app takes a newer file as an update of the
 *                 same event
 * @param revisedAt when the event or the answer was last stored (its DTSTAMP): a feed fetched twice with nothing
 *                  changed is the same text, so an app's copy is not needlessly replaced
 */
public record CalendarEntry(Event event, Optional<RsvpStatus> answer, int sequence, Instant revisedAt) {
}

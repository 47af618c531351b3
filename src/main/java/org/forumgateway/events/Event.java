package org.forumgateway.events;

import org.forumgateway.i18n.LocalizedText;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A forum, session or activity as published in the events file. Times are local to the venue's zone, as
 * staff write them; the instants follow from the zone.
 *
 * @param capacity empty for unlimited seats
 */
public record Event(
        String key,
        EventKind kind,
        LocalizedText title,
        LocalizedText description,
        Optional<Venue> venue,
        ZoneId zone,
        LocalDateTime start,
        LocalDateTime end,
        Optional<Integer> capacity,
        Optional<LocalDateTime> rsvpDeadline,
        Audience audience,
        List<Duration> reminders,
        boolean cancelled) {

    public Event {
        reminders = List.copyOf(reminders);
    }

    public Instant startsAt() {
        return start.atZone(zone).toInstant();
    }

    public Instant endsAt() {
        return end.atZone(zone).toInstant();
    }

    public Optional<Instant> rsvpDeadlineAt() {
        return rsvpDeadline.map(deadline -> deadline.atZone(zone).toInstant());
    }

    /** Why answers are refused at {@code now}, if they are. */
    public Optional<RsvpClosure> rsvpClosure(Instant now) {
        if (cancelled) {
            return Optional.of(RsvpClosure.CANCELLED);
        }
        if (!now.isBefore(endsAt())) {
            return Optional.of(RsvpClosure.ENDED);
        }
        if (!now.isBefore(startsAt())) {
            return Optional.of(RsvpClosure.STARTED);
        }
        if (rsvpDeadlineAt().filter(deadline -> !now.isBefore(deadline)).isPresent()) {
            return Optional.of(RsvpClosure.DEADLINE_PASSED);
        }
        return Optional.empty();
    }

    /** Why an event no longer takes answers. */
    public enum RsvpClosure { CANCELLED, STARTED, ENDED, DEADLINE_PASSED }
}

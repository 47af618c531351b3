package org.forumgateway.reminders;

import org.forumgateway.events.Event;
import org.forumgateway.rsvp.RsvpStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An automatic message that is due for one reader.
 *
 * @param kind      what it is, as recorded once sent: {@code reminder:<minutes>}, {@code nudge}, {@code welcome},
 *                  {@code farewell}, {@code digest:<week>}
 * @param subject   the event key or cohort number it is about
 * @param alsoCovers other kinds this message makes unnecessary (older reminders missed while the bot was down)
 * @param answer    the reader's answer to the event, for reminders
 */
public record DueMessage(String kind, String subject, Reader reader, Optional<Event> event, Optional<Duration> before,
                         List<String> alsoCovers, Optional<RsvpStatus> answer) {
    /** The kind of a deadline nudge. */
    static final String NUDGE = "nudge";

    public DueMessage {
        alsoCovers = List.copyOf(alsoCovers);
    }

    public DueMessage(String kind, String subject, Reader reader, Optional<Event> event, Optional<Duration> before,
                      List<String> alsoCovers) {
        this(kind, subject, reader, event, before, alsoCovers, Optional.empty());
    }

    /**
     * The notification it is queued under, shared by every reader: one per kind and subject, and for a reminder per
     * start of its event too, so that a reminder owed again after the event moved is a new message, not one the
     * outbox already holds.
     */
    String notificationReference() {
        boolean reminder = before.isPresent();
        return reminder ? kind + event.map(reminded -> reminderSuffix(subject, reminded.startsAt()))
                .orElse("/" + subject) : notificationReference(kind, subject);
    }

    /**
     * When it stops being worth sending: a reminder once its event has begun, a deadline nudge once replies are
     * closed. Empty for the others.
     */
    Optional<Instant> expiresAt() {
        if (event.isEmpty()) {
            return Optional.empty();
        }
        return before.isPresent() ? Optional.of(event.get().startsAt()) : event.get().rsvpDeadlineAt();
    }

    /**
     * Whether what it says still holds for {@code current}, the event as stored now: not cancelled, and as it was
     * read (its time, venue, texts and deadline, which its card shows). A reload may have changed the event since;
     * the message is then read again by the next round (a sweep every few seconds), as the event now stands.
     */
    boolean stillHoldsFor(Optional<Event> current) {
        return event.isEmpty() || current.filter(stored -> !stored.cancelled() && stored.equals(event.get()))
                .isPresent();
    }

    /** The notification of every reader's message of {@code kind} about {@code subject}, for all but reminders. */
    static String notificationReference(String kind, String subject) {
        return kind + "/" + subject;
    }

    /** How the notification of every reminder of an event starting at {@code startsAt} ends. */
    static String reminderSuffix(String eventKey, Instant startsAt) {
        return "/" + eventKey + "@" + startsAt;
    }
}

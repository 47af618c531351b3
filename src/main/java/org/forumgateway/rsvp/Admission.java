package org.forumgateway.rsvp;

import org.forumgateway.events.Event;
import org.jdbi.v3.core.Handle;

/**
 * Whether someone may still see an event, in the caller's transaction: a seat freed on the waitlist goes only to
 * someone the event is still for (staff may have narrowed its audience after they joined the waitlist), who is
 * then told.
 */
@FunctionalInterface
public interface Admission {
    boolean admits(Handle handle, Event event, long userId);

    /** Everyone on the waitlist may have a seat. */
    Admission ANYONE = (handle, event, userId) -> true;
}

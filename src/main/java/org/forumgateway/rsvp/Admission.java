package org.forumgateway.rsvp;

import org.forumgateway.events.Event;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * Whether someone may still see an event, in the caller's transaction: a seat freed on the waitlist goes only to
 * someone the event is still for (staff may have narrowed its audience after they joined the waitlist), who is
 * then told.
 */
public interface Admission {
    boolean admits(Handle handle, Event event, long userId);

    /** How many of {@code userIds} the event is still for: a place in line counts only them. */
    default long countAdmitted(Handle handle, Event event, List<Long> userIds) {
        return userIds.stream().filter(userId -> admits(handle, event, userId)).count();
    }

    /** Everyone on the waitlist may have a seat. */
    Admission ANYONE = (handle, event, userId) -> true;

    /** Those the event's audience admits, as the users table and ADMIN_IDS say now; the ones ahead read at once. */
    static Admission byAudience(UserService users) {
        return new Admission() {
            @Override
            public boolean admits(Handle handle, Event event, long userId) {
                return users.find(handle, userId).filter(event.audience()::admits).isPresent();
            }

            @Override
            public long countAdmitted(Handle handle, Event event, List<Long> userIds) {
                return users.findAll(handle, userIds).stream().filter(event.audience()::admits).count();
            }
        };
    }
}

package org.forumgateway.users;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/**
 * When someone's quiet hours end, if they are in them at a given time (their own hours, else the default, in their
 * time zone): for a message that goes at once, but without a sound during them.
 */
@FunctionalInterface
public interface QuietHoursOf {
    Optional<Instant> quietUntil(Handle handle, long userId, Instant at);

    /** Nobody is ever in quiet hours. */
    static QuietHoursOf none() {
        return (handle, userId, at) -> Optional.empty();
    }
}

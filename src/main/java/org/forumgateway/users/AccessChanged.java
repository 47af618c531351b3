package org.forumgateway.users;

import org.jdbi.v3.core.Handle;

/**
 * Told, in the transaction that changed it, that a user's role, country or cohort changed: events that were not for
 * them may be now, and a seat left free while they waited for it is theirs (first come, first served).
 */
@FunctionalInterface
public interface AccessChanged {
    void changed(Handle handle, long telegramId);

    /** Nobody to tell. */
    AccessChanged NONE = (handle, telegramId) -> { };
}

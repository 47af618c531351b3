package org.forumgateway.users;

import org.jdbi.v3.core.Handle;

/**
 * Keeps something about a person and can forget it: the owner of a table that names people, for the erasure of one
 * ({@link PersonErasure}).
 */
@FunctionalInterface
public interface PersonalData {
    /** Deletes (or blanks) what it keeps about {@code telegramId}, in the caller's transaction. */
    void forget(Handle handle, long telegramId);
}

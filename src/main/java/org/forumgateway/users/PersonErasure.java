package org.forumgateway.users;

import org.jdbi.v3.core.Jdbi;

import java.util.List;

/**
 * Erases a person: everything the bot keeps about them, then their row, in one transaction, so an erasure is whole
 * or not at all. What others need stays, without them: their seats go to those waiting (told as after any freed
 * seat), announcements keep their figures. Backups, handled updates and webhook bodies keep the person until their
 * own deletion (the README's table of personal data). Thread-safe.
 */
public final class PersonErasure {
    private final Jdbi jdbi;
    private final UserDao users;
    private final List<PersonalData> holders;

    /** @param holders every owner of a table that names people, in the order their rows must go (users last) */
    public PersonErasure(Jdbi jdbi, List<PersonalData> holders) {
        this.jdbi = jdbi;
        this.users = new UserDao(jdbi);
        this.holders = List.copyOf(holders);
    }

    /** Erases {@code telegramId}; false when the bot knows nobody by that id. */
    public boolean erase(long telegramId) {
        return jdbi.inTransaction(handle -> {
            if (users.find(handle, telegramId).isEmpty()) {
                return false;
            }
            for (PersonalData holder : holders) {
                holder.forget(handle, telegramId);
            }
            users.delete(handle, telegramId);
            return true;
        });
    }
}

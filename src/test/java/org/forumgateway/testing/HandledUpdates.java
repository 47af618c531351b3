package org.forumgateway.testing;

import org.forumgateway.Application;

/** Waiting for the bot to have handled one update: its chat worker marks it in the inbox when done. */
public final class HandledUpdates {
    private HandledUpdates() {
    }

    /** Returns once update {@code updateId} is marked handled in the bot's inbox (fails after the usual wait). */
    public static void await(Application bot, int updateId) {
        Eventually.await("update " + updateId + " to be handled", () -> bot.database().jdbi().withHandle(
                handle -> handle.createQuery("SELECT count(*) FROM inbox WHERE handled = 1 AND update_id = :id")
                        .bind("id", updateId).mapTo(Integer.class).one()) > 0);
    }
}

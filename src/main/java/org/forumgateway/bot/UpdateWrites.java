package org.forumgateway.bot;

import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.Notifications;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What handling one update writes, in one transaction: its replies (queued through {@link Notifications#reply}),
 * and what the router adds when the update is done (the user's last-seen time, the inbox's mark that the update
 * is handled). Replies are held until then, so an update costs one write transaction instead of one per reply
 * and two more. A handler whose change causes its replies makes it inside {@link #together}: the change, the
 * replies and the mark commit at once or not at all. Not thread-safe: one per update, on its worker's thread.
 */
final class UpdateWrites {
    private final Jdbi jdbi;
    private final Notifications notifications;
    private final Consumer<Handle> done;
    private final Runnable committed;
    private final List<OutgoingMessage> replies = new ArrayList<>();
    private boolean written;
    private boolean inTogether;

    /**
     * @param done      what the router writes with the replies, in their transaction: once, when the update is done
     * @param committed run as soon as that transaction has committed, before the delivery engine is woken for the
     *                  replies (the router's timing notes when they were queued)
     */
    UpdateWrites(Jdbi jdbi, Notifications notifications, Consumer<Handle> done, Runnable committed) {
        this.jdbi = jdbi;
        this.notifications = notifications;
        this.done = done;
        this.committed = committed;
    }

    /** Holds {@code message} until the update's transaction; after it (rare: a reply after the change) sends it alone. */
    void reply(OutgoingMessage message) {
        if (written) {
            jdbi.useTransaction(handle -> notifications.reply(handle, message));
        } else {
            replies.add(message);
        }
    }

    /**
     * Runs {@code change} in the update's transaction and writes the update with it: the services it calls join
     * that transaction (Jdbi hands a thread's nested calls the handle it already has open), so they see the
     * change, and the replies held or made so far commit with it. If it fails, nothing of it is written and the
     * replies it made are dropped; those made before it stay for the router to write.
     */
    void together(Runnable change) {
        if (written || inTogether) {
            jdbi.useTransaction(handle -> change.run());
            return;
        }
        int before = replies.size();
        inTogether = true;
        try {
            jdbi.useTransaction(handle -> {
                handle.afterCommit(committed); // first: the change and the replies register their wake-ups after it
                change.run();
                write(handle);
            });
            written = true;
            replies.clear();
        } catch (RuntimeException e) {
            replies.subList(before, replies.size()).clear();
            throw e;
        } finally {
            inTogether = false;
        }
    }

    /** Writes the held replies and the router's part in one transaction, unless {@link #together} did already. */
    void finish() {
        if (written) {
            return;
        }
        jdbi.useTransaction(handle -> {
            handle.afterCommit(committed);
            write(handle);
        });
        written = true;
        replies.clear();
    }

    private void write(Handle handle) {
        for (OutgoingMessage reply : replies) {
            notifications.reply(handle, reply);
        }
        done.accept(handle);
    }
}

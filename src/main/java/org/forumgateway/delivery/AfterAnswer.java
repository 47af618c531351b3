package org.forumgateway.delivery;

import java.time.Instant;
import java.util.Optional;

/** What becomes of an outbox row once Telegram has answered it: the pacing policy decides, the store writes it. */
sealed interface AfterAnswer {

    /** Delivered; {@code messageId} is the id Telegram gave a new message, when it made one. */
    record Sent(Optional<Integer> messageId) implements AfterAnswer {
    }

    /**
     * Back in the queue until {@code at}.
     *
     * @param countsAsAttempt false for a 429: Telegram pacing us is not a failed attempt
     */
    record Retry(Instant at, String reason, boolean countsAsAttempt) implements AfterAnswer {
    }

    /** Failed for good with {@code reason}. */
    record Fail(String reason) implements AfterAnswer {
    }

    /** The user blocked the bot: this row and every queued one of the chat are dropped, the user marked blocked. */
    record Blocked(String reason) implements AfterAnswer {
    }

    /** The group became a supergroup: this row and the chat's queued ones go to {@code newChatId}. */
    record Migrated(long newChatId) implements AfterAnswer {
    }

    /** True when rows of the queue changed, so a window of it read before is out of date. */
    default boolean changesQueue() {
        return this instanceof Retry || this instanceof Blocked || this instanceof Migrated;
    }
}

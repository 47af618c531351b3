package org.forumgateway.chat;

import java.time.Duration;
import java.util.Optional;

/** How the Bot API answered one message: expected outcomes as values, each with its own handling. */
public sealed interface DeliveryResult {

    /** Accepted; {@code messageId} is the id Telegram gave a new message, when it made one. */
    record Delivered(Optional<Integer> messageId) implements DeliveryResult {
        public static Delivered withoutMessage() {
            return new Delivered(Optional.empty());
        }
    }

    /** 429: too many requests; try again after {@code delay}. */
    record RetryAfter(Duration delay) implements DeliveryResult {
    }

    /** 403: the user blocked the bot or was deactivated; they answer so forever. */
    record Blocked(String reason) implements DeliveryResult {
    }

    /** 400 with migrate_to_chat_id: the group became a supergroup with a new id. */
    record ChatMigrated(long newChatId) implements DeliveryResult {
    }

    /** Any other 4xx: the message itself is wrong; retrying cannot help. */
    record Rejected(String reason) implements DeliveryResult {
    }

    /** 5xx, timeouts, dropped connections: worth trying again later. */
    record TransientFailure(String reason) implements DeliveryResult {
    }
}

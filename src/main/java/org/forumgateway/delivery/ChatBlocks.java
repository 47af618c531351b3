package org.forumgateway.delivery;

import org.forumgateway.webhooks.WebhookEvents;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;

/**
 * A chat the bot can no longer write to: a person who blocked the bot, or a group that removed it. Whether the bot
 * learns it from Telegram's 403 to a message or from the my_chat_member update Telegram sends when a person blocks
 * the bot, the same happens, in the caller's transaction: the chat's queued messages are dropped as blocked, audiences
 * leave the chat out until the person writes again (or the bot is added again), and a person's block is published as
 * {@code user.blocked}. Thread-safe.
 */
public final class ChatBlocks {
    /** What Telegram answers a message to someone who blocked the bot; a block the bot was told of says the same. */
    public static final String BLOCKED_BY_USER = "Forbidden: bot was blocked by the user";
    /** The time of a block nothing the bot did before can contradict: Telegram's own word of it. */
    static final Instant ANY_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final Outbox outbox;
    private final WebhookEvents webhooks;
    private final Clock clock;

    public ChatBlocks(Outbox outbox, WebhookEvents webhooks, Clock clock) {
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** @param reason why, as Telegram put it (in its update, which nothing the bot did before contradicts) */
    public void blocked(Handle handle, long chatId, String reason) {
        blocked(handle, chatId, reason, ANY_TIME);
    }

    /**
     * The same, learnt from the refusal of a message sent at {@code sentAt}: the messages queued by then are dropped,
     * and the person is marked blocked unless their status changed since (they blocked and unblocked the bot while
     * the message was on its way).
     */
    public void blocked(Handle handle, long chatId, String reason, Instant sentAt) {
        boolean news = outbox.dropBlocked(handle, chatId, reason, clock.instant(), sentAt);
        // Published once per block: the update that tells of it and the 403s that follow (a message that was in
        // flight, an edit of an announcement they had) are one block. A group's 403 means the bot left it, and no
        // user did anything; someone who blocked the bot without ever starting it is nobody the systems know.
        if (news && chatId > 0) {
            webhooks.userBlocked(handle, chatId, reason);
        }
    }

    /**
     * Settles what notification {@code notificationId} just queued for someone who blocked the bot before (a message
     * scheduled for them), as the 403 would have: blocked, without a second {@code user.blocked}.
     */
    public void alreadyBlocked(Handle handle, long notificationId, long userId) {
        outbox.dropQueued(handle, notificationId, userId, BLOCKED_BY_USER);
    }
}

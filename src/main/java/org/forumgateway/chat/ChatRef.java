package org.forumgateway.chat;

/** A Telegram chat: a private chat with one user, or a group. */
public record ChatRef(long chatId, boolean isPrivate) {
}

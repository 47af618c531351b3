package org.forumgateway.conversation;

/**
 * Where a multi-step conversation stands for one user: which flow, which step, and the flow's own data (such as
 * the id of the draft being written).
 */
public record ConversationState(long userId, String flow, String step, String data) {
}

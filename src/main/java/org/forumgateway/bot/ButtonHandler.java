package org.forumgateway.bot;

import org.forumgateway.users.Role;

/**
 * Answers presses on buttons whose data starts with {@code prefix() + ":"}. The payload is client data: every
 * handler validates it against what the user may do now, and answers with {@code button.expired} when it does
 * not fit.
 */
interface ButtonHandler {
    String prefix();

    default Role minimumRole() {
        return Role.GUEST;
    }

    void handle(Conversation conversation, ButtonContext press, String payload);
}

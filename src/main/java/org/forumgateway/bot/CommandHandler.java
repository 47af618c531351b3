package org.forumgateway.bot;

/** Answers one slash command. The router has checked the role before {@link #handle} is called. */
interface CommandHandler {
    CommandSpec spec();

    void handle(Conversation conversation, String arguments);
}

package org.forumgateway.chat;

/**
 * What Telegram says about the bot's own place in a group or supergroup (a my_chat_member update): added,
 * promoted, demoted or removed.
 *
 * @param member        the bot is in the group (as a member, administrator, creator or restricted member)
 * @param administrator the bot is an administrator or the creator
 * @param canPin        the bot may pin messages there: an administrator with the right to pin
 */
public record GroupMembership(long chatId, String title, boolean supergroup, boolean member, boolean administrator,
                              boolean canPin) {
}

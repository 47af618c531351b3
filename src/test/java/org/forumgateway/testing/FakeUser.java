package org.forumgateway.testing;

/**
 * A Telegram user of the fake Bot API, chatting with the bot privately (so its chat id equals its user id).
 *
 * @param languageCode what the user's Telegram app reports, such as {@code "ru"} or {@code "en-US"}
 */
public record FakeUser(long id, String firstName, String languageCode) {

    public long chatId() {
        return id;
    }
}

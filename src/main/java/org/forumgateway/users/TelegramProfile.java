package org.forumgateway.users;

import java.util.Optional;

/** What Telegram says about a user in each update. */
public record TelegramProfile(
        long telegramId,
        String firstName,
        Optional<String> lastName,
        Optional<String> username,
        Optional<String> languageCode) {
}

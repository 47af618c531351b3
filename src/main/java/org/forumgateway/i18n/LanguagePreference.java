package org.forumgateway.i18n;

import java.util.Optional;

/**
 * What is known of a person's language: their explicit choice (the picker, {@code /language}) and the
 * {@code language_code} Telegram last reported for them. {@link MessageCatalog#resolve} turns it into the one locale
 * every reply, job and feed uses, so no caller can forget one of the two.
 */
public record LanguagePreference(Optional<String> chosen, Optional<String> telegramLanguage) {
    public static LanguagePreference of(String chosen, String telegramLanguage) {
        return new LanguagePreference(Optional.ofNullable(chosen), Optional.ofNullable(telegramLanguage));
    }
}

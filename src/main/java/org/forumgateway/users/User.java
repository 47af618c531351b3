package org.forumgateway.users;

import org.forumgateway.i18n.LanguagePreference;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A person the bot knows.
 *
 * @param locale   the language the user chose, if they chose one
 * @param timeZone the zone the user chose, if they chose one
 * @param role     the effective role: {@link Role#ADMIN} for ids in ADMIN_IDS, else the stored one
 */
public record User(
        long telegramId,
        String firstName,
        Optional<String> lastName,
        Optional<String> username,
        Optional<String> telegramLanguage,
        Optional<String> locale,
        Optional<ZoneId> timeZone,
        Role role,
        Optional<String> country,
        Optional<Integer> cohortNumber,
        boolean blocked,
        Instant createdAt,
        Instant lastSeenAt) {

    public String displayName() {
        return lastName.map(last -> firstName + " " + last).orElse(firstName);
    }

    /** What {@link org.forumgateway.i18n.MessageCatalog#resolve} needs to pick their language. */
    public LanguagePreference languagePreference() {
        return new LanguagePreference(locale, telegramLanguage);
    }

    /**
     * True when Telegram's {@code profile} says what is stored, and the user is not marked as having blocked the
     * bot (someone who writes to it has not): nothing about them needs writing.
     */
    boolean matches(TelegramProfile profile) {
        return telegramId == profile.telegramId() && firstName.equals(profile.firstName())
                && lastName.equals(profile.lastName()) && username.equals(profile.username())
                && telegramLanguage.equals(profile.languageCode()) && !blocked;
    }

    User withRole(Role effectiveRole) {
        return new User(telegramId, firstName, lastName, username, telegramLanguage, locale, timeZone, effectiveRole,
                country, cohortNumber, blocked, createdAt, lastSeenAt);
    }
}

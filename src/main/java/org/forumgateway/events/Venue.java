package org.forumgateway.events;

import org.forumgateway.i18n.LocalizedText;

/**
 * Where an event takes place. Name and address may be written per language, like titles; an empty address is
 * none.
 */
public record Venue(LocalizedText name, LocalizedText address) {

    /** "Lotte Hotel Seoul, 30 Eulji-ro, Jung-gu, Seoul" in {@code locale}, else {@code fallbackLocale}. */
    public String label(String locale, String fallbackLocale) {
        String placeName = name.in(locale, fallbackLocale);
        String street = address.in(locale, fallbackLocale);
        return street.isEmpty() ? placeName : placeName + ", " + street;
    }
}

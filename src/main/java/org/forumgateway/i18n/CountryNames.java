package org.forumgateway.i18n;

import com.ibm.icu.util.ULocale;

/**
 * Country names in the reader's language. The member countries are named as they name themselves in that
 * language ({@code country.<ISO code>} in the messages: Russian «Кыргызстан», where CLDR has «Киргизия»); any other
 * country comes from CLDR. One source for /about, invites, /rsvps and its attendee list.
 */
public final class CountryNames {
    private CountryNames() {
    }

    /** The name of the country with ISO code {@code code} ("KZ") in the translator's language. */
    public static String name(Translator translator, String code) {
        String key = "country." + code;
        if (translator.has(key)) {
            return translator.text(key);
        }
        return new ULocale("", code).getDisplayCountry(new ULocale(translator.locale()));
    }
}

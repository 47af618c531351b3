package org.forumgateway.i18n;

import com.ibm.icu.text.TimeZoneNames;
import com.ibm.icu.util.ULocale;

import java.time.ZoneId;

/** City names for time zones, as users know them ("Astana" for Asia/Almaty). */
public final class ZoneNames {
    private ZoneNames() {
    }

    /** From messages ({@code timezone.city.<id>}) when there is one, else CLDR's exemplar city, else the id. */
    public static String city(Translator translator, ZoneId zone) {
        String key = "timezone.city." + zone.getId();
        if (translator.has(key)) {
            return translator.text(key);
        }
        String city = TimeZoneNames.getInstance(new ULocale(translator.locale())).getExemplarLocationName(zone.getId());
        return city != null ? city : zone.getId();
    }
}

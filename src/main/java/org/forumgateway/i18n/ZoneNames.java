package org.forumgateway.i18n;

import com.ibm.icu.text.TimeZoneNames;
import com.ibm.icu.util.ULocale;

import java.time.ZoneId;
import java.util.Optional;

/** City names for time zones, as users know them ("Astana" for Asia/Almaty). */
public final class ZoneNames {
    private ZoneNames() {
    }

    /**
     * The zone of the time-zone database named {@code id} (Asia/Seoul, UTC), as the events file and the settings take
     * them. Not a fixed offset (+09:00, UTC+9), which {@link ZoneId#of} takes too: a venue's offset changes with its
     * clocks, which an offset does not follow, and an offset has no city to show beside the times.
     */
    public static Optional<ZoneId> known(String id) {
        return ZoneId.getAvailableZoneIds().contains(id) ? Optional.of(ZoneId.of(id)) : Optional.empty();
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

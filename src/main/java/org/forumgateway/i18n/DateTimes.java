package org.forumgateway.i18n;

import com.ibm.icu.text.DateFormat;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Locale-aware date and time text (CLDR patterns through ICU), always in an explicit zone. */
public final class DateTimes {
    /**
     * One format per (skeleton, locale), copied for each use: building one from a skeleton (pattern generation,
     * symbols) costs some twenty times what copying it does, and ICU formats are not thread-safe. Locales are the
     * catalog's, so the map stays small; past the bound a format is built and not kept.
     */
    private static final ConcurrentMap<String, DateFormat> PROTOTYPES = new ConcurrentHashMap<>();
    private static final int MAX_PROTOTYPES = 256;

    private DateTimes() {
    }

    /** Hours and minutes as the locale writes them: "15:04", "오후 3:04". */
    public static String time(Instant instant, ZoneId zone, String locale) {
        return format("Hm", instant, zone, locale);
    }

    /** Weekday, day and month: "Sunday, 22 November", "11월 22일 일요일", "воскресенье, 22 ноября". */
    public static String date(Instant instant, ZoneId zone, String locale) {
        return format("MMMMEEEEd", instant, zone, locale);
    }

    /**
     * The same for a calendar day, the same everywhere (an invite's last day, a cohort's end), not an instant seen
     * from a zone.
     */
    public static String date(LocalDate day, String locale) {
        return date(day.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC, locale);
    }

    /** Day, month and year: "8 Dec 2026", "2026. 12. 8.", "8 дек. 2026 г.". */
    public static String day(Instant instant, ZoneId zone, String locale) {
        return format("yMMMd", instant, zone, locale);
    }

    /** The zone's current offset from UTC: "UTC+9", "UTC+5:30". */
    public static String utcOffset(Instant instant, ZoneId zone) {
        int seconds = zone.getRules().getOffset(instant).getTotalSeconds();
        int minutes = Math.abs(seconds) / 60;
        String sign = seconds < 0 ? "-" : "+";
        String hours = sign + (minutes / 60);
        return "UTC" + (minutes % 60 == 0 ? hours : hours + ":" + String.format("%02d", minutes % 60));
    }

    private static String format(String skeleton, Instant instant, ZoneId zone, String locale) {
        DateFormat format = prototype(skeleton, locale).clone();
        format.setTimeZone(icuZone(zone));
        return format.format(Date.from(instant));
    }

    /**
     * ICU's zone for {@code zone}. ICU knows region ids and offsets written "GMT+09:00", not Java's "+09:00" or
     * "UTC+09:00", for which it falls back to GMT itself: an event stored with such a zone before they were refused
     * would show its times nine hours off.
     */
    private static TimeZone icuZone(ZoneId zone) {
        if (zone.normalized() instanceof ZoneOffset offset) {
            return TimeZone.getTimeZone(offset.getTotalSeconds() == 0 ? "GMT" : "GMT" + offset.getId());
        }
        return TimeZone.getTimeZone(zone.getId());
    }

    private static DateFormat prototype(String skeleton, String locale) {
        String key = skeleton + '|' + locale;
        DateFormat known = PROTOTYPES.get(key);
        if (known != null) {
            return known;
        }
        DateFormat built = DateFormat.getInstanceForSkeleton(skeleton, new ULocale(locale));
        if (PROTOTYPES.size() < MAX_PROTOTYPES) {
            PROTOTYPES.putIfAbsent(key, built);
        }
        return built;
    }
}

package org.forumgateway.i18n;

import com.ibm.icu.text.ListFormatter;
import com.ibm.icu.util.ULocale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A duration in words with at most its two largest units, plural forms from the messages ("1 day",
 * "1 hour 30 minutes", "1 час 30 минут"). Messages rather than CLDR's unit data, which some languages lack
 * (ICU has no unit names for Tajik, and would write "2 h").
 */
public final class DurationText {
    private static final String[] UNITS = {"duration.days", "duration.hours", "duration.minutes", "duration.seconds"};

    private DurationText() {
    }

    public static String format(Duration duration, Translator translator) {
        long seconds = Math.max(1, duration.toSeconds());
        long[] amounts = {seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60, seconds % 60};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < amounts.length && parts.size() < 2; i++) {
            if (amounts[i] > 0) {
                parts.add(translator.text(UNITS[i], "count", amounts[i]));
            } else if (!parts.isEmpty()) {
                break;
            }
        }
        return ListFormatter.getInstance(new ULocale(translator.locale()), ListFormatter.Type.UNITS,
                ListFormatter.Width.WIDE).format(parts);
    }
}

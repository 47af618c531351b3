package org.forumgateway.i18n;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A text written in several languages by an operator (event titles, cohort names), with fallbacks. */
public record LocalizedText(Map<String, String> byLocale) {

    public LocalizedText {
        byLocale = Map.copyOf(byLocale);
    }

    public static LocalizedText empty() {
        return new LocalizedText(Map.of());
    }

    public boolean isEmpty() {
        return byLocale.isEmpty();
    }

    /** The text in {@code locale}, else in {@code fallbackLocale}, else in any language it has, else "". */
    public String in(String locale, String fallbackLocale) {
        return Optional.ofNullable(byLocale.get(locale))
                .or(() -> Optional.ofNullable(byLocale.get(fallbackLocale)))
                .or(() -> new TreeMap<>(byLocale).values().stream().findFirst())
                .orElse("");
    }
}

package org.forumgateway.config;

import java.util.Map;
import java.util.Optional;

/**
 * The organization /about describes: texts per locale code, and an optional website.
 *
 * @param texts field name ({@code name}, {@code summary}, {@code functions}, {@code address}) to locale code to text
 */
public record OrganizationProfile(Map<String, Map<String, String>> texts, Optional<String> website) {

    public OrganizationProfile {
        texts = Map.copyOf(texts);
    }

    /** The text of {@code field} in {@code locale}, else in {@code fallbackLocale}, else empty. */
    public String text(String field, String locale, String fallbackLocale) {
        Map<String, String> byLocale = texts.getOrDefault(field, Map.of());
        return Optional.ofNullable(byLocale.get(locale))
                .or(() -> Optional.ofNullable(byLocale.get(fallbackLocale)))
                .orElse("");
    }
}

package org.forumgateway.i18n;

import java.util.HashMap;
import java.util.Map;

/**
 * Formats the messages of one locale. String arguments are HTML-escaped, {@link Html} arguments are inserted
 * as they are, numbers select CLDR plural forms and are grouped as the locale writes them, except an {@code id}.
 * Thread-safe.
 */
public final class Translator {
    /**
     * The argument that names something people type back ({@code /announcements edit 1234}): written as digits
     * only, where a number would be grouped by the locale ("#1,234", "№1 234") once there were a thousand.
     */
    private static final String ID = "id";

    private final MessageCatalog catalog;
    private final String locale;

    Translator(MessageCatalog catalog, String locale) {
        this.catalog = catalog;
        this.locale = locale;
    }

    public String locale() {
        return locale;
    }

    /** True when this locale or the default one has {@code key}. */
    public boolean has(String key) {
        return catalog.has(locale, key);
    }

    public String text(String key) {
        return text(key, Map.of());
    }

    /** Formats {@code key} with arguments given as name, value, name, value. */
    public String text(String key, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("arguments come in name, value pairs: " + key);
        }
        Map<String, Object> arguments = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return text(key, arguments);
    }

    public String text(String key, Map<String, Object> arguments) {
        Map<String, Object> safe = new HashMap<>();
        arguments.forEach((name, value) -> safe.put(name, ID.equals(name) && value instanceof Number number
                ? number.toString() : escapeIfText(value)));
        String text = catalog.format(locale, key, safe);
        // Korean particles follow the word a placeholder turned into; see KoreanParticles.
        return locale.equals("ko") ? KoreanParticles.resolve(text) : text;
    }

    private static Object escapeIfText(Object value) {
        if (value instanceof Html html) {
            return html.value();
        }
        if (value instanceof CharSequence text) {
            return Html.escape(text.toString());
        }
        return value;
    }
}

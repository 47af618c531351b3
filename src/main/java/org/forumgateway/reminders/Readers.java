package org.forumgateway.reminders;

import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;

import java.time.Instant;
import java.time.ZoneId;

/**
 * How an automatic message meets its reader: in their language, their time zone (else the forum's) and outside
 * their quiet hours. Thread-safe.
 */
public final class Readers {
    private final MessageCatalog catalog;
    private final ZoneId defaultZone;

    public Readers(MessageCatalog catalog, ZoneId defaultZone) {
        this.catalog = catalog;
        this.defaultZone = defaultZone;
    }

    /** True while {@code reader} is in their quiet hours: the message waits for a sweep after they end. */
    public boolean quiet(Reader reader, Instant now) {
        return reader.quietHours().flatMap(hours -> hours.endIfQuiet(now, zone(reader))).isPresent();
    }

    public ZoneId zone(Reader reader) {
        return reader.zone().orElse(defaultZone);
    }

    public Translator translator(Reader reader) {
        return catalog.translatorFor(reader.languagePreference());
    }

    /** The forum's own zone, for what happens on a calendar day rather than to one reader. */
    public ZoneId defaultZone() {
        return defaultZone;
    }

    public String defaultLocale() {
        return catalog.defaultLocale();
    }
}

package org.forumgateway.reminders;

import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

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

    /**
     * A message about a moment (an event's start, a deadline) waits for quiet hours to end only when they end this
     * long before it: a 1-hour reminder of a 10:00 session in Seoul falls at 05:00 in Tashkent, and waiting until
     * 08:00 there would drop it.
     */
    static final Duration LAST_NOTICE = Duration.ofMinutes(15);

    /** When a message to a reader goes out. */
    public enum Timing {
        /** Now, as usual. */
        NOW,
        /** Now, without a sound: quiet hours last beyond the moment the message is about. */
        NOW_SILENTLY,
        /** At a sweep after the reader's quiet hours. */
        LATER
    }

    /** True while {@code reader} is in their quiet hours: the message waits for a sweep after they end. */
    public boolean quiet(Reader reader, Instant now) {
        return quietUntil(reader, now).isPresent();
    }

    /** The same for a message about {@code moment}, which must not wait until it has passed. */
    public Timing timing(Reader reader, Instant now, Instant moment) {
        return quietUntil(reader, now)
                .map(end -> end.plus(LAST_NOTICE).isAfter(moment) ? Timing.NOW_SILENTLY : Timing.LATER)
                .orElse(Timing.NOW);
    }

    private Optional<Instant> quietUntil(Reader reader, Instant now) {
        return reader.quietHours().flatMap(hours -> hours.endIfQuiet(now, zone(reader)));
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

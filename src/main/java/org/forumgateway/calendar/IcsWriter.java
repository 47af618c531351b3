package org.forumgateway.calendar;

import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Action;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RefreshInterval;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableTransp;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import org.forumgateway.events.Event;
import org.forumgateway.i18n.Translator;
import org.forumgateway.rsvp.RsvpStatus;
import org.forumgateway.storage.KeptValues;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * iCalendar (RFC 5545) files of events: times in the venue's zone with its VTIMEZONE, the venue as location,
 * and a display alarm before the start. An event the reader might attend, or waits for a seat at, is TENTATIVE
 * (and a waitlisted one says so in its title); a cancelled one says so in its title and has no alarm; lines are
 * folded at 75 octets. Thread-safe.
 */
public final class IcsWriter {
    private static final Duration DEFAULT_ALARM = Duration.ofHours(1);
    private static final String UID_DOMAIN = "calendar.uid-domain";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How often a subscribed app is asked to fetch the feed again. */
    private static final Duration REFRESH = Duration.ofHours(1);
    private final TimeZoneRegistry zones = TimeZoneRegistryFactory.getInstance().createRegistry();
    private final String uidDomain;
    private final ZoneId forumZone;
    private final Clock clock;

    /**
     * @param uidDomain the right-hand side of every event's UID, stable across runs ({@link #uidDomain})
     * @param forumZone the forum's own zone, for a feed with no event in it
     * @param clock     when a file is made
     */
    public IcsWriter(String uidDomain, ZoneId forumZone, Clock clock) {
        this.uidDomain = uidDomain;
        this.forumZone = forumZone;
        this.clock = clock;
    }

    /**
     * This installation's UID domain, chosen at its first start with this rule and kept. A UID must not change (a
     * calendar that imported an event's file would take the next one for another event) and must not be another
     * forum's too (an event "plenary" of two forums in one calendar would be one). A new installation gets a random
     * domain: the public URL's host changed with the address, and was localhost on every bot without one. An
     * installation that has loaded events already keeps the host it used, {@code formerDomain}, so that the UIDs its
     * calendars hold stay the same.
     */
    public static String uidDomain(KeptValues kept, boolean eventsLoaded, String formerDomain) {
        return kept.keep(UID_DOMAIN, () -> eventsLoaded ? formerDomain
                : HexFormat.of().formatHex(randomBytes(8)) + ".forum-gateway.invalid");
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * A personal feed of {@code entries}, named in the translator's language, for an app that subscribes to it: it
     * asks to be fetched again every hour (most apps otherwise wait a day before they look for a moved session).
     * An empty feed carries the forum zone's VTIMEZONE, since a calendar must hold a component.
     */
    public String feed(List<CalendarEntry> entries, Translator translator, String fallbackLocale) {
        Calendar calendar = calendar();
        calendar.add(new XProperty("X-WR-CALNAME", translator.text("calendar.feedName")));
        calendar.add(new RefreshInterval(new ParameterList(List.of(Value.DURATION)), REFRESH));
        calendar.add(new XProperty("X-PUBLISHED-TTL", REFRESH.toString()));
        return written(calendar, entries, translator, fallbackLocale, Optional.empty());
    }

    /**
     * One event, as a file to open: published (an app adds it, or updates the copy it has by UID and SEQUENCE)
     * and without a calendar name, which Outlook takes as the name of a new calendar to create for it.
     */
    public String file(CalendarEntry entry, Translator translator, String fallbackLocale) {
        Calendar calendar = calendar();
        calendar.add(ImmutableMethod.PUBLISH);
        return written(calendar, List.of(entry), translator, fallbackLocale, Optional.of(clock.instant()));
    }

    private static Calendar calendar() {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//forum-gateway//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        return calendar;
    }

    /**
     * @param createdAt when a file with a METHOD is made: its DTSTAMP then (RFC 5545 3.8.7.2), the last change going
     *                  in LAST-MODIFIED; a feed has no METHOD, and each event's DTSTAMP is its last change
     */
    private String written(Calendar calendar, List<CalendarEntry> entries, Translator translator,
                           String fallbackLocale, Optional<Instant> createdAt) {
        Set<ZoneId> usedZones = entries.stream().map(entry -> entry.event().zone())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (usedZones.isEmpty()) {
            usedZones.add(forumZone);
        }
        for (ZoneId zone : usedZones) {
            TimeZone timeZone = zones.getTimeZone(zone.getId());
            if (timeZone != null) {
                calendar.add(timeZone.getVTimeZone());
            }
        }
        for (CalendarEntry entry : entries) {
            calendar.add(vevent(entry, translator, fallbackLocale, createdAt));
        }
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return IcsLines.refold(out.toString());
    }

    private VEvent vevent(CalendarEntry entry, Translator translator, String fallbackLocale,
                          Optional<Instant> createdAt) {
        Event event = entry.event();
        String locale = translator.locale();
        String title = event.title().in(locale, fallbackLocale);
        boolean waiting = entry.answer().filter(RsvpStatus.WAITLISTED::equals).isPresent();
        // Outlook shows a cancelled event as any other, and Apple's only struck through: the title says it.
        String summary = event.cancelled() ? translator.text("calendar.cancelledPrefix") + " " + title
                : waiting ? translator.text("calendar.waitlistedPrefix") + " " + title : title;
        VEvent vevent = new VEvent(event.start().atZone(event.zone()), event.end().atZone(event.zone()), summary);
        // In a feed, when this person's copy last changed, not when it was written out: the same feed twice is the
        // same text.
        vevent.replace(new DtStamp(createdAt.orElse(entry.revisedAt())));
        if (createdAt.isPresent()) {
            vevent.add(new LastModified(entry.revisedAt()));
        }
        vevent.add(new Uid(event.key() + "@" + uidDomain));
        vevent.add(new Sequence(entry.sequence()));
        String description = event.description().in(locale, fallbackLocale);
        if (!description.isEmpty()) {
            vevent.add(new Description(description));
        }
        event.venue().ifPresent(venue -> vevent.add(new Location(venue.label(locale, fallbackLocale))));
        vevent.add(new Status(status(entry)));
        if (event.cancelled()) {
            // No alarm for what will not happen, and the time shows as free.
            vevent.add(ImmutableTransp.TRANSPARENT);
            return vevent;
        }
        Duration before = event.reminders().stream().min(Duration::compareTo).orElse(DEFAULT_ALARM);
        VAlarm alarm = new VAlarm(before.negated());
        alarm.add(new Action(Action.VALUE_DISPLAY));
        alarm.add(new Description(summary));
        vevent.add(alarm);
        return vevent;
    }

    private static String status(CalendarEntry entry) {
        if (entry.event().cancelled()) {
            return Status.VALUE_CANCELLED;
        }
        // The reader's own standing: a seat they might take or wait for is not a firm appointment. Someone who
        // declined and adds the event all the same gets it as it is, confirmed.
        boolean hoped = entry.answer().filter(answer -> answer == RsvpStatus.MAYBE || answer == RsvpStatus.WAITLISTED)
                .isPresent();
        return hoped ? Status.VALUE_TENTATIVE : Status.VALUE_CONFIRMED;
    }
}

package org.forumgateway.calendar;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.Observance;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.TzOffsetTo;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventFileParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringReader;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The VTIMEZONE of a calendar file (ical4j's bundled definitions) gives every event the offset the bot shows on its
 * card, which comes from the JDK's rules: a calendar app that trusts the file puts the event at the same instant.
 * Kazakhstan moved from +06 to +05 in March 2024; an ical4j or JDK whose data lags behind the other fails here.
 */
class IcsTimeZonesTest {
    /** The forum's zone choices, and one with summer time whose change falls between the two events. */
    @ParameterizedTest
    @ValueSource(strings = {"Asia/Seoul", "Asia/Almaty", "Asia/Tashkent", "Asia/Bishkek", "Asia/Dushanbe",
            "Asia/Ashgabat", "Europe/Berlin"})
    void theFilesOffsetAtEachEventIsTheJdksOne(String zoneId) throws IOException, ParserException {
        ZoneId zone = ZoneId.of(zoneId);
        List<Event> events = new EventFileParser("events.yaml").parse("""
                events:
                  - key: winter
                    kind: forum
                    title: {en: "Winter session"}
                    timezone: %1$s
                    start: 2026-12-08T10:00
                    end: 2026-12-08T12:00
                    audience: public
                  - key: spring
                    kind: forum
                    title: {en: "Spring session"}
                    timezone: %1$s
                    start: 2027-04-20T10:00
                    end: 2027-04-20T12:00
                    audience: public
                """.formatted(zoneId)).events();

        String ics = IcsWriterTest.WRITER.feed(events.stream()
                .map(event -> new CalendarEntry(event, Optional.empty(), 0, IcsWriterTest.STORED)).toList(),
                IcsWriterTest.english(), "en");

        Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
        VTimeZone timeZone = calendar.<VTimeZone>getComponent(Component.VTIMEZONE).orElseThrow();
        for (Event event : events) {
            Observance observance = timeZone.getApplicableObservance(event.startsAt());
            ZoneOffset written = observance.<TzOffsetTo>getProperty(Property.TZOFFSETTO).orElseThrow().getOffset();
            assertEquals(zone.getRules().getOffset(event.startsAt()), written, event.key() + " in " + zoneId);
        }
    }
}

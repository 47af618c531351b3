package org.forumgateway.calendar;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventFileParser;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.rsvp.RsvpStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a calendar app reads in the bot's files: the reader's own standing at each event, revisions, line lengths. */
class IcsWriterTest {
    private static final MessageCatalog CATALOG = MessageCatalog.load(Path.of("messages"), "en",
            List.of("ko", "en", "ru", "kk", "uz", "ky", "tg", "tk"));

    /** When a file is made. */
    static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");
    static final IcsWriter WRITER = new IcsWriter("forum.example.org", ZoneId.of("Asia/Seoul"),
            Clock.fixed(NOW, ZoneOffset.UTC));
    /** When the entries' events and answers were last stored. */
    static final Instant STORED = Instant.parse("2026-11-20T06:30:00Z");

    static Translator english() {
        return CATALOG.translator("en");
    }

    private final List<Event> events = new EventFileParser("events.yaml").parse("""
            events:
              - key: plenary
                kind: forum
                title: {en: "Plenary", ru: "Пленарное заседание", ko: "한-중앙아 협력 포럼 본회의: 지속 가능한 발전과 디지털 전환을 위한 협력 방안"}
                venue: {name: "Lotte Hotel Seoul", address: "30 Eulji-ro, Jung-gu, Seoul"}
                timezone: Asia/Seoul
                start: 2026-12-08T10:00
                end: 2026-12-08T12:00
                audience: public
              - key: lunch
                kind: side-meeting
                title: {en: "Lunch"}
                timezone: Asia/Seoul
                start: 2026-12-08T12:15
                end: 2026-12-08T13:45
                audience: public
              - key: dinner
                kind: side-meeting
                title: {en: "Dinner"}
                timezone: Asia/Seoul
                start: 2026-12-08T19:00
                end: 2026-12-08T21:00
                audience: public
              - key: excursion
                kind: side-meeting
                title: {en: "Excursion"}
                timezone: Asia/Seoul
                start: 2026-12-09T09:00
                end: 2026-12-09T17:00
                audience: public
                cancelled: true
            """).events();

    private Map<String, VEvent> written(String ics) throws IOException, ParserException {
        Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
        return calendar.<VEvent>getComponents(Component.VEVENT).stream().collect(Collectors.toMap(
                event -> event.<net.fortuna.ical4j.model.property.Uid>getProperty(Property.UID).orElseThrow().getValue()
                        .replace("@forum.example.org", ""),
                event -> event));
    }

    private static String property(VEvent event, String name) {
        return event.getProperty(name).orElseThrow().getValue();
    }

    @Test
    void aSeatOnlyHopedForIsTentativeAndTheWaitingListSaysSoInTheReadersLanguage() throws Exception {
        Map<String, Event> byKey = events.stream().collect(Collectors.toMap(Event::key, event -> event));
        String ics = WRITER.feed(List.of(
                new CalendarEntry(byKey.get("plenary"), Optional.of(RsvpStatus.WAITLISTED), 2, STORED),
                new CalendarEntry(byKey.get("lunch"), Optional.of(RsvpStatus.MAYBE), 0, STORED),
                new CalendarEntry(byKey.get("dinner"), Optional.of(RsvpStatus.GOING), 0, STORED),
                new CalendarEntry(byKey.get("excursion"), Optional.of(RsvpStatus.GOING), 1, STORED)),
                CATALOG.translator("ru"), "en");

        Map<String, VEvent> written = written(ics);
        assertEquals("Лист ожидания: Пленарное заседание", property(written.get("plenary"), Property.SUMMARY));
        assertEquals("TENTATIVE", property(written.get("plenary"), Property.STATUS));
        assertEquals("2", property(written.get("plenary"), Property.SEQUENCE), "a moved event is a newer version");
        assertEquals("TENTATIVE", property(written.get("lunch"), Property.STATUS));
        assertEquals("Lunch", property(written.get("lunch"), Property.SUMMARY));
        assertEquals("CONFIRMED", property(written.get("dinner"), Property.STATUS));
        assertEquals("0", property(written.get("dinner"), Property.SEQUENCE));
        assertEquals("CANCELLED", property(written.get("excursion"), Property.STATUS));
    }

    @Test
    void aCancelledEventSaysSoInItsTitleRingsNoAlarmAndLeavesTheTimeFree() throws Exception {
        Event excursion = events.get(3);
        VEvent written = written(WRITER.feed(List.of(new CalendarEntry(excursion, Optional.of(RsvpStatus.GOING), 1,
                STORED)), CATALOG.translator("ru"), "en")).get("excursion");
        assertEquals("Отменено: Excursion", property(written, Property.SUMMARY), "Outlook shows no other sign");
        assertEquals(List.of(), written.getAlarms());
        assertEquals("TRANSPARENT", property(written, Property.TRANSP));
        VEvent dinner = written(WRITER.feed(List.of(new CalendarEntry(events.get(2), Optional.of(RsvpStatus.GOING), 0,
                STORED)), english(), "en")).get("dinner");
        assertEquals(1, dinner.getAlarms().size(), "an event that takes place keeps its alarm");
    }

    @Test
    void aFeedAsksToBeFetchedHourlyAndIsTheSameTextWhileNothingChanged() throws Exception {
        List<CalendarEntry> entries = List.of(new CalendarEntry(events.get(0), Optional.of(RsvpStatus.GOING), 0, STORED));
        String feed = WRITER.feed(entries, english(), "en");
        Calendar calendar = new CalendarBuilder().build(new StringReader(feed));
        assertEquals("PT1H", calendar.getProperty("REFRESH-INTERVAL").orElseThrow().getValue());
        assertEquals("PT1H", calendar.getProperty("X-PUBLISHED-TTL").orElseThrow().getValue());
        assertEquals("Forum events", calendar.getProperty("X-WR-CALNAME").orElseThrow().getValue());
        assertEquals("20261120T063000Z", property(written(feed).get("plenary"), Property.DTSTAMP),
                "stamped when it was stored, not when it was written out");
        assertEquals(feed, WRITER.feed(entries, english(), "en"));
    }

    @Test
    void anEmptyFeedStillHoldsAComponentAsRfc5545Requires() throws Exception {
        Calendar calendar = new CalendarBuilder().build(new StringReader(WRITER.feed(List.of(), english(), "en")));
        assertEquals(List.of("VTIMEZONE"), calendar.getComponents().stream().map(Component::getName).toList());
        assertEquals("Asia/Seoul", calendar.getComponents().get(0).getProperty(Property.TZID).orElseThrow().getValue());
    }

    @Test
    void aSingleEventFileIsPublishedWithoutACalendarNameOutlookWouldCreateACalendarFor() throws Exception {
        String file = WRITER.file(new CalendarEntry(events.get(0), Optional.empty(), 0, STORED), english(), "en");
        Calendar calendar = new CalendarBuilder().build(new StringReader(file));
        assertEquals("PUBLISH", calendar.getProperty(Property.METHOD).orElseThrow().getValue());
        assertTrue(calendar.getProperty("X-WR-CALNAME").isEmpty(), file);
        assertTrue(calendar.getProperty("REFRESH-INTERVAL").isEmpty(), "a file is not fetched again: " + file);
        VEvent plenary = written(file).get("plenary");
        assertEquals("20261125T090000Z", property(plenary, Property.DTSTAMP), "with a METHOD: when the file was made");
        assertEquals("20261120T063000Z", property(plenary, Property.LAST_MODIFIED));
        assertEquals("Plenary", property(written(file).get("plenary"), Property.SUMMARY));
    }

    @Test
    void everyLineIsAtMost75OctetsAndALongKoreanTitleReadsBackWhole() throws Exception {
        Event plenary = events.get(0);
        String ics = WRITER.file(new CalendarEntry(plenary, Optional.empty(), 0, STORED), CATALOG.translator("ko"), "en");
        for (String line : ics.split("\r\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= IcsLines.MAX_OCTETS, line);
        }
        assertTrue(ics.endsWith("END:VCALENDAR\r\n"), ics);
        assertEquals(plenary.title().in("ko", "en"), property(written(ics).get("plenary"), Property.SUMMARY));
    }
}

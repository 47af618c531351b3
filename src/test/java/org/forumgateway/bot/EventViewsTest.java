package org.forumgateway.bot;

import org.forumgateway.events.Event;
import org.forumgateway.events.EventFileParser;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an event's time reads on its card and in notices. */
class EventViewsTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private final MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", List.of());
    private final EventViews views = new EventViews(SEOUL, "en", MutableClock.frozenAt("2026-12-01T00:00:00Z"));

    private static Event event(String start, String end) {
        return new EventFileParser("events.yaml").parse("""
                events:
                  - key: meeting
                    kind: forum
                    title: {en: "Meeting"}
                    timezone: Asia/Seoul
                    start: %s
                    end: %s
                    audience: public
                """.formatted(start, end)).events().get(0);
    }

    @Test
    void aListsZoneRuleGivesTheOffsetOfTheTimesListedNotTodays() {
        Translator en = catalog.translator("en");
        ZoneId berlin = ZoneId.of("Europe/Berlin"); // UTC+1 on the clock's December day, UTC+2 from 28 March
        Instant march = Instant.parse("2027-03-20T09:00:00Z");
        Instant april = Instant.parse("2027-04-02T09:00:00Z");
        assertTrue(views.zoneRule(berlin, en).contains("(UTC+1)"), views.zoneRule(berlin, en));
        assertTrue(views.zoneRule(berlin, en, List.of(april)).contains("(UTC+2)"));
        String spanning = views.zoneRule(berlin, en, List.of(april, march));
        assertTrue(spanning.contains("(UTC+1/UTC+2)"), spanning);
    }

    @Test
    void aCardSaysWhetherTheEventHasBegunOrIsOver() {
        Translator en = catalog.translator("en");
        Event today = event("2026-12-01T08:00", "2026-12-01T10:00"); // the clock: 09:00 in Seoul
        Event lastWeek = event("2026-11-24T08:00", "2026-11-24T10:00");
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        assertEquals(Optional.of(Event.RsvpClosure.STARTED), today.rsvpClosure(now));
        assertEquals(Optional.of(Event.RsvpClosure.ENDED), lastWeek.rsvpClosure(now));
        assertEquals("This event has begun; replies are closed.",
                en.text("event.closed." + EventViews.closureKey(today.rsvpClosure(now).orElseThrow())));
        assertEquals("This event has ended.",
                en.text("event.closed." + EventViews.closureKey(lastWeek.rsvpClosure(now).orElseThrow())));
    }

    @Test
    void anEventOfOneDayGivesItsDateOnce() {
        Translator en = catalog.translator("en");
        assertEquals("🗓 Tuesday, December 8, 10:00–12:00 (Seoul)",
                views.when(event("2026-12-08T10:00", "2026-12-08T12:00"), SEOUL, en));
    }

    @Test
    void anEventOverTwoDaysGivesTheDayItEnds() {
        Translator en = catalog.translator("en");
        assertEquals("🗓 Tuesday, December 8, 10:00–Wednesday, December 9, 17:00 (Seoul)",
                views.when(event("2026-12-08T10:00", "2026-12-09T17:00"), SEOUL, en));
    }

    @Test
    void anEveningThatEndsAfterMidnightInTheReadersZoneSaysSoThere() {
        Translator en = catalog.translator("en");
        // 18:00-22:00 in Seoul is 22:00-02:00 in Auckland (UTC+13 in December).
        String when = views.when(event("2026-12-08T18:00", "2026-12-08T22:00"), ZoneId.of("Pacific/Auckland"), en);
        assertEquals("🗓 Tuesday, December 8, 18:00–22:00 (Seoul)\n"
                + "🕒 In your time zone: Tuesday, December 8, 22:00–Wednesday, December 9, 02:00 (Auckland)", when);
    }
}

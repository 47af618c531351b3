package org.forumgateway.events;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventFileParserTest {
    private final EventFileParser parser = new EventFileParser("events.yaml");

    @Test
    void theShippedSampleFileIsValid() throws IOException {
        EventFile file = parser.parse(Files.readString(Path.of("config/events.yaml")));
        assertTrue(file.events().size() >= 5);
        assertTrue(file.events().stream().anyMatch(event -> event.kind() == EventKind.FORUM));
        assertTrue(file.events().stream().anyMatch(event -> event.kind() == EventKind.SIDE_MEETING
                && event.audience().kind() == Audience.Kind.DELEGATES));
        assertTrue(file.events().stream().anyMatch(event -> event.kind() == EventKind.SECRETARIAT));
        assertTrue(file.events().stream().anyMatch(event -> event.audience().kind() == Audience.Kind.COHORT));
        assertEquals(1, file.cohorts().get(0).number(), "the real first cohort");
    }

    @Test
    void everyFieldIsRead() {
        Event event = parser.parse("""
                cohorts:
                  - number: 3
                    name: {en: "3rd Supporters"}
                    start: 2019-08-01
                    end: 2019-12-31
                events:
                  - key: kcaf-11-plenary
                    kind: forum
                    title: {ko: "본회의", en: "Plenary", ru: "Пленарное заседание"}
                    description: {en: "Opening"}
                    venue: {name: "Lotte Hotel", address: "30 Eulji-ro"}
                    timezone: Asia/Seoul
                    start: 2026-12-03T10:00
                    end: 2026-12-03T12:00:30
                    capacity: 120
                    rsvp_deadline: 2026-12-01T18:00
                    audience: cohort:3
                    reminders: [24h, 1h, 30m, 2d]
                    cancelled: true
                """).events().get(0);
        assertEquals("kcaf-11-plenary", event.key());
        assertEquals("Пленарное заседание", event.title().in("ru", "en"));
        assertEquals("Plenary", event.title().in("uz", "en"));
        assertEquals("Opening", event.description().in("ko", "en"));
        assertEquals("Lotte Hotel, 30 Eulji-ro", event.venue().orElseThrow().label("ko", "en"));
        assertEquals(ZoneId.of("Asia/Seoul"), event.zone());
        assertEquals(LocalDateTime.of(2026, 12, 3, 12, 0, 30), event.end());
        assertEquals(Optional.of(120), event.capacity());
        assertEquals(Audience.cohort(3), event.audience());
        assertEquals(List.of(Duration.ofHours(24), Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofDays(2)),
                event.reminders());
        assertTrue(event.cancelled());
        assertEquals("2026-12-03T01:00:00Z", event.startsAt().toString());
    }

    @Test
    void aCohortEventOfACohortTheFileDoesNotHaveIsRefusedNamingTheLine() {
        EventFileException error = assertThrows(EventFileException.class, () -> parser.parse("""
                cohorts:
                  - number: 10
                    name: {en: "10th Supporters"}
                    start: 2026-09-01
                    end: 2026-12-31
                events:
                  - key: volunteer-briefing
                    kind: secretariat
                    title: {en: "Briefing"}
                    timezone: Asia/Seoul
                    start: 2026-12-03T10:00
                    end: 2026-12-03T12:00
                    audience: cohort:11
                """));
        assertEquals("events.yaml line 13: events[0] (volunteer-briefing).audience names cohort 11, which is not under "
                + "cohorts: in this file", error.getMessage());
    }

    /** What an operator writes per language: each of these takes a map of language to text, or one plain text. */
    @Nested
    class LocalizableFields {
        private final EventFile file = parser.parse("""
                cohorts:
                  - number: 1
                    name: {ko: "제1기 서포터즈", en: "1st Supporters' cohort", kk: "Еріктілердің 1-тобы"}
                    start: 2017-08-01
                    end: 2017-12-31
                events:
                  - key: plenary
                    kind: forum
                    title: {ko: "본회의", en: "Plenary", uz: "Yalpi majlis"}
                    description: {en: "Opening", tg: "Кушодашавӣ"}
                    venue:
                      name: {en: "KF Gallery", ko: "한국국제교류재단(KF) 갤러리", ru: "Галерея Корейского фонда"}
                      address: {en: "26 Eulji-ro 5-gil, Seoul", ky: "Сеул, Ыльчжи-ро 5-гиль, 26"}
                    timezone: Asia/Seoul
                    start: 2026-12-03T10:00
                    end: 2026-12-03T12:00
                  - key: seminar
                    kind: secretariat
                    title: "Seminar"
                    description: "One text for every language"
                    venue: "Korea Foundation"
                    timezone: Asia/Seoul
                    start: 2026-12-04T10:00
                    end: 2026-12-04T12:00
                """);

        @Test
        void titleDescriptionVenueNameVenueAddressAndCohortNameTakeATextPerLanguage() {
            Event plenary = file.events().get(0);
            assertEquals("Yalpi majlis", plenary.title().in("uz", "en"));
            assertEquals("Кушодашавӣ", plenary.description().in("tg", "en"));
            assertEquals("Галерея Корейского фонда, 26 Eulji-ro 5-gil, Seoul", plenary.venue().orElseThrow().label("ru", "en"));
            assertEquals("KF Gallery, Сеул, Ыльчжи-ро 5-гиль, 26", plenary.venue().orElseThrow().label("ky", "en"));
            assertEquals("Еріктілердің 1-тобы", file.cohorts().get(0).name().in("kk", "en"));
        }

        @Test
        void aLanguageWithoutItsOwnTextGetsTheDefaultOne() {
            Event plenary = file.events().get(0);
            assertEquals("Plenary", plenary.title().in("tk", "en"));
            assertEquals("KF Gallery, 26 Eulji-ro 5-gil, Seoul", plenary.venue().orElseThrow().label("tk", "en"));
            assertEquals("1st Supporters' cohort", file.cohorts().get(0).name().in("ru", "en"));
        }

        @Test
        void aPlainTextStillServesEveryLanguage() {
            Event seminar = file.events().get(1);
            for (String locale : List.of("ko", "en", "ru", "kk", "uz", "ky", "tg", "tk")) {
                assertEquals("Seminar", seminar.title().in(locale, "en"));
                assertEquals("One text for every language", seminar.description().in(locale, "en"));
                assertEquals("Korea Foundation", seminar.venue().orElseThrow().label(locale, "en"));
            }
        }
    }

    @Nested
    class MalformedFilesNameTheLineAndTheField {
        private String failure(String yaml) {
            String message = assertThrows(EventFileException.class, () -> parser.parse(yaml)).getMessage();
            assertFalse(message.contains("\n"), message);
            return message;
        }

        private static final String HEAD = """
                events:
                  - key: seminar
                    kind: secretariat
                    title: {en: "Seminar"}
                    timezone: Asia/Seoul
                """;

        @Test
        void badDate() {
            assertEquals("events.yaml line 6: events[0] (seminar).start '2026-13-01T10:00' is not a local date and "
                            + "time like 2026-12-03T10:00",
                    failure(HEAD + "    start: 2026-13-01T10:00\n    end: 2026-12-01T12:00\n"));
        }

        @Test
        void endBeforeStart() {
            assertTrue(failure(HEAD + "    start: 2026-12-01T10:00\n    end: 2026-12-01T09:00\n")
                    .startsWith("events.yaml line 7: events[0] (seminar).end must be after start"));
        }

        @Test
        void aTimeTheVenuesClocksSkipIsRefusedWithItsLine() {
            String berlin = HEAD.replace("Asia/Seoul", "Europe/Berlin");
            // 28 March 2027: Berlin's clocks go from 02:00 to 03:00.
            assertEquals("events.yaml line 6: events[0] (seminar).start '2027-03-28T02:30' does not exist in the "
                            + "Europe/Berlin time zone: the clocks go forward that night and skip it",
                    failure(berlin + "    start: 2027-03-28T02:30\n    end: 2027-03-28T04:00\n"));
            assertTrue(failure(berlin + "    start: 2027-03-28T01:00\n    end: 2027-03-28T02:15\n")
                    .startsWith("events.yaml line 7: events[0] (seminar).end '2027-03-28T02:15' does not exist"));
            assertTrue(failure(berlin + "    start: 2027-03-28T10:00\n    end: 2027-03-28T12:00\n"
                    + "    rsvp_deadline: 2027-03-28T02:00\n").contains("line 8: events[0] (seminar).rsvp_deadline"));
        }

        @Test
        void unknownZone() {
            assertTrue(failure(HEAD.replace("Asia/Seoul", "Asia/Astana")
                    + "    start: 2026-12-01T10:00\n    end: 2026-12-01T12:00\n").contains("line 5"));
        }

        @Test
        void aFixedOffsetIsRefusedAsTheVenuesZone() {
            for (String offset : new String[] {"+09:00", "UTC+9", "GMT+9"}) {
                assertTrue(failure(HEAD.replace("Asia/Seoul", "\"" + offset + "\"")
                                + "    start: 2026-12-01T10:00\n    end: 2026-12-01T12:00\n")
                        .contains("line 5: events[0] (seminar).timezone '" + offset + "' is not an IANA time zone"),
                        offset);
            }
        }

        @Test
        void misspelledField() {
            assertTrue(failure(HEAD + "    start: 2026-12-01T10:00\n    end: 2026-12-01T12:00\n    capcity: 3\n")
                    .contains("line 8: events[0].capcity is not a known field"));
        }

        @Test
        void duplicateKey() {
            String event = HEAD.substring("events:\n".length()) + "    start: 2026-12-01T10:00\n    end: 2026-12-01T12:00\n";
            assertTrue(failure("events:\n" + event + event).contains("events[1].key 'seminar' is used twice"));
        }

        @Test
        void missingTitle() {
            assertTrue(failure("""
                    events:
                      - key: x
                        kind: forum
                        timezone: Asia/Seoul
                        start: 2026-12-01T10:00
                        end: 2026-12-01T12:00
                    """).contains("events[0] (x).title is required"));
        }

        @Test
        void badKeyAudienceCapacityAndReminder() {
            String event = HEAD + "    start: 2026-12-01T10:00\n    end: 2026-12-01T12:00\n";
            assertTrue(failure(event.replace("key: seminar", "key: Seminar 1")).contains(".key 'Seminar 1' must be"));
            assertTrue(failure(event + "    audience: ministers\n").contains("'ministers' is not one of"));
            assertTrue(failure(event + "    capacity: -5\n").contains("'-5' is not a positive whole number"));
            assertTrue(failure(event + "    reminders: [1w]\n").contains("'1w' is not a duration"));
        }

        @Test
        void brokenYaml() {
            assertTrue(failure("events:\n  - key: [unclosed\n").startsWith("events.yaml line"));
        }
    }
}

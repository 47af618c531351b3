package org.forumgateway.events;

import org.forumgateway.i18n.LocalizedText;
import org.forumgateway.storage.Database;
import org.forumgateway.storage.JsonText;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An event's revision, its SEQUENCE in calendar files: raised by what a calendar shows, and by nothing else. */
class EventRevisionTest {
    @TempDir
    Path folder;

    private static Event parse(String start, String venue, String capacity, boolean cancelled) {
        return new EventFileParser("events.yaml").parse("""
                events:
                  - key: plenary
                    kind: forum
                    title: {en: "Plenary"}
                    venue: {name: "%s"}
                    timezone: Asia/Seoul
                    start: %s
                    end: 2026-12-08T18:00
                    capacity: %s
                    audience: public
                    cancelled: %s
                """.formatted(venue, start, capacity, cancelled)).events().get(0);
    }

    private static Event withReminders(Event event, Duration reminder) {
        return new Event(event.key(), event.kind(), event.title(), event.description(), event.venue(), event.zone(),
                event.start(), event.end(), event.capacity(), event.rsvpDeadline(), event.audience(),
                List.of(reminder), event.cancelled());
    }

    /** The event's revision, its SEQUENCE in calendar files; 0 for an unknown key. */
    private static int revision(Handle handle, String key) {
        return handle.createQuery("SELECT revision FROM events WHERE key = :key").bind("key", key)
                .mapTo(Integer.class).findOne().orElse(0);
    }

    private static long updatedAt(Handle handle) {
        return handle.createQuery("SELECT updated_at FROM events WHERE key = 'plenary'").mapTo(Long.class).one();
    }

    @Test
    void aTextInSeveralLanguagesIsStoredInLocaleOrderSoThatAReloadAfterARestartComparesEqual() {
        // Map.copyOf's iteration order differs between JVM starts; the stored JSON must not.
        LocalizedText title = new LocalizedText(Map.of("ru", "Пленарное заседание", "en", "Plenary", "ko", "본회의"));
        assertEquals("{\"en\":\"Plenary\",\"ko\":\"본회의\",\"ru\":\"Пленарное заседание\"}", JsonText.write(title));
    }

    @Test
    void movesVenuesAndCancellationsRaiseItAReloadOfTheSameOrMoreSeatsDoesNot() {
        EventDao events = new EventDao();
        Instant now = Instant.parse("2026-11-20T09:00:00Z");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            database.jdbi().useTransaction(handle -> {
                events.upsert(handle, parse("2026-12-08T10:00", "Lotte Hotel", "50", false), now);
                assertEquals(0, revision(handle, "plenary"));
                events.upsert(handle, parse("2026-12-08T10:00", "Lotte Hotel", "50", false), now);
                events.upsert(handle, parse("2026-12-08T10:00", "Lotte Hotel", "80", false), now);
                assertEquals(0, revision(handle, "plenary"), "the same reload, and seats, change nothing shown");
                events.upsert(handle, parse("2026-12-08T11:00", "Lotte Hotel", "80", false), now);
                assertEquals(1, revision(handle, "plenary"));
                events.upsert(handle, parse("2026-12-08T11:00", "Shilla Hotel", "80", false), now);
                events.upsert(handle, parse("2026-12-08T11:00", "Shilla Hotel", "80", true), now);
                assertEquals(3, revision(handle, "plenary"));
                assertEquals(0, revision(handle, "unknown"));
                events.upsert(handle, withReminders(parse("2026-12-08T11:00", "Shilla Hotel", "80", true),
                        Duration.ofHours(3)), now);
                assertEquals(4, revision(handle, "plenary"), "its alarm is another reminder now");
                long stamped = updatedAt(handle);
                events.upsert(handle, withReminders(parse("2026-12-08T11:00", "Shilla Hotel", "120", true),
                        Duration.ofHours(3)), now.plusSeconds(3600));
                assertEquals(stamped, updatedAt(handle), "a calendar's DTSTAMP: seats are not shown there");
            });
        }
    }
}

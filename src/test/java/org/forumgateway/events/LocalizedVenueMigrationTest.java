package org.forumgateway.events;

import org.forumgateway.storage.Database;
import org.forumgateway.testing.OlderDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** V9: venues stored as one text before localized venues keep their text, for every language. */
class LocalizedVenueMigrationTest {
    @TempDir
    Path folder;

    @Test
    void aVenueWrittenBeforeV9ReadsTheSameInEveryLanguage() {
        Path file = folder.resolve("bot.db");
        OlderDatabase.migratedUpTo(file, "6").useHandle(handle -> handle.execute("""
                INSERT INTO events (key, kind, title, description, venue_name, venue_address, time_zone, local_start,
                                    local_end, starts_at, ends_at, audience, reminders, updated_at)
                VALUES ('plenary', 'forum', '{"en":"Plenary"}', '{}', 'Lotte Hotel Seoul', '30 Eulji-ro',
                        'Asia/Seoul', '2026-12-08T10:00', '2026-12-08T12:00', 0, 0, 'public', '', 0)"""));

        Database migrated = Database.open(file);
        Event event = migrated.jdbi().withHandle(handle -> new EventDao().find(handle, "plenary")).orElseThrow();
        for (String locale : List.of("ko", "en", "ru", "kk", "uz", "ky", "tg", "tk")) {
            assertEquals("Lotte Hotel Seoul, 30 Eulji-ro", event.venue().orElseThrow().label(locale, "en"));
        }
    }
}

package org.forumgateway.users;

import org.forumgateway.storage.Database;
import org.forumgateway.testing.OlderDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V24: a person blocked before it keeps their block's time as the time their status changed; an active one has none,
 * so any refusal after the upgrade counts.
 */
class StatusChangedMigrationTest {
    @TempDir
    Path folder;

    @Test
    void aBlockKeepsItsTimeAndAnActivePersonHasNone() {
        Path file = folder.resolve("bot.db");
        OlderDatabase.migratedUpTo(file, "23").useHandle(handle -> {
            handle.execute("""
                    INSERT INTO users (telegram_id, first_name, status, created_at, updated_at, last_seen_at)
                    VALUES (1, 'Blocker', 'blocked', 100, 5000, 100), (2, 'Reader', 'active', 100, 6000, 100)""");
        });

        try (Database migrated = Database.open(file)) {
            Map<Long, Long> changed = migrated.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT telegram_id, coalesce(status_changed_at, -1) AS changed FROM users")
                    .map((rs, ctx) -> Map.entry(rs.getLong("telegram_id"), rs.getLong("changed")))
                    .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
            assertEquals(Map.of(1L, 5000L, 2L, -1L), changed);
        }
    }
}

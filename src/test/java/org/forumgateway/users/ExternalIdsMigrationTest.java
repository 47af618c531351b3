package org.forumgateway.users;

import org.forumgateway.storage.Database;
import org.forumgateway.testing.OlderDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** V19: links made before it keep their person, learn which key made them, and other systems may now add theirs. */
class ExternalIdsMigrationTest {
    @TempDir
    Path folder;

    @Test
    void aLinkMadeBeforeV19StaysAndASecondSystemCanLinkThePersonToo() {
        Path file = folder.resolve("bot.db");
        OlderDatabase.migratedUpTo(file, "18").useHandle(handle -> {
            handle.execute("""
                    INSERT INTO users (telegram_id, first_name, created_at, updated_at, last_seen_at)
                    VALUES (7301, 'Nurlan', 0, 0, 0)""");
            handle.execute("""
                    INSERT INTO link_codes (code, external_id, key_name, expires_at, used_by, created_at)
                    VALUES ('c1', 'reg-kz-17', 'registration', 1, 7301, 0)""");
            handle.execute("INSERT INTO external_ids (external_id, user_id, linked_at) VALUES ('reg-kz-17', 7301, 5)");
        });

        try (Database migrated = Database.open(file)) {
            ExternalIdDao externalIds = new ExternalIdDao();
            migrated.jdbi().useHandle(handle -> {
                assertEquals("registration", handle.createQuery(
                        "SELECT key_name FROM external_ids WHERE external_id = 'reg-kz-17'").mapTo(String.class).one());
                externalIds.link(handle, "web-77", 7301, "website", Instant.ofEpochMilli(10));
                assertEquals(List.of("reg-kz-17", "web-77"), handle.createQuery(
                        "SELECT external_id FROM external_ids WHERE user_id = 7301 ORDER BY linked_at")
                        .mapTo(String.class).list());
                assertEquals("web-77", externalIds.links(handle, 7301).latest().orElseThrow(), "the latest link");
            });
        }
    }
}

package org.forumgateway.api;

import org.forumgateway.storage.Database;
import org.forumgateway.testing.OlderDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V20: API messages settled before it count as having published message.completed (no news of old messages after an
 * upgrade); a message still sending publishes it when it settles.
 */
class ApiMessageCompletionMigrationTest {
    @TempDir
    Path folder;

    @Test
    void messagesSettledBeforeV20CountAsPublishedAndSendingOnesDoNot() {
        Path file = folder.resolve("bot.db");
        OlderDatabase.migratedUpTo(file, "19").useHandle(handle -> {
            for (String status : new String[] {"done", "cancelled", "sending", "scheduled"}) {
                handle.execute("""
                        INSERT INTO api_messages (key_name, target, content, status, recipients, parts, created_at)
                        VALUES ('registration', '{}', '{}', ?, 1, 1, 0)""", status);
            }
        });

        try (Database migrated = Database.open(file)) {
            Map<String, Integer> published = migrated.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT status, completion_published FROM api_messages")
                    .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getInt("completion_published")))
                    .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
            assertEquals(Map.of("done", 1, "cancelled", 1, "sending", 0, "scheduled", 0), published);
        }
    }
}

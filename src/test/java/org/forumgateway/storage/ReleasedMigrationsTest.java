package org.forumgateway.storage;

import org.forumgateway.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A migration that has been released is never edited: Flyway keeps each applied migration's checksum, and a
 * database migrated with the old text refuses to start with the new one ("Validate failed"). A change goes in a new
 * migration; a new migration's line goes at the end of {@link #RELEASED}.
 */
class ReleasedMigrationsTest {
    private static final Path FOLDER = Path.of("src/main/resources/db/migration");
    /** The first 16 hex digits of each file's SHA-256, as released. */
    private static final String RELEASED = """
            af792cc5e74b1be4 V1__users.sql
            aaaee315dd0bb0d2 V2__events_rsvps_cohorts_invites.sql
            72a65a32fb25f9f0 V3__outbox.sql
            a60b7f9383166868 V4__announcements_audit.sql
            3047b7951ad76b48 V5__reminders_quiet_hours_digest.sql
            8877dd621db73c5c V6__outbox_chat_index.sql
            6bb2df5b900c513b V7__notifications_unique.sql
            2f4a476fbc6bb121 V8__kept_secrets.sql
            67b637b84c202184 V9__localized_venues.sql
            ed57ad8c230de5f5 V10__webhook_deliveries.sql
            67d60e3fcce8dfed V11__http_api.sql
            bc59f19c6793dca3 V13__announcement_media_changes.sql
            39d355c0957db769 V14__bot_groups_pins.sql
            1427bf01cfe9c49c V17__event_list_indexes.sql
            89321e1beb3411c0 V18__digest_readers_index.sql
            97fd48ac5c78900b V19__external_ids_per_system.sql
            ee5a441e04e8fc5a V20__api_message_completion.sql
            d2c5ca27b2f968ab V21__announcement_scheduled_by.sql
            b63fee40f50b1394 V22__webhook_first_attempt.sql
            b833134cc4fc8b62 V23__event_revision.sql
            bbbb964a458f0058 V24__user_status_changed_at.sql
            d36fbf7b2a3e6312 V25__outbox_notification_recipients.sql
            a40afeeb8074714b V26__notification_cancelled.sql
            1ad10cafbbb558d8 V27__announcement_audience_size.sql
            6e066c7ecc1a8d6c V28__rsvp_answer_changes.sql
            03044aacc669b636 V29__chat_menus.sql
            7e300e1f512be30f V30__bot_groups_confirmed.sql
            a596ddb51f6337c2 V31__notification_expiry.sql
            063780c5c708a333 V32__api_message_expiry.sql
            """;

    @Test
    void noReleasedMigrationIsEditedAndEveryOneIsListed() throws IOException {
        Map<String, String> released = RELEASED.lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.toMap(line -> line.substring(17), line -> line.substring(0, 16), (a, b) -> a,
                        TreeMap::new));
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.toList()) {
                found.put(file.getFileName().toString(), sha256(Files.readAllBytes(file)).substring(0, 16));
            }
        }
        assertEquals(released, found, "a released migration was edited (put the change in a new one), or a new "
                + "one is not listed in RELEASED yet");
    }

    @Test
    void aDatabaseMigratedWithAnotherTextOfAMigrationIsRefusedNamingIt(@TempDir Path folder) {
        Path path = folder.resolve("bot.db");
        try (Database database = Database.open(path)) {
            // As if V6 had been applied in another text than the one this version has.
            database.jdbi().useHandle(handle -> handle.execute(
                    "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '6'"));
        }
        ConfigException refused = assertThrows(ConfigException.class, () -> Database.open(path));
        assertTrue(refused.getMessage().startsWith("DATABASE_PATH: cannot open or migrate "), refused.getMessage());
        assertTrue(refused.getMessage().contains("checksum mismatch for migration version 6"), refused.getMessage());
        assertEquals(1, refused.getMessage().lines().count(), "one line: " + refused.getMessage());
        assertFalse(refused.getMessage().contains("repair") || refused.getMessage().contains("http"),
                "not Flyway's advice to run its own commands: " + refused.getMessage());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

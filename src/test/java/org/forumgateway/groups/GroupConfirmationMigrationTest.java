package org.forumgateway.groups;

import org.forumgateway.chat.GroupMembership;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.OlderDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V30: the groups the bot was in before it keep receiving announcements to every group; a group learnt afterwards
 * from someone who is not staff does not, until staff confirm it.
 */
class GroupConfirmationMigrationTest {
    @TempDir
    Path folder;

    @Test
    void groupsKnownBeforeV30StayInTheAudienceAndNewOnesWaitForStaff() {
        Path file = folder.resolve("bot.db");
        OlderDatabase.migratedUpTo(file, "29").useHandle(handle -> handle.execute("""
                INSERT INTO bot_groups (chat_id, title, type, member, updated_at)
                VALUES (-1001000000001, 'Forum delegates', 'supergroup', 1, 0)"""));

        try (Database migrated = Database.open(file)) {
            BotGroups groups = new BotGroups(migrated.jdbi(), Clock.systemUTC());
            BotGroups.Change added = groups.changed(
                    new GroupMembership(-1001000000002L, "Someone's group", true, true, false, false), false);
            assertEquals(new BotGroups.Change(true, false), added);

            List<Long> confirmed = migrated.jdbi().withHandle(handle -> groups.current(handle).stream()
                    .filter(BotGroup::confirmed).map(BotGroup::chatId).toList());
            assertEquals(List.of(-1001000000001L), confirmed);

            assertTrue(groups.confirm(-1001000000002L));
            assertFalse(groups.confirm(-1001000000002L), "confirmed once");
        }
    }
}

package org.forumgateway.groups;

import org.forumgateway.chat.GroupMembership;
import org.forumgateway.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A group that becomes a supergroup stays the group staff vouched for, or did not. */
class BotGroupsTest {
    private static final long OLD = -1001L;
    private static final long NEW = -100_2002L;

    @TempDir
    Path folder;
    private Database database;
    private BotGroups groups;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        groups = new BotGroups(database.jdbi(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aGroupNobodyVouchedForIsNotConfirmedByBecomingASupergroup() {
        groups.changed(new GroupMembership(OLD, "Someone's group", false, true, false, false), false);
        database.jdbi().useTransaction(handle -> groups.migrated(handle, OLD, NEW));
        assertFalse(groups.current(NEW).orElseThrow().confirmed());
    }

    @Test
    void aConfirmedGroupStaysConfirmedWhenItsSupergroupWasSeenFirst() {
        groups.changed(new GroupMembership(OLD, "Delegates", false, true, true, true), true);
        // The supergroup's first message ("migrated from") reached the bot before a send to the old id was refused.
        groups.seenIn(NEW);
        database.jdbi().useTransaction(handle -> groups.migrated(handle, OLD, NEW));
        BotGroup supergroup = groups.current(NEW).orElseThrow();
        assertTrue(supergroup.confirmed());
        assertEquals("Delegates", supergroup.title());
        assertTrue(supergroup.canPin().orElseThrow());
        assertTrue(supergroup.administrator(), "its rights as last told, not unknown");
        assertTrue(groups.current(OLD).isEmpty());
    }
}

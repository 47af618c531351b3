package org.forumgateway.calendar;

import org.forumgateway.storage.Database;
import org.forumgateway.storage.KeptValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event UIDs end in a domain of the installation's own, kept in its database. */
class UidDomainTest {
    private static final String FORMER_HOST = "forum.example.org";

    @TempDir
    Path folder;

    @Test
    void aNewInstallationKeepsARandomDomainAcrossRestartsAndAnotherHasItsOwn() {
        String first = domainOf(folder.resolve("forum.db"), false);
        String again = domainOf(folder.resolve("forum.db"), true);
        String otherForum = domainOf(folder.resolve("other-forum.db"), false);

        assertEquals(first, again, "a restart keeps the UIDs calendars already hold");
        assertNotEquals(first, otherForum, "two forums' events \"plenary\" are two events in one calendar");
        assertTrue(first.matches("[0-9a-f]{16}\\.forum-gateway\\.invalid"), first);
    }

    @Test
    void anInstallationThatHadEventsBeforeKeepsTheHostItsUidsWereMadeWith() {
        assertEquals(FORMER_HOST, domainOf(folder.resolve("forum.db"), true));
        assertEquals(FORMER_HOST, domainOf(folder.resolve("forum.db"), false), "and keeps it");
    }

    private static String domainOf(Path file, boolean eventsLoaded) {
        try (Database database = Database.open(file)) {
            return IcsWriter.uidDomain(new KeptValues(database.jdbi(), Clock.systemUTC()), eventsLoaded, FORMER_HOST);
        }
    }
}

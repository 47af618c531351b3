package org.forumgateway.storage;

import org.forumgateway.testing.MutableClock;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupsTest {
    @TempDir
    Path folder;

    @Test
    void aCopyIsNamedInTheZoneOfBackupTime() {
        // 03:00 in Seoul is 18:00 UTC the day before: the name says what the operator set, BACKUP_TIME=03:00.
        MutableClock clock = MutableClock.frozenAt("2026-12-01T18:00:00Z");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Path copy = new Backups(database, folder.resolve("backups"), 7, clock, ZoneId.of("Asia/Seoul")).backUp();
            assertEquals("forum-gateway-20261202-030000.db", copy.getFileName().toString());
        }
    }

    @Test
    void aCopyLeftHalfWrittenByACrashIsNeitherKeptNorCountedAndEveryKeptCopyOpens() throws IOException {
        MutableClock clock = MutableClock.frozenAt("2026-12-01T18:00:00Z");
        Path backups = Files.createDirectories(folder.resolve("backups"));
        // What a crash during VACUUM INTO leaves: garbage under the name being written.
        Path leftover = Files.writeString(backups.resolve("forum-gateway-20261201-030000.db" + Backups.PARTIAL),
                "half a database");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            database.jdbi().useHandle(handle -> handle.execute(
                    "INSERT INTO kept_secrets (name, value, created_at) VALUES ('probe', 'kept', 0)"));
            Backups nightly = new Backups(database, backups, 2, clock, ZoneId.of("Asia/Seoul"));
            nightly.backUp();
            clock.set(clock.instant().plusSeconds(86_400));
            nightly.backUp();
            assertFalse(Files.exists(leftover), "removed: it takes space on the database's disk");
            assertEquals(2, nightly.copies().size(), nightly.copies().toString());
            for (Path copy : nightly.copies()) {
                String value = Jdbi.create("jdbc:sqlite:" + copy).withHandle(handle -> handle.createQuery(
                        "SELECT value FROM kept_secrets WHERE name = 'probe'").mapTo(String.class).one());
                assertEquals("kept", value, copy.toString());
            }
            try (var files = Files.list(backups)) {
                assertEquals(List.of(), files.filter(file -> file.toString().endsWith(Backups.PARTIAL)).toList());
            }
        }
    }

    @Test
    void eachBackupSaysWhetherItWasWritten() throws IOException {
        Files.writeString(folder.resolve("not-a-folder"), "a file where the folder should be");
        List<Boolean> ended = new ArrayList<>();
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            new Backups(database, folder.resolve("backups"), 7, Clock.systemUTC(), ZoneId.of("UTC"), ended::add)
                    .backUp();
            Backups blocked = new Backups(database, folder.resolve("not-a-folder"), 7, Clock.systemUTC(),
                    ZoneId.of("UTC"), ended::add);
            assertThrows(UncheckedIOException.class, blocked::backUp);
        }
        assertEquals(List.of(true, false), ended);
    }

    @Test
    void aBackupTheDiskCannotHoldWithRoomToSpareIsSkippedSayingWhyAndWritesNothing() throws IOException {
        List<Boolean> ended = new ArrayList<>();
        Path backups = folder.resolve("backups");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Backups onAFullDisk = new Backups(database, backups, 7, Clock.systemUTC(), ZoneId.of("UTC"), ended::add,
                    disk -> 10L << 20);
            IllegalStateException skipped = assertThrows(IllegalStateException.class, onAFullDisk::backUp);
            assertTrue(skipped.getMessage().startsWith("backup skipped: 10 MB free on the disk of "),
                    skipped.getMessage());
            assertTrue(skipped.getMessage().contains("set BACKUP_FOLDER to another disk"), skipped.getMessage());
            new Backups(database, backups, 7, Clock.systemUTC(), ZoneId.of("UTC"), ended::add, disk -> 65L << 20)
                    .backUp();
        }
        assertEquals(List.of(false, true), ended, "64 MB kept for the bot: 65 MB holds a copy of a small database");
        try (Stream<Path> files = Files.list(backups)) {
            assertEquals(1, files.count(), "the skipped one left no half-written file");
        }
    }
}

package org.forumgateway.storage;

import org.forumgateway.testing.MutableClock;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}

package org.forumgateway.storage;

import org.forumgateway.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

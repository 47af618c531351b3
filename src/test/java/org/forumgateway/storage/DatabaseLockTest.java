package org.forumgateway.storage;

import org.forumgateway.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One bot per database file (MainProcessIT shows it between two processes). */
class DatabaseLockTest {
    @TempDir
    Path folder;

    @Test
    void aSecondBotOnTheSameDatabaseIsRefusedWithOneLineUntilTheFirstCloses() {
        Path path = folder.resolve("data/bot.db");
        Database first = Database.openAlone(path, Database.DEFAULT_BUSY_TIMEOUT);
        ConfigException refused = assertThrows(ConfigException.class,
                () -> Database.openAlone(path, Database.DEFAULT_BUSY_TIMEOUT));
        assertTrue(refused.getMessage().startsWith("DATABASE_PATH: another forum-gateway is using "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("bot.db.lock"), refused.getMessage());
        first.close();
        first.close(); // safe twice
        Database.openAlone(path, Database.DEFAULT_BUSY_TIMEOUT).close();
    }

    @Test
    void aDatabaseOfItsOwnIsNotHeldBack() {
        try (Database first = Database.openAlone(folder.resolve("one.db"), Database.DEFAULT_BUSY_TIMEOUT);
             Database second = Database.openAlone(folder.resolve("two.db"), Database.DEFAULT_BUSY_TIMEOUT)) {
            assertTrue(first.isWritable() && second.isWritable());
        }
    }
}

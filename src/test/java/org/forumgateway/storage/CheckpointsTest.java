package org.forumgateway.storage;

import org.forumgateway.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write-ahead log is copied back by the checkpoint thread, never inside a writer's commit. */
class CheckpointsTest {
    @TempDir
    Path folder;

    @Test
    void connectionsLeaveTheLogToTheCheckpointThreadWhichCopiesItIntoTheDatabaseFile() throws IOException {
        Path file = folder.resolve("bot.db");
        try (Database database = Database.open(file)) {
            database.jdbi().useHandle(handle -> {
                assertEquals(0, handle.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());
                assertEquals(64L * 1024 * 1024, handle.createQuery("PRAGMA journal_size_limit").mapTo(Long.class).one());
                handle.execute("CREATE TABLE notes (text TEXT)");
            });
            long before = Files.size(file);
            String text = "x".repeat(2_000);
            database.jdbi().useTransaction(handle -> {
                for (int i = 0; i < 2_000; i++) {
                    handle.execute("INSERT INTO notes (text) VALUES (?)", text);
                }
            });

            // Four megabytes went to the log; the thread copies them within a round or two.
            Eventually.await("the log copied into the database file", () -> size(file) >= before + 4_000_000);
            assertTrue(size(file) >= before + 4_000_000, "the log was copied into the database file");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

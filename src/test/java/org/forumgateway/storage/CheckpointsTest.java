package org.forumgateway.storage;

import org.forumgateway.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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

    @Test
    void underSteadyOverlappingReadsTheLogIsStartedAgainInsteadOfGrowing() throws Exception {
        Path file = folder.resolve("bot.db");
        Path log = file.resolveSibling("bot.db-wal");
        try (Database database = Database.open(file)) {
            database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE notes (text TEXT)"));
            // Readers whose reads overlap, as the HTTP threads' and the delivery engine's do: when a writer begins,
            // one of them nearly always still reads a snapshot older than the last checkpoint.
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Thread reader = new Thread(() -> readUntilDone(file, writing), "reader-" + r);
                reader.start();
                readers.add(reader);
            }
            String text = "x".repeat(3_000);
            // The database's own checkpoints come every half second; this writer fills the log far faster than a
            // gateway does, so it checkpoints too, after every 4 MB or so, as the thread would at a gateway's pace.
            Checkpoints checkpoints = new Checkpoints(database.jdbi(), database.turns(), Database.DEFAULT_BUSY_TIMEOUT);
            long longest = 0;
            try {
                for (int i = 0; i < 12_000; i++) {
                    database.jdbi().useHandle(handle -> handle.execute("INSERT INTO notes (text) VALUES (?)", text));
                    longest = Math.max(longest, size(log));
                    if (i % 500 == 499) {
                        checkpoints.checkpoint();
                    }
                }
            } finally {
                writing.set(false);
                for (Thread reader : readers) {
                    reader.join();
                }
            }

            // About 100 MB went through the log. Started again once past 32 MB, it stays under twice that.
            assertTrue(longest < 64L * 1024 * 1024, "the log grew to " + longest / 1024 / 1024 + " MB");
        }
    }

    /** Counts the notes again and again, each count a read transaction of its own, until the writer is done. */
    private static void readUntilDone(Path file, AtomicBoolean writing) {
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            reader.setAutoCommit(false);
            while (writing.get()) {
                try (Statement read = reader.createStatement();
                     ResultSet rows = read.executeQuery("SELECT COUNT(*) FROM (SELECT text FROM notes ORDER BY rowid DESC LIMIT 500)")) {
                    rows.next();
                }
                reader.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.forumgateway.storage;

import org.forumgateway.config.ConfigException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {
    @TempDir
    Path folder;

    @Test
    void opensInWalModeWithForeignKeysAndABusyTimeout() {
        Database database = Database.open(folder.resolve("nested/folders/bot.db"));
        database.jdbi().useHandle(handle -> {
            assertEquals("wal", pragma(handle, "journal_mode"));
            assertEquals("1", pragma(handle, "foreign_keys"));
            // Mapped, every read after another connection's commit would unmap and map the file again.
            assertEquals("0", pragma(handle, "mmap_size"));
            // In a file, a savepoint's journal is created, written page by page and deleted again on every write.
            assertEquals("2", pragma(handle, "temp_store"));
        });
        assertTrue(Files.exists(folder.resolve("nested/folders/bot.db")));
        assertTrue(database.isHealthy());
    }

    @Test
    void notWritableWhileAnotherConnectionHoldsTheWriteLockAndWritableOnceItLetsGo() throws Exception {
        Path path = folder.resolve("bot.db");
        try (Database database = Database.open(path, Duration.ofMillis(200));
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + path)) {
            assertTrue(database.isWritable());
            try (Statement statement = other.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                long started = System.nanoTime();
                assertFalse(database.isWritable());
                assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3_000, "answers quickly");
                assertTrue(database.isHealthy(), "reading still works");
                long writing = System.nanoTime();
                assertThrows(RuntimeException.class, () -> database.jdbi().useHandle(handle ->
                        handle.execute("CREATE TABLE blocked (id INTEGER)")));
                long waitedMillis = Duration.ofNanos(System.nanoTime() - writing).toMillis();
                assertTrue(waitedMillis >= 150 && waitedMillis < 3_000, "waited the busy timeout: " + waitedMillis);
                statement.execute("ROLLBACK");
            }
            assertTrue(database.isWritable());
            database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE free (id INTEGER)"));
        }
    }

    @Test
    void aFailedStatementNamesTheStatementButNeverItsArguments() {
        Database database = Database.open(folder.resolve("bot.db"));
        try {
            database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE secrets (code TEXT NOT NULL UNIQUE)"));
            database.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO secrets (code) VALUES (:code)")
                    .bind("code", "inv-SECRET-CODE").execute());
            StatementException failed = assertThrows(StatementException.class, () -> database.jdbi().useHandle(
                    handle -> handle.createUpdate("INSERT INTO secrets (code) VALUES (:code)")
                            .bind("code", "inv-SECRET-CODE").execute()));
            assertTrue(failed.getMessage().contains("UNIQUE constraint failed: secrets.code"), failed.getMessage());
            assertTrue(failed.getMessage().contains("INSERT INTO secrets (code) VALUES (:code)"), failed.getMessage());
            assertFalse(failed.getMessage().contains("SECRET"), failed.getMessage());
        } finally {
            database.close();
        }
    }

    @Test
    void migrationsAreVersionedAndAppliedOnce() {
        Path path = folder.resolve("bot.db");
        Database.open(path);
        Database reopened = Database.open(path);
        List<String> versions = reopened.jdbi().withHandle(handle -> handle
                .createQuery("SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")
                .mapTo(String.class).list());
        assertEquals("1", versions.get(0));
        assertEquals(versions.size(), versions.stream().distinct().count());
    }

    @Test
    void readThenWriteTransactionsOnManyThreadsNeverDeadlock() throws Exception {
        Database database = Database.open(folder.resolve("bot.db"));
        database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE counter (value INTEGER NOT NULL)"));
        database.jdbi().useHandle(handle -> handle.execute("INSERT INTO counter VALUES (0)"));
        int threads = 8;
        int incrementsEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < incrementsEach; i++) {
                    // Read, then write in the same transaction: with deferred transactions two threads
                    // holding read locks would both fail to upgrade (SQLITE_BUSY); BEGIN IMMEDIATE serializes.
                    database.jdbi().useTransaction(handle -> {
                        int value = handle.createQuery("SELECT value FROM counter").mapTo(Integer.class).one();
                        handle.createUpdate("UPDATE counter SET value = :value").bind("value", value + 1).execute();
                    });
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        int value = database.jdbi().withHandle(handle ->
                handle.createQuery("SELECT value FROM counter").mapTo(Integer.class).one());
        assertEquals(threads * incrementsEach, value);
    }

    @Test
    void aPathThatCannotBeCreatedNamesTheSetting() throws IOException {
        Path file = Files.writeString(folder.resolve("not-a-folder"), "x");
        ConfigException error = assertThrows(ConfigException.class, () -> Database.open(file.resolve("bot.db")));
        assertTrue(error.getMessage().startsWith("DATABASE_PATH"), error.getMessage());
    }

    @Test
    void aDatabaseANewerVersionMigratedIsRefusedNamingTheSetting() {
        Path path = folder.resolve("bot.db");
        try (Database newer = Database.open(path)) {
            newer.jdbi().useHandle(handle -> handle.execute("""
                    INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                                                       installed_by, installed_on, execution_time, success)
                    VALUES (9999, '9999', 'from a newer version', 'SQL', 'V9999__from_a_newer_version.sql', 0, '',
                            CURRENT_TIMESTAMP, 1, 1)"""));
        }

        ConfigException error = assertThrows(ConfigException.class, () -> Database.open(path));
        assertTrue(error.getMessage().startsWith("DATABASE_PATH: "), error.getMessage());
        assertTrue(error.getMessage().contains("schema 9999"), error.getMessage());
    }

    private static String pragma(Handle handle, String name) {
        return handle.createQuery("PRAGMA " + name).mapTo(String.class).one();
    }
}

package org.forumgateway.storage;

import org.forumgateway.testing.Eventually;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write gate on a real SQLite file: who waits for a turn, who does not, and that a failure gives it back. */
class WriteGateTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path folder;
    private Database database;
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"));
    }

    @AfterEach
    void close() {
        release.countDown();
        database.close();
    }

    @Test
    void aWriteOutsideATransactionWaitsForItsTurnWhileAnotherThreadsTransactionHasIt() throws Exception {
        CompletableFuture<Void> holder = holdTurnInTransaction();
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> database.jdbi().useHandle(handle ->
                handle.execute("INSERT INTO notes (text) VALUES ('after')")));
        awaitWaiting(1);
        assertFalse(write.isDone());
        release.countDown();
        holder.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        write.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(1, count());
    }

    @Test
    void readsAndBackupsDoNotWaitForTheTurn() throws Exception {
        holdTurnInTransaction();
        assertTimeoutPreemptively(BOUND, () -> {
            assertEquals(0, count());
            database.jdbi().useHandle(handle -> handle.execute("VACUUM INTO ?",
                    folder.resolve("copy.db").toString()));
        });
        assertEquals(0, database.turns().waiting());
    }

    @Test
    void aFailedWriteOrTransactionGivesTheTurnBack() throws Exception {
        database.jdbi().useHandle(handle -> handle.execute("INSERT INTO notes (id, text) VALUES (1, 'one')"));
        assertThrows(UnableToExecuteStatementException.class, () -> database.jdbi().useHandle(handle ->
                handle.execute("INSERT INTO notes (id, text) VALUES (1, 'again')")));
        assertThrows(IllegalStateException.class, () -> database.jdbi().useTransaction(handle -> {
            handle.execute("INSERT INTO notes (text) VALUES ('rolled back')");
            throw new IllegalStateException("provoked");
        }));
        // Another thread gets the turn at once: nothing kept it.
        CompletableFuture.runAsync(() -> database.jdbi().useTransaction(handle ->
                handle.execute("INSERT INTO notes (text) VALUES ('two')"))).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(2, count());
    }

    @Test
    void writingStatementsAreKnownByTheirFirstWord() {
        assertTrue(WriteGate.writes("INSERT INTO notes VALUES (1)"));
        assertTrue(WriteGate.writes("\n   insert or ignore into notes values (1)"));
        assertTrue(WriteGate.writes("UPDATE notes SET text = ''"));
        assertTrue(WriteGate.writes("delete from notes"));
        assertTrue(WriteGate.writes("REPLACE INTO notes VALUES (1)"));
        assertFalse(WriteGate.writes("SELECT * FROM notes"));
        assertFalse(WriteGate.writes("  select updated_at from notes"));
        assertFalse(WriteGate.writes("PRAGMA wal_checkpoint(PASSIVE)"));
        assertFalse(WriteGate.writes("VACUUM INTO 'copy.db'"));
        assertFalse(WriteGate.writes("INSERTED"));
        assertFalse(WriteGate.writes(""));
    }

    /** A thread that opens a transaction and stays in it until {@link #release}. */
    private CompletableFuture<Void> holdTurnInTransaction() throws InterruptedException {
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> database.jdbi().useTransaction(handle -> {
            inside.countDown();
            try {
                assertTrue(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(inside.await(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        return holder;
    }

    private void awaitWaiting(int count) {
        Eventually.await(count + " writers waiting", () -> database.turns().waiting() >= count);
    }

    private int count() {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM notes")
                .mapTo(Integer.class).one());
    }
}

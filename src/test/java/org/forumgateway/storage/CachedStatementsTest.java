package org.forumgateway.storage;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CachedStatementsTest {
    @TempDir
    Path folder;
    private Database database;
    private Jdbi jdbi;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        jdbi = database.jdbi();
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)");
            for (int n = 1; n <= 5; n++) {
                handle.execute("INSERT INTO numbers (n) VALUES (?)", n);
            }
        });
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void theSameSqlOnTheSameConnectionIsCompiledOnce() throws Exception {
        CachedStatements cache = (CachedStatements) jdbi.getStatementBuilderFactory();
        jdbi.useHandle(handle -> {
            long before = cache.preparedOn(handle.getConnection());
            for (int i = 0; i < 50; i++) {
                assertEquals(3, handle.createQuery("SELECT n FROM numbers WHERE n = :n").bind("n", 3)
                        .mapTo(Integer.class).one());
            }
            assertEquals(before + 1, cache.preparedOn(handle.getConnection()));
        });
    }

    @Test
    void aStatementKeptFromAnEarlierHandleRunsWithItsNewArguments() {
        List<Integer> found = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            int wanted = n;
            found.add(jdbi.withHandle(handle -> handle.createQuery("SELECT n FROM numbers WHERE n = :n")
                    .bind("n", wanted).mapTo(Integer.class).one()));
        }
        assertEquals(List.of(1, 2, 3, 4, 5), found);
    }

    @Test
    void theSameSqlRunInsideItselfGetsAStatementOfItsOwn() {
        List<String> pairs = jdbi.withHandle(handle -> {
            List<String> seen = new ArrayList<>();
            try (var outer = handle.createQuery("SELECT n FROM numbers WHERE n <= :max ORDER BY n").bind("max", 2)
                    .mapTo(Integer.class).iterator()) {
                while (outer.hasNext()) {
                    int n = outer.next();
                    List<Integer> inner = handle.createQuery("SELECT n FROM numbers WHERE n <= :max ORDER BY n")
                            .bind("max", 2).mapTo(Integer.class).list();
                    inner.forEach(m -> seen.add(n + "-" + m));
                }
            }
            return seen;
        });
        assertEquals(List.of("1-1", "1-2", "2-1", "2-2"), pairs);
    }

    /**
     * A query read only to its first row leaves SQLite's statement mid-way; kept like that in the cache, it would
     * hold its read snapshot: the connection would go on seeing old data, and the log could never be started again.
     */
    @Test
    void aQueryNotReadToItsEndHoldsNoSnapshotOnceBackInTheCache() throws Exception {
        jdbi.useHandle(handle -> {
            try (var rows = handle.createQuery("SELECT n FROM numbers ORDER BY n").mapTo(Integer.class).iterator()) {
                assertEquals(1, rows.next());
            }
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("bot.db"));
                 Statement statement = other.createStatement()) {
                statement.execute("INSERT INTO numbers (n) VALUES (6)");
                try (ResultSet checkpoint = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    checkpoint.next();
                    assertEquals(0, checkpoint.getInt(1), "no reader kept the checkpoint from finishing");
                }
            }
            assertEquals(6, handle.createQuery("SELECT count(*) FROM numbers").mapTo(Integer.class).one());
        });
    }

    @Test
    void aStatementThatFailedIsUsableAgain() {
        jdbi.useHandle(handle -> {
            assertThrows(RuntimeException.class, () -> handle.execute("INSERT INTO numbers (n) VALUES (?)", 1));
            handle.execute("INSERT INTO numbers (n) VALUES (?)", 7);
            assertEquals(6, handle.createQuery("SELECT count(*) FROM numbers").mapTo(Integer.class).one());
        });
    }
}

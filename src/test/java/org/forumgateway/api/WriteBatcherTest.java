package org.forumgateway.api;

import org.forumgateway.storage.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group commit: writes of many threads share transactions, and one that fails takes only itself back. */
class WriteBatcherTest {
    @TempDir
    Path folder;

    @Test
    void aFailingWriteIsRolledBackAloneAndEveryCallerGetsItsOwnResult() throws Exception {
        try (Database database = Database.open(folder.resolve("batch.db"))) {
            WriteBatcher batcher = new WriteBatcher(database.jdbi());
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(20);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int number = i;
                results.add(threads.submit(() -> {
                    start.await();
                    return batcher.write(handle -> {
                        handle.execute("INSERT INTO audit_log (actor, action, detail, at) VALUES (?, 'test', ?, 0)",
                                number, "write " + number);
                        if (number == 7) {
                            throw new IllegalArgumentException("write 7 fails after writing");
                        }
                        return (long) number;
                    });
                }));
            }
            start.countDown();
            for (int i = 0; i < 20; i++) {
                if (i == 7) {
                    Future<Long> failed = results.get(i);
                    Exception thrown = assertThrows(Exception.class, failed::get);
                    assertTrue(thrown.getCause() instanceof IllegalArgumentException, thrown.toString());
                } else {
                    assertEquals(i, results.get(i).get());
                }
            }
            threads.shutdown();
            List<Integer> stored = database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT actor FROM audit_log WHERE action = 'test' ORDER BY actor").mapTo(Integer.class).list());
            assertEquals(19, stored.size());
            assertTrue(!stored.contains(7), stored.toString());
        }
    }
}

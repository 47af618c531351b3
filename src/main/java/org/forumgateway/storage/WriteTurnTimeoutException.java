package org.forumgateway.storage;

import org.jdbi.v3.core.JdbiException;

import java.time.Duration;

/**
 * A write waited longer than the busy timeout for its turn: the database is held (by another process, or a write
 * that does not end), as SQLite's own "database is locked" says when a write waits that long for its lock.
 */
public final class WriteTurnTimeoutException extends JdbiException {
    WriteTurnTimeoutException(Duration waited) {
        super("database is locked: no write turn within " + waited.toMillis() + " ms");
    }
}

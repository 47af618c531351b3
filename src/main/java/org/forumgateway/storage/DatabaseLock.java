package org.forumgateway.storage;

import org.forumgateway.config.ConfigException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock file beside the database, held exclusively while a forum-gateway process uses it. A second process started
 * by mistake on the same {@code DATABASE_PATH} (a new version tried beside the running service, a second container
 * on the same volume) would migrate the schema under the first, put the first's messages on the wire back in the
 * queue (sent twice), and share Telegram's updates with it. The operating system lets go of the lock when the
 * process ends, however it ends.
 */
final class DatabaseLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DatabaseLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code database} ({@code <file>.lock}, in its folder, which must exist).
     *
     * @throws ConfigException naming DATABASE_PATH when another process (or this one) holds it, or it cannot be made
     */
    static DatabaseLock acquire(Path database) {
        Path file = database.toAbsolutePath().resolveSibling(database.getFileName() + ".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigException("DATABASE_PATH: cannot create the lock file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this process holds it already
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException("DATABASE_PATH: cannot lock " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new ConfigException("DATABASE_PATH: another forum-gateway is using " + database + " (it holds "
                    + file.getFileName() + "): stop it first, or give this one a database of its own");
        }
        return new DatabaseLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below lets go of it all the same.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing is left to do with a channel that will not close; the process's end closes it.
        }
    }
}

package org.forumgateway.storage;

import org.forumgateway.config.ConfigException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lock file beside the database, held exclusively while a forum-gateway process uses it. A second process started
 * by mistake on the same {@code DATABASE_PATH} (a new version tried beside the running service, a second container
 * on the same volume) would migrate the schema under the first, put the first's messages on the wire back in the
 * queue (sent twice), and share Telegram's updates with it. The operating system lets go of the lock when the
 * process ends, however it ends.
 */
final class DatabaseLock implements AutoCloseable {
    /**
     * Lock files this process holds. Asked first: the operating system's locks belong to the process, and closing
     * any channel of a locked file, one opened to try a second lock among them, lets go of the lock it holds.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DatabaseLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code database} ({@code <file>.lock}, in its folder, which must exist).
     *
     * @throws ConfigException naming DATABASE_PATH when another process (or this one) holds it, or it cannot be made
     */
    static DatabaseLock acquire(Path database) {
        Path file = database.toAbsolutePath().normalize().resolveSibling(database.getFileName() + ".lock");
        if (!HELD.add(file)) {
            throw inUse(database, file);
        }
        try {
            return lock(database, file);
        } catch (RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    private static DatabaseLock lock(Path database, Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigException("DATABASE_PATH: cannot create the lock file " + file + " ("
                    + e.getClass().getSimpleName() + (Files.exists(file) ? "; another user may own it" : "") + ")");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new ConfigException("DATABASE_PATH: cannot lock " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (lock == null) {
            closeQuietly(channel);
            throw inUse(database, file);
        }
        return new DatabaseLock(file, channel, lock);
    }

    private static ConfigException inUse(Path database, Path file) {
        return new ConfigException("DATABASE_PATH: another forum-gateway is using " + database + " (it holds "
                + file.getFileName() + "): stop it first, or give this one a database of its own");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below lets go of it all the same.
        }
        closeQuietly(channel);
        HELD.remove(file);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing is left to do with a channel that will not close; the process's end closes it.
        }
    }
}

package org.forumgateway.storage;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Nightly copies of the database: {@code VACUUM INTO} writes a consistent, compact copy while the bot keeps
 * running; the newest {@code keep} copies stay. Restoring is stopping the bot and copying one back.
 */
public final class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String PREFIX = "forum-gateway-";
    /** The suffix of a copy being written. */
    static final String PARTIAL = ".partial";
    /** Left free besides a copy, at least: a day's answers and messages, with room to spare. */
    private static final long RESERVE_BYTES = 64L << 20;

    private final Database database;
    private final Path folder;
    private final int keep;
    private final Clock clock;
    private final DateTimeFormatter stamp;
    private final Consumer<Boolean> ended;
    private final ToLongFunction<Path> freeBytes;

    /** @param zone the zone of BACKUP_TIME, so that a copy made at 03:00 is named 03:00 */
    public Backups(Database database, Path folder, int keep, Clock clock, ZoneId zone) {
        this(database, folder, keep, clock, zone, done -> { });
    }

    /** @param ended told after each backup whether it was written ({@code true}) or failed: the metrics count them */
    public Backups(Database database, Path folder, int keep, Clock clock, ZoneId zone, Consumer<Boolean> ended) {
        this(database, folder, keep, clock, zone, ended, Backups::usableBytes);
    }

    /** @param freeBytes the bytes a new file may take on the disk of a folder */
    Backups(Database database, Path folder, int keep, Clock clock, ZoneId zone, Consumer<Boolean> ended,
            ToLongFunction<Path> freeBytes) {
        this.database = database;
        this.folder = folder;
        this.keep = keep;
        this.clock = clock;
        this.stamp = STAMP.withZone(zone);
        this.ended = ended;
        this.freeBytes = freeBytes;
    }

    private static long usableBytes(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell the free space of " + folder, e);
        }
    }

    /** Writes a copy and removes the oldest beyond {@code keep}; returns the new copy. */
    public Path backUp() {
        try {
            Path copy = write();
            ended.accept(true);
            return copy;
        } catch (RuntimeException e) {
            ended.accept(false);
            throw e;
        }
    }

    /**
     * Writes the copy under a {@value #PARTIAL} name, syncs it to disk, checks it and only then gives it its
     * final name: an interrupted {@code VACUUM INTO} (a crash, a stop, a full disk) may leave a corrupt file, and
     * under a backup's name it would pass for the newest good copy and count towards {@code keep}.
     */
    private Path write() {
        Path partial = null;
        try {
            Files.createDirectories(folder);
            removeLeftovers();
            requireRoom();
            String name = PREFIX + stamp.format(clock.instant()) + ".db";
            Path target = folder.resolve(name);
            partial = folder.resolve(name + PARTIAL);
            String path = partial.toAbsolutePath().toString();
            database.jdbi().useHandle(handle -> handle.execute("VACUUM INTO ?", path));
            try (FileChannel file = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                file.force(true); // SQLite does not sync what VACUUM INTO writes
            }
            check(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune();
            log.info("Database backed up to {}", target.getFileName());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("backup into " + folder + " failed", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /**
     * Refuses to start a copy the disk cannot hold with room to spare. The copy is about the database's size, and
     * usually on the database's own disk: filling it would make the bot's own writes fail (answers, the outbox)
     * until someone frees space. The reserve is what the bot keeps for itself meanwhile.
     */
    private void requireRoom() {
        // What VACUUM INTO writes: the pages in use, not the free ones (the purge before it frees many).
        long size = database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT (page_count - freelist_count) * page_size
                        FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()""")
                .mapTo(Long.class).one());
        long needed = size + Math.max(RESERVE_BYTES, size / 10);
        long free;
        try {
            free = freeBytes.applyAsLong(folder);
        } catch (RuntimeException e) {
            log.warn("Cannot tell the free space for the backup in {} ({}); backing up all the same", folder,
                    e.getMessage());
            return;
        }
        if (free < needed) {
            throw new IllegalStateException("backup skipped: " + (free >> 20) + " MB free on the disk of "
                    + folder + ", and the copy needs about " + megabytes(size) + " MB with " + megabytes(needed - size)
                    + " MB left over for the bot; free some space or set BACKUP_FOLDER to another disk");
        }
    }

    private static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** SQLite's own check of the copy's structure: a copy that fails it is no backup. */
    private static void check(Path copy) {
        // "ok", or one row per problem found (up to 100).
        List<String> rows = Jdbi.create("jdbc:sqlite:" + copy.toAbsolutePath())
                .withHandle(handle -> handle.createQuery("PRAGMA quick_check").mapTo(String.class).list());
        String result = String.join("; ", rows);
        if (!"ok".equals(result)) {
            throw new IllegalStateException("the backup copy " + copy.getFileName() + " fails SQLite's check: "
                    + result);
        }
    }

    /** Copies a crashed or stopped run left half-written: they take space on the database's own disk. */
    private void removeLeftovers() throws IOException {
        for (Path leftover : named(PARTIAL)) {
            Files.deleteIfExists(leftover);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove the unfinished backup {}: {}", file.getFileName(), e.getMessage());
        }
    }

    /** The copies there are, oldest first. */
    public List<Path> copies() throws IOException {
        return named(".db");
    }

    /** This class's files in the folder whose names end in {@code suffix}, in order of name (of time). */
    private List<Path> named(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().startsWith(PREFIX)
                            && file.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    private void prune() throws IOException {
        List<Path> copies = copies();
        for (int i = 0; i < copies.size() - keep; i++) {
            Files.delete(copies.get(i));
        }
    }
}

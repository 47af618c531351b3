package org.forumgateway.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Nightly copies of the database: {@code VACUUM INTO} writes a consistent, compact copy while the bot keeps
 * running; the newest {@code keep} copies stay. Restoring is stopping the bot and copying one back.
 */
public final class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String PREFIX = "forum-gateway-";

    private final Database database;
    private final Path folder;
    private final int keep;
    private final Clock clock;
    private final DateTimeFormatter stamp;
    private final Consumer<Boolean> ended;

    /** @param zone the zone of BACKUP_TIME, so that a copy made at 03:00 is named 03:00 */
    public Backups(Database database, Path folder, int keep, Clock clock, ZoneId zone) {
        this(database, folder, keep, clock, zone, done -> { });
    }

    /** @param ended told after each backup whether it was written ({@code true}) or failed: the metrics count them */
    public Backups(Database database, Path folder, int keep, Clock clock, ZoneId zone, Consumer<Boolean> ended) {
        this.database = database;
        this.folder = folder;
        this.keep = keep;
        this.clock = clock;
        this.stamp = STAMP.withZone(zone);
        this.ended = ended;
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

    private Path write() {
        try {
            Files.createDirectories(folder);
            Path target = folder.resolve(PREFIX + stamp.format(clock.instant()) + ".db");
            Files.deleteIfExists(target);
            database.jdbi().useHandle(handle -> handle.execute("VACUUM INTO ?", target.toAbsolutePath().toString()));
            prune();
            log.info("Database backed up to {}", target.getFileName());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("backup into " + folder + " failed", e);
        }
    }

    /** The copies there are, oldest first. */
    public List<Path> copies() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().startsWith(PREFIX)
                            && file.getFileName().toString().endsWith(".db"))
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

package org.forumgateway.testing;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;

/** A database file as an older version of the bot left it: for tests of what a later migration does to its rows. */
public final class OlderDatabase {
    private OlderDatabase() {
    }

    /** Creates {@code file} with the migrations up to and including {@code version}; returns a handle factory on it. */
    public static Jdbi migratedUpTo(Path file, String version) {
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations("classpath:db/migration")
                .target(version).load().migrate();
        return Jdbi.create("jdbc:sqlite:" + file);
    }
}

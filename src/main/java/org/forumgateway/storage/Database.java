package org.forumgateway.storage;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.forumgateway.config.ConfigException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SQLite database: WAL journal, a busy timeout, foreign keys, and write transactions that take the write
 * lock up front ({@code BEGIN IMMEDIATE}) so two writers never deadlock upgrading a read lock. Migrations
 * under {@code db/migration} are applied when it opens.
 */
public final class Database {
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Jdbi jdbi;
    private final Path path;

    private Database(Jdbi jdbi, Path path) {
        this.jdbi = jdbi;
        this.path = path;
    }

    /**
     * Opens (creating folders and file as needed) and migrates the database at {@code path}.
     *
     * @throws ConfigException when the file cannot be created or migrated, naming DATABASE_PATH
     */
    public static Database open(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ConfigException("DATABASE_PATH: cannot create the folder for " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        SQLiteDataSource dataSource = new SQLiteDataSource(connectionConfig());
        dataSource.setUrl("jdbc:sqlite:" + path.toAbsolutePath());
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new ConfigException("DATABASE_PATH: cannot open or migrate " + path + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        return new Database(jdbi, path);
    }

    private static SQLiteConfig connectionConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Path path() {
        return path;
    }

    /** True when a query answers: what the health check reports. */
    public boolean isHealthy() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}

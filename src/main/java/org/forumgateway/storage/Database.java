package org.forumgateway.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.forumgateway.config.ConfigException;
import org.jdbi.v3.core.Jdbi;
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
public final class Database implements AutoCloseable {
    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int POOL_SIZE = 8;

    private final Jdbi jdbi;
    private final Path path;
    private final HikariDataSource pool;

    private Database(Jdbi jdbi, Path path, HikariDataSource pool) {
        this.jdbi = jdbi;
        this.path = path;
        this.pool = pool;
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
        HikariDataSource pool = pool(dataSource);
        Jdbi jdbi = Jdbi.create(pool);
        return new Database(jdbi, path, pool);
    }

    /**
     * Keeps connections open: SQLite itself is fast, but opening a connection (the file, the pragmas, the
     * schema) costs more than most queries. Writers still queue on SQLite's single write lock.
     */
    private static HikariDataSource pool(SQLiteDataSource dataSource) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setPoolName("sqlite");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(BUSY_TIMEOUT_MILLIS + 5_000L);
        return new HikariDataSource(config);
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

    /** Closes every pooled connection; SQLite checkpoints the WAL when the last one closes. */
    @Override
    public void close() {
        pool.close();
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

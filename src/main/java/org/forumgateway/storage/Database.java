package org.forumgateway.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.forumgateway.config.ConfigException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQLite database: WAL journal, a busy timeout, foreign keys, and write transactions that take the write
 * lock up front ({@code BEGIN IMMEDIATE}) so two writers never deadlock upgrading a read lock. This process's
 * writers take turns in front of that lock ({@link WriteGate}). Migrations
 * under {@code db/migration} are applied when it opens.
 */
public final class Database implements AutoCloseable {
    /** How long a writer waits for another's write lock (another process's included) before failing. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** The health check's write probe waits at most this for the lock, so /healthz answers quickly. */
    private static final Duration PROBE_BUSY_TIMEOUT = Duration.ofSeconds(1);
    private static final int POOL_SIZE = 8;
    /** Flyway's advice to run its own commands, or to read its vendor's pages: no use to an operator of this jar. */
    private static final Pattern FLYWAY_ADVICE = Pattern.compile("(?i)\\brepair\\b|https?://");
    /** What the write-ahead log file is cut back to once copied into the database: a few seconds of a big burst. */
    private static final long JOURNAL_SIZE_LIMIT_BYTES = 64L * 1024 * 1024;

    private final Jdbi jdbi;
    private final Path path;
    private final HikariDataSource pool;
    private final Duration busyTimeout;
    private final WriteTurns turns;
    private final Checkpoints checkpoints;
    private final Optional<DatabaseLock> lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(Jdbi jdbi, Path path, HikariDataSource pool, Duration busyTimeout, WriteTurns turns,
                     Checkpoints checkpoints, Optional<DatabaseLock> lock) {
        this.jdbi = jdbi;
        this.lock = lock;
        this.checkpoints = checkpoints;
        this.turns = turns;
        this.path = path;
        this.pool = pool;
        this.busyTimeout = busyTimeout;
    }

    /** {@link #open(Path, Duration)} with the default busy timeout. */
    public static Database open(Path path) {
        return open(path, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens (creating folders and file as needed) and migrates the database at {@code path}.
     *
     * @throws ConfigException when the file cannot be created or migrated, naming DATABASE_PATH
     */
    public static Database open(Path path, Duration busyTimeout) {
        createFolder(path);
        return open(path, busyTimeout, Optional.empty());
    }

    /**
     * As {@link #open(Path, Duration)}, for the process that runs the bot: first takes the database's lock file, so
     * that a second forum-gateway on the same file stops at once with one line instead of sharing it
     * ({@link DatabaseLock}). Closing the database lets go of the lock.
     *
     * @throws ConfigException naming DATABASE_PATH also when another process holds the lock
     */
    public static Database openAlone(Path path, Duration busyTimeout) {
        createFolder(path);
        DatabaseLock lock = DatabaseLock.acquire(path);
        try {
            return open(path, busyTimeout, Optional.of(lock));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static void createFolder(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ConfigException("DATABASE_PATH: cannot create the folder for " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static Database open(Path path, Duration busyTimeout, Optional<DatabaseLock> lock) {
        SQLiteDataSource dataSource = new PromptRetryDataSource(connectionConfig(busyTimeout), busyTimeout);
        dataSource.setUrl("jdbc:sqlite:" + path.toAbsolutePath());
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load();
            refuseNewerSchema(flyway, path);
            flyway.migrate();
        } catch (FlywayException e) {
            // Flyway says what failed on the lines after its first ("Migration checksum mismatch for migration
            // version 6", the statement that failed): kept, on one line.
            throw new ConfigException("DATABASE_PATH: cannot open or migrate " + path + ": " + e.getMessage().lines()
                    .map(String::strip).filter(line -> !line.isEmpty() && !FLYWAY_ADVICE.matcher(line).find())
                    .limit(8).collect(Collectors.joining("; ")));
        }
        HikariDataSource pool = pool(dataSource, busyTimeout);
        Jdbi jdbi = Jdbi.create(pool);
        WriteTurns turns = new WriteTurns(busyTimeout);
        WriteGate gate = new WriteGate(jdbi.getTransactionHandler(), turns);
        jdbi.setTransactionHandler(gate);
        jdbi.setStatementBuilderFactory(new CachedStatements(POOL_SIZE));
        jdbi.getConfig(SqlStatements.class).addCustomizer(gate.autocommitWrites());
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Database::withoutArguments);
        Checkpoints checkpoints = new Checkpoints(jdbi, turns, busyTimeout);
        checkpoints.start();
        return new Database(jdbi, path, pool, busyTimeout, turns, checkpoints, lock);
    }

    /**
     * A failed statement's message names the statement but not its arguments. Jdbi adds them by default, and these
     * messages are logged: an invite code, a link code, a calendar secret or the text showing a new API key would
     * reach the log whenever a write failed (the database locked by another process, a full disk).
     */
    static String withoutArguments(StatementException e) {
        String sql = e.getStatementContext() == null ? null : e.getStatementContext().getRenderedSql();
        String shown = sql == null ? "" : sql.length() > 1024 ? sql.substring(0, 1024) + "…" : sql;
        return e.getShortMessage() + (shown.isEmpty() ? "" : " [statement: \"" + shown + "\"]");
    }

    /**
     * An older version started on a database a newer one migrated would run on a schema it does not know (Flyway
     * only warns of migrations it does not have): the operator rolled back the jar without the backup taken before
     * the upgrade.
     */
    private static void refuseNewerSchema(Flyway flyway, Path path) {
        MigrationInfo[] migrations = flyway.info().all();
        Optional<MigrationInfo> newer = Arrays.stream(migrations)
                .filter(migration -> migration.getState() == MigrationState.FUTURE_SUCCESS
                        || migration.getState() == MigrationState.FUTURE_FAILED)
                .reduce((first, last) -> last);
        if (newer.isPresent()) {
            String known = Arrays.stream(migrations).filter(migration -> migration.getState().isResolved())
                    .map(MigrationInfo::getVersion).max(Comparator.naturalOrder()).map(Object::toString).orElse("none");
            throw new ConfigException("DATABASE_PATH: " + path + " was upgraded by a newer forum-gateway (schema "
                    + newer.get().getVersion() + "; this version knows up to " + known
                    + "): run that version, or restore the backup taken before the upgrade");
        }
    }

    /**
     * Keeps connections open: SQLite itself is fast, but opening a connection (the file, the pragmas, the
     * schema) costs more than most queries. Writers still queue on SQLite's single write lock.
     */
    private static HikariDataSource pool(SQLiteDataSource dataSource, Duration busyTimeout) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setPoolName("sqlite");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(busyTimeout.toMillis() + 5_000L);
        return new HikariDataSource(config);
    }

    private static SQLiteConfig connectionConfig(Duration busyTimeout) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Otherwise the driver runs a second statement after every INSERT (SELECT last_insert_rowid()) and keeps
        // it open until the INSERT's statement runs again: a cost on every insert, and a statement in progress on
        // a connection whose statements are kept (VACUUM INTO refuses to run then). Inserts that need their id say
        // RETURNING id.
        config.setGetGeneratedKeys(false);
        return config;
    }

    /** Connections that wait for locks with a {@link PromptBusyHandler}. */
    private static final class PromptRetryDataSource extends SQLiteDataSource {
        private final Duration busyTimeout;

        PromptRetryDataSource(SQLiteConfig config, Duration busyTimeout) {
            super(config);
            this.busyTimeout = busyTimeout;
        }

        @Override
        public SQLiteConnection getConnection(String username, String password) throws SQLException {
            SQLiteConnection connection = super.getConnection(username, password);
            BusyHandler.setHandler(connection, new PromptBusyHandler(busyTimeout));
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_autocheckpoint = 0"); // Checkpoints does it, off every commit's path
                // After a burst the log file shrinks back to this once it has been copied, rather than staying large.
                statement.execute("PRAGMA journal_size_limit = " + JOURNAL_SIZE_LIMIT_BYTES);
                // No memory map, whatever the library's default: with WAL, a read transaction that begins after
                // another connection's commit unmaps the whole file and faults each page in again. Here that is
                // nearly every read: munmap and mmap were 62 % of an API primary-key lookup's time, and each munmap
                // interrupts the other core to flush its TLB. Pages come by read() from the OS cache instead.
                statement.execute("PRAGMA mmap_size = 0");
                // Savepoint journals in memory: a savepoint that changes more than 16 pages (one API message touches
                // that many across its tables and indexes) otherwise spills its journal to a new file in the temp
                // folder, written page by page and deleted at commit. That was a quarter of the API writer's time.
                statement.execute("PRAGMA temp_store = MEMORY");
            }
            return connection;
        }
    }

    /** The turns this database's writers take (for tests). */
    WriteTurns turns() {
        return turns;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Path path() {
        return path;
    }

    /**
     * Closes every pooled connection (SQLite checkpoints the WAL when the last one closes), then lets go of the lock
     * file if it holds it. Safe twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        checkpoints.close();
        pool.close();
        lock.ifPresent(DatabaseLock::close);
    }

    /**
     * True when the write lock can be taken within a second: false while another process holds it, or the file
     * or its folder turned read-only. Takes the lock and gives it back without writing, so a full disk shows only
     * when a real write fails.
     */
    public boolean isWritable() {
        try {
            return jdbi.withHandle(handle -> PromptBusyHandler.waitingAtMost(handle, PROBE_BUSY_TIMEOUT, busyTimeout,
                    probe -> {
                        probe.execute("BEGIN IMMEDIATE");
                        probe.execute("ROLLBACK");
                        return true;
                    }));
        } catch (RuntimeException | SQLException e) {
            return false;
        }
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

package org.forumgateway.storage;

import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each pooled connection's prepared statements for the next time the same SQL runs on it. Neither the SQLite
 * driver nor the pool keeps them, and compiling a statement costs about as much as running a short one: 20 % of the
 * API writer's time and 12 % of a chat handler's went to {@code sqlite3_prepare} (flight recordings of the gateway
 * and full-path benchmarks).
 *
 * <p>Statements are prepared on the driver's own connection, under the pool's wrapper, so they outlive the handle
 * that used them (the pool closes what was prepared through its wrapper when the connection goes back). A
 * statement is lent out while in use (the same SQL run again inside it gets one of its own) and reset when it comes
 * back, so one in the cache never holds a read snapshot open. A connection the pool closes takes its statements
 * with it (the driver finalizes them), and is forgotten here once the pool has opened others.
 */
final class CachedStatements implements StatementBuilderFactory {
    /** Per connection; more distinct statements than the code has, so only expanded lists ({@code IN (…)}) go. */
    private static final int PER_CONNECTION = 256;

    /** By the driver's connection (which does not override equals). */
    private final Map<SQLiteConnection, ConnectionStatements> byConnection = new HashMap<>();
    /** Twice what the pool holds at once: past it, connections the pool has closed are forgotten. */
    private final int forgetClosedAbove;

    /** @param poolSize the most connections the pool holds at once */
    CachedStatements(int poolSize) {
        this.forgetClosedAbove = 2 * poolSize;
    }

    @Override
    public StatementBuilder createStatementBuilder(Connection connection) {
        SQLiteConnection own;
        try {
            own = connection.unwrap(SQLiteConnection.class);
        } catch (SQLException notSqlite) {
            return DefaultStatementBuilder.FACTORY.createStatementBuilder(connection);
        }
        synchronized (byConnection) {
            if (byConnection.size() > forgetClosedAbove) {
                byConnection.keySet().removeIf(CachedStatements::isClosed);
            }
            return byConnection.computeIfAbsent(own, ConnectionStatements::new);
        }
    }

    private static boolean isClosed(SQLiteConnection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** The statements of one connection, which one thread at a time uses (the pool lends it to one handle). */
    private static final class ConnectionStatements implements StatementBuilder {
        private static final List<String> KEPT = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH");
        private final SQLiteConnection connection;
        private final StatementBuilder plain = new DefaultStatementBuilder();
        /** Idle statements by SQL, least recently used first. */
        private final LinkedHashMap<String, ArrayDeque<PreparedStatement>> idle = new LinkedHashMap<>(64, 0.75f, true);
        private final Map<Statement, String> lent = new IdentityHashMap<>();
        private int idleCount;
        private long prepared;

        ConnectionStatements(SQLiteConnection connection) {
            this.connection = connection;
        }

        @Override
        public synchronized PreparedStatement create(Connection wrapper, String sql, StatementContext context)
                throws SQLException {
            if (context.isReturningGeneratedKeys() || context.isConcurrentUpdatable() || !kept(sql)) {
                return plain.create(wrapper, sql, context);
            }
            PreparedStatement statement = takeIdle(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                prepared++;
            }
            lent.put(statement, sql);
            return statement;
        }

        @Override
        public synchronized void close(Connection wrapper, String templateSql, Statement statement)
                throws SQLException {
            String sql = lent.remove(statement);
            if (sql == null) {
                plain.close(wrapper, templateSql, statement);
                return;
            }
            if (statement.isClosed()) {
                return;
            }
            try {
                // Ends what is left of a query not read to its end (its read snapshot) and forgets the arguments.
                CoreStatement own = (CoreStatement) statement;
                own.pointer.safeRunInt((db, pointer) -> db.reset(pointer));
                own.pointer.safeRunInt((db, pointer) -> db.clear_bindings(pointer));
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
            idle.computeIfAbsent(sql, key -> new ArrayDeque<>(1)).push((PreparedStatement) statement);
            idleCount++;
            if (idleCount > PER_CONNECTION) {
                evictLeastRecentlyUsed();
            }
        }

        @Override
        public Statement create(Connection wrapper, StatementContext context) throws SQLException {
            return plain.create(wrapper, context);
        }

        @Override
        public CallableStatement createCall(Connection wrapper, String sql, StatementContext context)
                throws SQLException {
            return plain.createCall(wrapper, sql, context);
        }

        /**
         * Whether statements of {@code sql} are kept: queries and changes of rows, which run again and again; not
         * the rare others ({@code PRAGMA}, {@code VACUUM INTO}, {@code CREATE}, savepoints).
         */
        private static boolean kept(String sql) {
            return LeadingKeyword.in(sql, KEPT);
        }

        /** How many statements this connection has compiled: for tests. */
        synchronized long prepared() {
            return prepared;
        }

        private PreparedStatement takeIdle(String sql) throws SQLException {
            ArrayDeque<PreparedStatement> statements = idle.get(sql);
            while (statements != null && !statements.isEmpty()) {
                PreparedStatement statement = statements.pop();
                idleCount--;
                if (statements.isEmpty()) {
                    idle.remove(sql);
                }
                if (!statement.isClosed()) {
                    return statement;
                }
            }
            return null;
        }

        private void evictLeastRecentlyUsed() throws SQLException {
            var eldest = idle.entrySet().iterator().next();
            ArrayDeque<PreparedStatement> statements = eldest.getValue();
            statements.pollLast().close();
            idleCount--;
            if (statements.isEmpty()) {
                idle.remove(eldest.getKey());
            }
        }
    }

    /** How many statements the connection under {@code connection} has compiled so far: for tests. */
    long preparedOn(Connection connection) throws SQLException {
        ConnectionStatements statements;
        synchronized (byConnection) {
            statements = byConnection.get(connection.unwrap(SQLiteConnection.class));
        }
        return statements == null ? 0 : statements.prepared();
    }
}

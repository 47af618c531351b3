package org.forumgateway.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Makes every write of this process wait for its {@link WriteTurns turn} before it asks SQLite for the write lock:
 * every transaction (each one takes the write lock up front, {@code BEGIN IMMEDIATE}) and every writing statement
 * run outside a transaction. Another process's writers (a backup tool, the sqlite3 shell) are still waited for by
 * the busy handler.
 */
final class WriteGate extends DelegatingTransactionHandler {
    /** Statements that write; anything else (SELECT, PRAGMA, VACUUM INTO, transaction control) goes straight on. */
    private static final List<String> WRITING = List.of("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP",
            "ALTER");

    private final WriteTurns turns;

    WriteGate(TransactionHandler delegate, WriteTurns turns) {
        super(delegate);
        this.turns = turns;
    }

    @Override
    public TransactionHandler specialize(Handle handle) throws SQLException {
        return new WriteGate(getDelegate().specialize(handle), turns);
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
        turns.take();
        try {
            return super.inTransaction(handle, callback);
        } finally {
            turns.give();
        }
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
                                                    HandleCallback<R, X> callback) throws X {
        turns.take();
        try {
            return super.inTransaction(handle, level, callback);
        } finally {
            turns.give();
        }
    }

    /** Makes a writing statement outside a transaction wait for its turn, and give it back when it is closed. */
    StatementCustomizer autocommitWrites() {
        return new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement statement, StatementContext context) throws SQLException {
                if (context.getConnection().getAutoCommit() && writes(context.getRenderedSql())) {
                    turns.take();
                    Thread holder = Thread.currentThread();
                    context.addCleanable(() -> turns.giveFor(holder));
                }
            }
        };
    }

    /**
     * Whether {@code sql} starts with a writing keyword; reads the first word only (it runs for every statement).
     * A write that starts otherwise ({@code WITH … INSERT}, a leading comment, {@code PRAGMA x = y}) is not seen
     * and waits for SQLite's lock in the busy handler instead: write such statements inside a transaction, which
     * always takes its turn. The code has none outside one.
     */
    static boolean writes(String sql) {
        return LeadingKeyword.in(sql, WRITING);
    }
}

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
                    context.addCleanable(turns::give);
                }
            }
        };
    }

    /** Whether {@code sql} starts with a writing keyword; reads the first word only (it runs for every statement). */
    static boolean writes(String sql) {
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        for (String keyword : WRITING) {
            int end = start + keyword.length();
            if (sql.regionMatches(true, start, keyword, 0, keyword.length())
                    && (end == sql.length() || !Character.isLetter(sql.charAt(end)))) {
                return true;
            }
        }
        return false;
    }
}

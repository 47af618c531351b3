package org.forumgateway.storage;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Values the bot makes once and must keep across restarts and redeploys (table {@code kept_secrets}): the webhook's
 * secret token, the calendar's UID domain. The first start to ask for one keeps what it made; every later one
 * gets that. Thread-safe.
 */
public final class KeptValues {
    private final Jdbi jdbi;
    private final Clock clock;

    public KeptValues(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The value kept under {@code name}, made by {@code fresh} (and kept) if there is none yet. */
    public String keep(String name, Supplier<String> fresh) {
        String candidate = fresh.get();
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("INSERT OR IGNORE INTO kept_secrets (name, value, created_at) VALUES (:name, :value, :now)")
                    .bind("name", name).bind("value", candidate).bind("now", clock.millis()).execute();
            return handle.createQuery("SELECT value FROM kept_secrets WHERE name = :name").bind("name", name)
                    .mapTo(String.class).one();
        });
    }
}

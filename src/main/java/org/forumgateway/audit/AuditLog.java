package org.forumgateway.audit;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Every staff action (announce, cancel, reload, invite, role change): who, what and when. Thread-safe. */
public final class AuditLog {
    private final Jdbi jdbi;
    private final Clock clock;

    public AuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void record(long actor, String action, String detail) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "INSERT INTO audit_log (actor, action, detail, at) VALUES (:actor, :action, :detail, :at)")
                .bind("actor", actor).bind("action", action).bind("detail", detail).bind("at", clock.millis())
                .execute());
    }

    /** The latest entries, newest first. */
    public List<Entry> latest(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM audit_log ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getLong("actor"), rs.getString("action"), rs.getString("detail"),
                        Instant.ofEpochMilli(rs.getLong("at"))))
                .list());
    }

    /** One audited action. */
    public record Entry(long actor, String action, String detail, Instant at) {
    }
}

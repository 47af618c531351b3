package org.forumgateway.audit;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/** Every staff action (announce, cancel, reload, invite, role change): who, what and when. Thread-safe. */
public final class AuditLog {
    private final Jdbi jdbi;
    private final Clock clock;

    public AuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Forgets the name an entry gave {@code telegramId} (their erasure), in the caller's transaction: the entries of
     * staff changes keep the id, which says who was changed, without the name.
     */
    public void forget(Handle handle, long telegramId) {
        handle.createUpdate("""
                        UPDATE audit_log SET detail = :id
                        WHERE action IN ('staff.add', 'staff.remove') AND detail LIKE :id || ' %'""")
                .bind("id", String.valueOf(telegramId)).execute();
    }

    public void record(long actor, String action, String detail) {
        jdbi.useHandle(handle -> record(handle, actor, action, detail));
    }

    /** The same, inside the caller's transaction: the entry stands or falls with the change it records. */
    public void record(Handle handle, long actor, String action, String detail) {
        handle.createUpdate("INSERT INTO audit_log (actor, action, detail, at) VALUES (:actor, :action, :detail, :at)")
                .bind("actor", actor).bind("action", action).bind("detail", detail).bind("at", clock.millis())
                .execute();
    }
}

package org.forumgateway.announcements;

import org.forumgateway.announcements.AnnouncementChanges.Change;
import org.forumgateway.announcements.AnnouncementChanges.Kind;
import org.forumgateway.storage.Columns;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** SQL for the announcement_changes table (edits and recalls of sent announcements): the one class that writes it. */
final class AnnouncementChangeDao {
    private static final RowMapper<Change> CHANGE = (rs, ctx) -> new Change(
            rs.getLong("id"),
            rs.getLong("announcement_id"),
            Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
            AnnouncementDao.readTexts(rs.getString("texts")),
            Change.Status.fromCode(rs.getString("status")),
            rs.getLong("created_by"),
            Columns.optionalLong(rs, "notification_id"),
            rs.getInt("too_old"),
            Columns.optionalLong(rs, "progress_chat"),
            Columns.optionalLong(rs, "progress_outbox"),
            Columns.optionalLong(rs, "started_at").map(Instant::ofEpochMilli).orElse(Instant.ofEpochMilli(rs.getLong("created_at"))));

    private final Jdbi jdbi;

    AnnouncementChangeDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** True when a recall of the announcement was started: nothing is left to change. */
    boolean recalled(long announcementId) {
        return jdbi.withHandle(handle -> recalled(handle, announcementId));
    }

    /** The same, inside the caller's transaction. */
    boolean recalled(Handle handle, long announcementId) {
        return handle.createQuery("""
                        SELECT count(*) FROM announcement_changes
                        WHERE announcement_id = :id AND kind = :delete AND status <> :draft""")
                .bind("id", announcementId).bind("delete", code(Kind.DELETE))
                .bind("draft", Change.Status.DRAFT.code()).mapTo(Integer.class).one() > 0;
    }

    /** Whether a recall of the announcement exists in any state, a draft included, inside the caller's transaction. */
    boolean recallBegun(Handle handle, long announcementId) {
        return handle.createQuery("""
                        SELECT count(*) FROM announcement_changes WHERE announcement_id = :id AND kind = :delete""")
                .bind("id", announcementId).bind("delete", code(Kind.DELETE)).mapTo(Integer.class).one() > 0;
    }

    /**
     * The started recall of the announcement whose messages notification {@code notificationId} carries, inside the
     * caller's transaction.
     */
    Optional<Change> startedRecallByNotification(Handle handle, long notificationId) {
        return handle.createQuery("""
                        SELECT c.* FROM announcement_changes c JOIN announcements a ON a.id = c.announcement_id
                        WHERE a.notification_id = :notification AND c.kind = :delete
                          AND c.notification_id IS NOT NULL""")
                .bind("notification", notificationId).bind("delete", code(Kind.DELETE)).map(CHANGE).findOne();
    }

    /** The notifications carrying the messages of the announcement's edits that are still sending. */
    List<Long> sendingEditNotifications(Handle handle, long announcementId) {
        return handle.createQuery("""
                        SELECT notification_id FROM announcement_changes
                        WHERE announcement_id = :id AND kind = :edit AND status = :sending
                          AND notification_id IS NOT NULL""")
                .bind("id", announcementId).bind("edit", code(Kind.EDIT))
                .bind("sending", Change.Status.SENDING.code()).mapTo(Long.class).list();
    }

    /** A new draft change; returns its id. */
    long insertDraft(Handle handle, long announcementId, Kind kind, long staffId, Instant now) {
        return handle.createQuery("""
                        INSERT INTO announcement_changes (announcement_id, kind, status, created_by, created_at)
                        VALUES (:announcement, :kind, :draft, :staff, :now)
                        RETURNING id""")
                .bind("announcement", announcementId).bind("kind", code(kind))
                .bind("draft", Change.Status.DRAFT.code()).bind("staff", staffId).bind("now", now.toEpochMilli())
                .mapTo(Long.class).one();
    }

    Optional<Change> find(long id) {
        return jdbi.withHandle(handle -> find(handle, id));
    }

    Optional<Change> find(Handle handle, long id) {
        return handle.createQuery("SELECT * FROM announcement_changes WHERE id = :id")
                .bind("id", id).map(CHANGE).findOne();
    }

    void updateTexts(Handle handle, long id, Map<String, String> texts) {
        handle.createUpdate("UPDATE announcement_changes SET texts = :texts WHERE id = :id")
                .bind("texts", AnnouncementDao.writeTexts(texts)).bind("id", id).execute();
    }

    /** A draft starts sending; false when it is no draft any more (started by someone else). */
    boolean markSending(Handle handle, long id, Instant now, int tooOld) {
        return handle.createUpdate("""
                        UPDATE announcement_changes SET status = :sending, started_at = :now, too_old = :tooOld
                        WHERE id = :id AND status = :draft""")
                .bind("sending", Change.Status.SENDING.code()).bind("draft", Change.Status.DRAFT.code())
                .bind("now", now.toEpochMilli()).bind("tooOld", tooOld).bind("id", id).execute() > 0;
    }

    /** Which notification carries its messages and where its progress is shown. */
    void recordStart(Handle handle, long id, long notification, long progressChat, long progressRow) {
        handle.createUpdate("""
                        UPDATE announcement_changes SET notification_id = :notification, progress_chat = :chat,
                               progress_outbox = :row WHERE id = :id""")
                .bind("notification", notification).bind("chat", progressChat).bind("row", progressRow)
                .bind("id", id).execute();
    }

    List<Change> sending() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM announcement_changes WHERE status = :sending")
                .bind("sending", Change.Status.SENDING.code()).map(CHANGE).list());
    }

    /** A sending change is done; false when it already was. */
    boolean finish(long id, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE announcement_changes SET status = :done, finished_at = :now
                        WHERE id = :id AND status = :sending""")
                .bind("done", Change.Status.DONE.code()).bind("sending", Change.Status.SENDING.code())
                .bind("now", now.toEpochMilli()).bind("id", id).execute()) > 0;
    }

    private static String code(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}

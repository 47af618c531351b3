package org.forumgateway.api;

import org.forumgateway.storage.Columns;
import org.forumgateway.storage.JsonText;
import org.forumgateway.users.ExternalIdDao;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/events} and {@code GET /v1/events/{key}/rsvps}: the schedule and who answered, read-only. */
final class ScheduleEndpoints {
    private final Jdbi jdbi;

    ScheduleEndpoints(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** {@code GET /v1/events}: every event, in order of start, with its answers counted. */
    WebResponse events(WebRequest request, ApiKey caller) {
        List<Map<String, Object>> items = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT e.*, (SELECT count(*) FROM rsvps r WHERE r.event_key = e.key AND r.status = 'going') AS going,
                               (SELECT count(*) FROM rsvps r WHERE r.event_key = e.key AND r.status = 'maybe') AS maybe,
                               (SELECT count(*) FROM rsvps r WHERE r.event_key = e.key AND r.status = 'waitlisted')
                                   AS waitlisted
                        FROM events e ORDER BY e.starts_at, e.key""")
                .map((rs, ctx) -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("key", rs.getString("key"));
                    event.put("kind", rs.getString("kind"));
                    event.put("title", JsonText.read(rs.getString("title")).byLocale());
                    event.put("starts_at", Instant.ofEpochMilli(rs.getLong("starts_at")).toString());
                    event.put("ends_at", Instant.ofEpochMilli(rs.getLong("ends_at")).toString());
                    event.put("time_zone", rs.getString("time_zone"));
                    // Stored as text per language, like the title (an event file may give either a text or a map).
                    event.put("venue", Columns.optionalString(rs, "venue_name")
                            .map(venue -> JsonText.read(venue).byLocale()).orElse(null));
                    event.put("capacity", Columns.optionalInt(rs, "capacity").orElse(null));
                    event.put("audience", rs.getString("audience"));
                    event.put("cancelled", rs.getInt("cancelled") == 1);
                    event.put("rsvps", Map.of("going", rs.getInt("going"), "maybe", rs.getInt("maybe"),
                            "waitlisted", rs.getInt("waitlisted")));
                    return event;
                })
                .list());
        return WebResponse.jsonOf(200, Map.of("items", items));
    }

    /** One page of an event's answers, read in the index {@code rsvps_event} in rowid order (no sort). */
    static final String RSVP_PAGE = """
            SELECT r.rowid AS position, r.user_id, r.status, r.updated_at, u.country, %s AS external_id
            FROM rsvps r JOIN users u ON u.telegram_id = r.user_id
            WHERE r.event_key = :key AND r.rowid > :after
            ORDER BY r.rowid LIMIT :limit""".formatted(ExternalIdDao.idAsKnownTo("r.user_id"));

    /**
     * {@code GET /v1/events/{key}/rsvps?cursor=&limit=}: answers in the order people first answered. That order never
     * changes, so paging lists each person once however they change their answer meanwhile; the waitlist's arrival
     * numbers would not do, since joining the waitlist gives a new one. The order is the rows' rowid, which SQLite
     * gives in the order answers are stored (one writer; a new rowid is above every one in use): a first answer
     * stored after a page was read comes on a later page. Its time would not do: it is read before the answer waits
     * for its turn to write, so a first answer timed before the last one listed could still be stored after it, and
     * be skipped.
     */
    WebResponse rsvps(WebRequest request, ApiKey caller) {
        String key = request.pathParameter("key");
        boolean exists = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM events WHERE key = :key")
                .bind("key", key).mapTo(Integer.class).one() > 0);
        if (!exists) {
            throw Problem.notFound("There is no event '" + key + "'.").raise();
        }
        int limit = Cursor.limit(request.queryParameter(Cursor.LIMIT), 100, 1000);
        // Positions are rowids within one event: another event's cursor would skip this one's. Cursors of two parts
        // (first answer, person), which earlier versions gave, are refused.
        String list = "r/" + key;
        long after = Cursor.decode(list, request.queryParameter(Cursor.PARAMETER)).orElse(Long.MIN_VALUE);
        List<Map.Entry<Long, Map<String, Object>>> page = jdbi.withHandle(handle -> handle.createQuery(RSVP_PAGE)
                .bind("key", key).bind("keyName", caller.name()).bind("after", after).bind("limit", limit + 1)
                .map((rs, ctx) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("telegram_id", rs.getLong("user_id"));
                    item.put("status", rs.getString("status"));
                    item.put("country", Columns.optionalString(rs, "country").orElse(null));
                    item.put("answered_at", Instant.ofEpochMilli(rs.getLong("updated_at")).toString());
                    item.put("external_id", Columns.optionalString(rs, "external_id").orElse(null));
                    return Map.entry(rs.getLong("position"), item);
                })
                .list());
        boolean more = page.size() > limit;
        List<Map.Entry<Long, Map<String, Object>>> items = more ? page.subList(0, limit) : page;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(Map.Entry::getValue).toList());
        body.put("next_cursor", more ? Cursor.encode(list, items.get(items.size() - 1).getKey()) : null);
        return WebResponse.jsonOf(200, body);
    }
}

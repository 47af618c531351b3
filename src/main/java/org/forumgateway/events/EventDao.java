package org.forumgateway.events;

import org.forumgateway.i18n.LocalizedText;
import org.forumgateway.storage.Columns;
import org.forumgateway.storage.JsonText;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** SQL for the events table. Every method works inside the caller's handle, so it can join a transaction. */
public final class EventDao {
    public static final RowMapper<Event> EVENT = (rs, ctx) -> {
        Optional<LocalizedText> venueName = Columns.optionalString(rs, "venue_name").map(JsonText::read);
        LocalizedText venueAddress = Columns.optionalString(rs, "venue_address").map(JsonText::read)
                .orElse(LocalizedText.empty());
        return new Event(
                rs.getString("key"),
                EventKind.fromCode(rs.getString("kind")),
                JsonText.read(rs.getString("title")),
                JsonText.read(rs.getString("description")),
                venueName.map(name -> new Venue(name, venueAddress)),
                ZoneId.of(rs.getString("time_zone")),
                LocalDateTime.parse(rs.getString("local_start")),
                LocalDateTime.parse(rs.getString("local_end")),
                Columns.optionalInt(rs, "capacity"),
                Columns.optionalString(rs, "local_deadline").map(LocalDateTime::parse),
                Audience.parse(rs.getString("audience")).orElseThrow(),
                parseReminders(rs.getString("reminders")),
                rs.getInt("cancelled") == 1);
    };

    /**
     * Visibility for a stored user {@code u} and an event {@code e}, for queries that join them: the rule of
     * {@link Audience#admits}, with stored roles (administrators from ADMIN_IDS count as their stored role).
     */
    public static final String VISIBLE_TO_USER_ROW = """
            (u.role = 'staff' OR e.audience = 'public' OR (e.audience = 'delegates' AND u.role = 'delegate')
             OR e.audience = 'cohort:' || u.cohort_number)""";

    /**
     * The same for any user, administrators of ADMIN_IDS included, whose role is not stored: they are bound as the
     * list {@code <admins>} (empty: {@code IN (NULL)}, nobody).
     */
    public static final String VISIBLE_TO_USER_ROW_OR_ADMIN = "(u.telegram_id IN (<admins>) OR " + VISIBLE_TO_USER_ROW + ")";

    /** Visibility as SQL: the same rule as {@link Audience#admits}. */
    private static final String VISIBLE = """
            (:staff OR audience = 'public' OR (audience = 'delegates' AND :delegate) OR audience = :cohortAudience)""";

    /** Whether any event was ever loaded. */
    public boolean any(Handle handle) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM events)").mapTo(Boolean.class).one();
    }

    /**
     * Events that have not ended nor been cancelled whose keys are not among {@code keys}, by key: taken out of the
     * file, and still shown.
     */
    List<String> notEndedExcept(Handle handle, Set<String> keys, Instant now) {
        return handle.createQuery(
                        "SELECT key FROM events WHERE ends_at > :now AND cancelled = 0 ORDER BY starts_at, key")
                .bind("now", now.toEpochMilli()).mapTo(String.class).list().stream()
                .filter(key -> !keys.contains(key)).toList();
    }

    public Optional<Event> find(Handle handle, String key) {
        return handle.createQuery("SELECT * FROM events WHERE key = :key").bind("key", key).map(EVENT).findOne();
    }

    /**
     * Whether an upsert changes what a calendar shows of the event: its texts, place, time, alarm or cancellation.
     * Such a change raises its revision and sets its {@code updated_at} (a calendar's DTSTAMP); a reload that
     * changes nothing, or only seats or the audience, leaves both.
     */
    private static final String SHOWN_IN_CALENDARS_CHANGED = """
            (events.title IS NOT excluded.title OR events.description IS NOT excluded.description
             OR events.venue_name IS NOT excluded.venue_name OR events.venue_address IS NOT excluded.venue_address
             OR events.time_zone IS NOT excluded.time_zone OR events.local_start IS NOT excluded.local_start
             OR events.local_end IS NOT excluded.local_end OR events.reminders IS NOT excluded.reminders
             OR events.cancelled IS NOT excluded.cancelled)""";

    /** Inserts or replaces the event; returns what was stored before, if anything. Raises its revision on a change. */
    public Optional<Event> upsert(Handle handle, Event event, Instant now) {
        Optional<Event> previous = find(handle, event.key());
        handle.createUpdate("""
                        INSERT INTO events (key, kind, title, description, venue_name, venue_address, time_zone,
                                            local_start, local_end, local_deadline, starts_at, ends_at, capacity,
                                            audience, reminders, cancelled, updated_at)
                        VALUES (:key, :kind, :title, :description, :venueName, :venueAddress, :zone, :localStart,
                                :localEnd, :localDeadline, :startsAt, :endsAt, :capacity, :audience, :reminders,
                                :cancelled, :now)
                        ON CONFLICT (key) DO UPDATE SET
                            kind = excluded.kind, title = excluded.title, description = excluded.description,
                            venue_name = excluded.venue_name, venue_address = excluded.venue_address,
                            time_zone = excluded.time_zone, local_start = excluded.local_start,
                            local_end = excluded.local_end, local_deadline = excluded.local_deadline,
                            starts_at = excluded.starts_at, ends_at = excluded.ends_at, capacity = excluded.capacity,
                            audience = excluded.audience, reminders = excluded.reminders,
                            cancelled = excluded.cancelled,
                            updated_at = CASE WHEN %1$s THEN excluded.updated_at ELSE events.updated_at END,
                            revision = events.revision + %1$s
                        """.formatted(SHOWN_IN_CALENDARS_CHANGED))
                .bind("key", event.key())
                .bind("kind", event.kind().code())
                .bind("title", JsonText.write(event.title()))
                .bind("description", JsonText.write(event.description()))
                .bind("venueName", event.venue().map(venue -> JsonText.write(venue.name())).orElse(null))
                .bind("venueAddress", event.venue().map(Venue::address).filter(address -> !address.isEmpty())
                        .map(JsonText::write).orElse(null))
                .bind("zone", event.zone().getId())
                .bind("localStart", event.start().toString())
                .bind("localEnd", event.end().toString())
                .bind("localDeadline", event.rsvpDeadline().map(LocalDateTime::toString).orElse(null))
                .bind("startsAt", event.startsAt().toEpochMilli())
                .bind("endsAt", event.endsAt().toEpochMilli())
                .bind("capacity", event.capacity().orElse(null))
                .bind("audience", event.audience().code())
                .bind("reminders", formatReminders(event.reminders()))
                .bind("cancelled", event.cancelled() ? 1 : 0)
                .bind("now", now.toEpochMilli())
                .execute();
        return previous;
    }

    /** The offsets reminders go out at, before the event's start. */
    public void replaceReminderOffsets(Handle handle, String key, List<Duration> offsets) {
        handle.createUpdate("DELETE FROM event_reminder_offsets WHERE event_key = :key").bind("key", key).execute();
        for (Duration offset : offsets.stream().distinct().toList()) {
            handle.createUpdate("INSERT INTO event_reminder_offsets (event_key, offset_minutes) VALUES (:key, :minutes)")
                    .bind("key", key).bind("minutes", offset.toMinutes()).execute();
        }
    }

    /** Events {@code user} may see that have not ended, soonest first. */
    public List<Event> upcomingVisible(Handle handle, User user, Instant now, int offset, int limit) {
        // The page's keys come from the index in start order (V17); only its rows are read from the table.
        return bindVisibility(handle.createQuery("SELECT e.* FROM (SELECT key FROM events WHERE ends_at > :now AND "
                        + VISIBLE + " ORDER BY starts_at, key LIMIT :limit OFFSET :offset) page"
                        + " JOIN events e ON e.key = page.key ORDER BY e.starts_at, e.key"), user)
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .bind("offset", offset)
                .map(EVENT)
                .list();
    }

    public int countUpcomingVisible(Handle handle, User user, Instant now) {
        return bindVisibility(handle.createQuery("SELECT count(*) FROM events WHERE ends_at > :now AND " + VISIBLE), user)
                .bind("now", now.toEpochMilli())
                .mapTo(Integer.class)
                .one();
    }

    /** Upcoming events of one cohort's audience, for /cohort. */
    public List<Event> upcomingForCohort(Handle handle, int cohort, Instant now, int limit) {
        return handle.createQuery("""
                        SELECT * FROM events WHERE ends_at > :now AND audience = :audience
                        ORDER BY starts_at LIMIT :limit""")
                .bind("now", now.toEpochMilli())
                .bind("audience", Audience.cohort(cohort).code())
                .bind("limit", limit)
                .map(EVENT)
                .list();
    }

    private static Query bindVisibility(Query query, User user) {
        return query
                .bind("staff", user.role().atLeast(Role.STAFF))
                .bind("delegate", user.role() == Role.DELEGATE)
                .bind("cohortAudience", user.cohortNumber().map(number -> Audience.cohort(number).code()).orElse(""));
    }

    static String formatReminders(List<Duration> reminders) {
        return reminders.stream().map(duration -> duration.toMinutes() + "m").collect(Collectors.joining(","));
    }

    static List<Duration> parseReminders(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(text.split(","))
                .map(minutes -> Duration.ofMinutes(Long.parseLong(minutes.substring(0, minutes.length() - 1))))
                .toList();
    }
}

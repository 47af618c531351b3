package org.forumgateway.reminders;

import org.forumgateway.events.Event;
import org.forumgateway.events.EventDao;
import org.forumgateway.rsvp.RsvpStatus;
import org.forumgateway.users.QuietHours;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.EmptyHandling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What automatic messages are due, read from the database (the source of truth: nothing is scheduled ahead,
 * so moving, cancelling or answering an event changes what is due at once). Thread-safe.
 */
public final class AutomationDao {
    /**
     * The reader's columns under names of their own: selected next to {@code e.*}, a plain {@code u.time_zone} would
     * be shadowed by the event's {@code time_zone} when read by name.
     */
    static final String READER_COLUMNS = "u.telegram_id AS user_id, u.locale AS reader_locale, "
            + "u.telegram_language AS reader_telegram_language, u.time_zone AS reader_time_zone, "
            + "u.quiet_start AS reader_quiet_start, u.quiet_end AS reader_quiet_end";
    private static final int BATCH = 20_000;
    /*
     * The sweep's questions about people, asked every two seconds and nearly always answered "nobody". Each finds
     * its candidates in an index alone (AutomationDaoPlanTest checks SQLite's plans), so a sweep never reads every
     * user: the people are read from the table only once they are known to need the message.
     */
    static final String DELEGATES_WITHOUT_NUDGE = """
            SELECT %s FROM users u
            WHERE u.telegram_id IN (
                    SELECT m.telegram_id FROM users m WHERE m.role = 'delegate'
                      AND NOT EXISTS (SELECT 1 FROM rsvps r WHERE r.event_key = :key AND r.user_id = m.telegram_id)
                      AND NOT EXISTS (SELECT 1 FROM automatic_sent s WHERE s.kind = 'nudge'
                                      AND s.subject = :key AND s.user_id = m.telegram_id))
              AND u.status = 'active'""".formatted(READER_COLUMNS);
    static final String COHORT_MEMBERS_WITHOUT = """
            SELECT %s FROM users u
            WHERE u.telegram_id IN (
                    SELECT m.telegram_id FROM users m WHERE m.cohort_number = :cohort
                      AND NOT EXISTS (SELECT 1 FROM automatic_sent s WHERE s.kind = :kind
                                      AND s.subject = :subject AND s.user_id = m.telegram_id))
              AND u.status = 'active'""".formatted(READER_COLUMNS);
    /** Members who had {@code :thanked} about their cohort and not yet {@code :kind} about {@code :subject}. */
    static final String COHORT_MEMBERS_THANKED_WITHOUT = """
            SELECT %s FROM users u
            WHERE u.telegram_id IN (
                    SELECT m.telegram_id FROM users m WHERE m.cohort_number = :cohort
                      AND EXISTS (SELECT 1 FROM automatic_sent t WHERE t.kind = :thanked
                                  AND t.subject = :cohortSubject AND t.user_id = m.telegram_id)
                      AND NOT EXISTS (SELECT 1 FROM automatic_sent s WHERE s.kind = :kind
                                      AND s.subject = :subject AND s.user_id = m.telegram_id))
              AND u.status = 'active'""".formatted(READER_COLUMNS);
    /** Digest readers come from the partial index {@code users_digest_readers} (migration V18). */
    static final String DIGEST_READERS_WITHOUT = """
            SELECT %s FROM users u
            WHERE u.digest = 1 AND u.status = 'active'
              AND NOT EXISTS (SELECT 1 FROM automatic_sent s WHERE s.kind = :kind AND s.subject = ''
                              AND s.user_id = u.telegram_id)""".formatted(READER_COLUMNS);

    private final Jdbi jdbi;
    private final QuietHours defaultQuietHours;
    private final List<Long> adminIds;
    private final int reminderBatch;

    public AutomationDao(Jdbi jdbi, QuietHours defaultQuietHours) {
        this(jdbi, defaultQuietHours, Set.of());
    }

    /** @param adminIds ADMIN_IDS: they see every event, as in chat, though no role of theirs is stored */
    public AutomationDao(Jdbi jdbi, QuietHours defaultQuietHours, Set<Long> adminIds) {
        this(jdbi, defaultQuietHours, adminIds, BATCH);
    }

    /** @param reminderBatch at most this many (event, offset, person) rows are read per round */
    AutomationDao(Jdbi jdbi, QuietHours defaultQuietHours, Set<Long> adminIds, int reminderBatch) {
        this.jdbi = jdbi;
        this.defaultQuietHours = defaultQuietHours;
        this.adminIds = List.copyOf(adminIds);
        this.reminderBatch = reminderBatch;
    }

    /**
     * Reminders due at {@code now}: to people going or maybe who had answered by the time each was due, for events
     * not started and not cancelled, not sent before, nor after a later one (a longer offset added by a reload once
     * the shorter reminder went out). When several are due for one person (the bot was down), only the latest is
     * sent and it covers the older ones.
     */
    public List<DueMessage> dueReminders(Instant now) {
        record Row(Event event, int offsetMinutes, Reader reader, RsvpStatus answer) {
        }
        // CROSS JOIN fixes the order (SQLite keeps the left table outside): the (event, offset) pairs due now
        // first, then their answers. Left to itself the planner read every answer to every upcoming event, and the
        // users who gave them, before looking at the offsets: 1.7 s with 500,000 answers, every sweep (2 s).
        List<Row> rows = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT e.*, ro.offset_minutes, r.status AS answer, %s
                        FROM events e
                        CROSS JOIN event_reminder_offsets ro ON ro.event_key = e.key
                        CROSS JOIN rsvps r ON r.event_key = e.key AND r.status IN ('going', 'maybe')
                        JOIN users u ON u.telegram_id = r.user_id AND u.status = 'active'
                        WHERE e.cancelled = 0 AND e.starts_at > :now AND %s
                          AND e.starts_at - ro.offset_minutes * 60000 <= :now
                          AND r.updated_at <= e.starts_at - ro.offset_minutes * 60000
                          AND NOT EXISTS (SELECT 1 FROM automatic_sent s
                                          WHERE s.kind = 'reminder:' || ro.offset_minutes AND s.subject = e.key
                                            AND s.user_id = r.user_id)
                          AND NOT EXISTS (SELECT 1 FROM event_reminder_offsets shorter
                                          JOIN automatic_sent s ON s.kind = 'reminder:' || shorter.offset_minutes
                                                AND s.subject = e.key AND s.user_id = r.user_id
                                          WHERE shorter.event_key = e.key
                                            AND shorter.offset_minutes < ro.offset_minutes)
                        ORDER BY e.starts_at, r.user_id, ro.offset_minutes
                        LIMIT :limit""".formatted(READER_COLUMNS, EventDao.VISIBLE_TO_USER_ROW_OR_ADMIN))
                .bindList(EmptyHandling.NULL_KEYWORD, "admins", adminIds)
                .bind("now", now.toEpochMilli())
                .bind("limit", reminderBatch)
                .map((rs, ctx) -> new Row(EventDao.EVENT.map(rs, ctx), rs.getInt("offset_minutes"),
                        Reader.from(rs, defaultQuietHours), RsvpStatus.fromCode(rs.getString("answer"))))
                .list());
        if (rows.size() == reminderBatch) {
            // A full batch may end inside the last person's reminders at that instant: leave all of them to the next
            // round, which reads them whole. Read in two parts, the first part would go out as the latest reminder
            // and the rest as a second, older one.
            Row last = rows.get(rows.size() - 1);
            List<Row> whole = rows.stream().filter(row -> row.reader().userId() != last.reader().userId()
                    || !row.event().startsAt().equals(last.event().startsAt())).toList();
            rows = whole.isEmpty() ? rows : whole;
        }
        Map<String, List<Row>> byPerson = new LinkedHashMap<>();
        rows.forEach(row -> byPerson.computeIfAbsent(row.event().key() + "/" + row.reader().userId(),
                key -> new ArrayList<>()).add(row));
        List<DueMessage> due = new ArrayList<>();
        for (List<Row> person : byPerson.values()) {
            Row latest = person.stream().min(Comparator.comparingInt(Row::offsetMinutes)).orElseThrow();
            List<String> covered = person.stream().filter(row -> row != latest)
                    .map(row -> "reminder:" + row.offsetMinutes()).toList();
            due.add(new DueMessage("reminder:" + latest.offsetMinutes(), latest.event().key(), latest.reader(),
                    Optional.of(latest.event()), Optional.of(Duration.ofMinutes(latest.offsetMinutes())), covered,
                    Optional.of(latest.answer())));
        }
        return due;
    }

    /**
     * The first instant strictly after {@code after} at which a reminder of an event not cancelled falls due,
     * whoever answered it: answers do not move due instants (a reminder is owed only to those who had answered by
     * then), so only the schedule does. Reads the events' start index, not the answers.
     */
    public Optional<Instant> nextReminderDue(Instant after) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT min(e.starts_at - ro.offset_minutes * 60000)
                        FROM events e JOIN event_reminder_offsets ro ON ro.event_key = e.key
                        WHERE e.cancelled = 0 AND e.starts_at > :after
                          AND e.starts_at - ro.offset_minutes * 60000 > :after""")
                .bind("after", after.toEpochMilli())
                .mapTo(Long.class)
                .findOne()
                .map(Instant::ofEpochMilli));
    }

    /** One nudge per delegate who may see an event, has not answered it, and whose deadline is near. */
    public List<DueMessage> dueNudges(Instant now, Duration lead) {
        return jdbi.withHandle(handle -> {
            List<Event> closing = handle.createQuery("""
                            SELECT * FROM events WHERE cancelled = 0 AND local_deadline IS NOT NULL AND starts_at > :now
                              AND audience IN ('public', 'delegates')""")
                    .bind("now", now.toEpochMilli())
                    .map(EventDao.EVENT).list().stream()
                    .filter(event -> event.rsvpDeadlineAt()
                            .filter(deadline -> now.isBefore(deadline) && !now.isBefore(deadline.minus(lead)))
                            .isPresent())
                    .toList();
            List<DueMessage> due = new ArrayList<>();
            for (Event event : closing) {
                handle.createQuery(DELEGATES_WITHOUT_NUDGE)
                        .bind("key", event.key())
                        .map((rs, ctx) -> Reader.from(rs, defaultQuietHours))
                        .forEach(reader -> due.add(new DueMessage(DueMessage.NUDGE, event.key(), reader,
                                Optional.of(event),
                                Optional.empty(), List.of())));
            }
            return due;
        });
    }

    /**
     * Members of {@code cohort} who have not had the message {@code kind} about it (a cohort of 1,000 who all have:
     * 1.4 ms, against 3.6 ms when every member's row was read).
     */
    public List<Reader> cohortMembersWithout(int cohort, String kind) {
        return jdbi.withHandle(handle -> handle.createQuery(COHORT_MEMBERS_WITHOUT)
                .bind("cohort", cohort).bind("kind", kind).bind("subject", String.valueOf(cohort))
                .map((rs, ctx) -> Reader.from(rs, defaultQuietHours))
                .list());
    }

    /**
     * Members of {@code cohort} who had the message {@code thanked} about it (its farewell) and not {@code kind} about
     * {@code subject}: those to tell that it goes on after all.
     */
    public List<Reader> cohortMembersThankedWithout(int cohort, String thanked, String kind, String subject) {
        return jdbi.withHandle(handle -> handle.createQuery(COHORT_MEMBERS_THANKED_WITHOUT)
                .bind("cohort", cohort).bind("thanked", thanked).bind("cohortSubject", String.valueOf(cohort))
                .bind("kind", kind).bind("subject", subject)
                .map((rs, ctx) -> Reader.from(rs, defaultQuietHours))
                .list());
    }

    /** Users who asked for the weekly digest and have not had the one of {@code week}. */
    public List<Reader> digestReadersWithout(String week) {
        return jdbi.withHandle(handle -> handle.createQuery(DIGEST_READERS_WITHOUT)
                .bind("kind", "digest:" + week)
                .map((rs, ctx) -> Reader.from(rs, defaultQuietHours))
                .list());
    }

    /**
     * After {@code event} moved, forgets its reminders that were sent too long before their new due instant to still
     * serve as that reminder (more than half the offset early), in the caller's transaction, so they are owed again:
     * a day-before reminder sent on the 9th for the 10th goes out again on the 11th when the event moves to the 12th,
     * while one sent for 10:00 stays sent when the event moves to 10:15, and so does one whose new instant has passed.
     */
    public static void forgetOvertakenReminders(Handle handle, Event event, Instant now) {
        // The stored offsets: the event's own, else the defaults it was loaded with. Due instant minus half the
        // offset is start - offset * 1.5, in milliseconds start - minutes * 90,000. A reminder whose new instant
        // has passed stays sent: it would go out at once, next to the notice of the move.
        handle.createUpdate("""
                        DELETE FROM automatic_sent
                        WHERE kind IN (SELECT 'reminder:' || offset_minutes FROM event_reminder_offsets
                                       WHERE event_key = :key AND :start - offset_minutes * 60000 > :now)
                          AND subject = :key
                          AND sent_at < :start - CAST(substr(kind, 10) AS INTEGER) * 90000""")
                .bind("key", event.key()).bind("start", event.startsAt().toEpochMilli())
                .bind("now", now.toEpochMilli())
                .execute();
    }

    /** Forgets that a message was sent (it was withdrawn before it went out), in the caller's transaction. */
    static void forgetSent(Handle handle, String kind, String subject, long userId) {
        handle.createUpdate("DELETE FROM automatic_sent WHERE kind = :kind AND subject = :subject AND user_id = :user")
                .bind("kind", kind).bind("subject", subject).bind("user", userId).execute();
    }

    /** Forgets which automatic messages {@code userId} had (their erasure). */
    public static void forget(Handle handle, long userId) {
        handle.createUpdate("DELETE FROM automatic_sent WHERE user_id = :user").bind("user", userId).execute();
    }

    /** Records messages as sent, in the caller's transaction; returns false for each one recorded before. */
    public static boolean recordSent(Handle handle, String kind, String subject, long userId, Instant now) {
        return handle.createUpdate("""
                        INSERT OR IGNORE INTO automatic_sent (kind, subject, user_id, sent_at)
                        VALUES (:kind, :subject, :user, :now)""")
                .bind("kind", kind).bind("subject", subject).bind("user", userId).bind("now", now.toEpochMilli())
                .execute() > 0;
    }
}

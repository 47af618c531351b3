package org.forumgateway.reminders;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.bot.EventViews;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.EventService;
import org.forumgateway.events.ScheduleReloader;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.rsvp.RsvpChoice;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.scheduling.Scheduling;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.Schedules;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reminder alarm with the real scheduler, a real SQLite file and the real outbox, and no periodic sweep at all:
 * a reminder that reaches the outbox was rung by the alarm at its due instant.
 */
class ReminderAlarmTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    /**
     * The plenary of the test schedule starts 2026-12-08 10:00 in Seoul, the delegates' lunch at 12:15; reminders
     * 24 h and 1 h before each.
     */
    private static final Instant START = Instant.parse("2026-12-08T01:00:00Z");
    private static final Instant DAY_BEFORE = START.minus(Duration.ofHours(24));
    private static final Instant LUNCH_DAY_BEFORE = Instant.parse("2026-12-07T03:15:00Z");

    @TempDir
    Path folder;
    private final MutableClock clock = new MutableClock(START.minus(Duration.ofDays(6))); // before the RSVP deadline
    private Database database;
    private Scheduling scheduling;
    private AutomationDao due;
    private RsvpService rsvps;
    private EventService events;
    private ScheduleReloader reloader;
    private ReminderAlarm alarm;
    private EventReminders reminders;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", List.of());
        UserService users = new UserService(database.jdbi(), Set.of(), clock);
        Notifications notifications = new Notifications(new Outbox(database.jdbi(), clock), () -> { });
        rsvps = new RsvpService(database.jdbi(), clock);
        events = new EventService(database.jdbi(), Schedules.write(folder, Schedules.oneEvent("plenary", 50)), clock);
        QuietHours night = new QuietHours(22 * 60, 8 * 60);
        EventViews views = new EventViews(SEOUL, "en", clock);
        reloader = new ScheduleReloader(database.jdbi(), events, rsvps, new AudienceResolver(database.jdbi(), catalog,
                Set.of(), night, SEOUL), notifications, catalog, views);
        reloader.reload();
        rsvps.answer("plenary", users.recordSeen(new TelegramProfile(1, "Aigerim", Optional.empty(), Optional.empty(),
                Optional.of("en"))), RsvpChoice.GOING);
        due = new AutomationDao(database.jdbi(), night);
        reminders = new EventReminders(due, new AutomaticQueue(database.jdbi(), notifications),
                new Readers(catalog, SEOUL), views, rsvps, clock);
        scheduling = Scheduling.start(clock);
        // Only the alarm rings in these tests: the periodic sweep is never started.
        alarm = new ReminderAlarm(due, reminders, new AutomaticSweep(List.of(reminders)), scheduling, clock);
        reloader.afterEachReload(alarm::arm);
    }

    @AfterEach
    void close() {
        scheduling.close();
        database.close();
    }

    @Test
    void theNextDueInstantFollowsTheScheduleNotTheAnswers() {
        assertEquals(Optional.of(DAY_BEFORE), due.nextReminderDue(DAY_BEFORE.minusMillis(1)));
        assertEquals(Optional.of(LUNCH_DAY_BEFORE), due.nextReminderDue(DAY_BEFORE));
        assertEquals(Optional.of(START.minus(Duration.ofHours(1))), due.nextReminderDue(LUNCH_DAY_BEFORE));
        assertEquals(Optional.empty(), due.nextReminderDue(LUNCH_DAY_BEFORE.plus(Duration.ofHours(23))));
        Schedules.write(folder, Schedules.oneEvent("plenary", 50).replace("    reminders: [24h, 1h]\n",
                "    reminders: [24h, 1h]\n    cancelled: true\n"));
        reloader.reload();
        assertEquals(Optional.of(LUNCH_DAY_BEFORE), due.nextReminderDue(DAY_BEFORE.minusMillis(1)),
                "a cancelled event rings none");
    }

    @Test
    void ringsAtTheDueInstantWithoutAnySweep() {
        clock.set(DAY_BEFORE.minusMillis(300));
        alarm.arm();
        assertEquals(Optional.of(DAY_BEFORE), alarm.armedFor());
        awaitQueued(1);
        assertEquals(1, sentReminders(), "recorded once");
        assertEquals(Optional.of(LUNCH_DAY_BEFORE), awaitArmedAfter(DAY_BEFORE),
                "and re-armed for the next one");
    }

    @Test
    void aReloadThatMovesTheEventReArmsTheAlarm() {
        clock.set(DAY_BEFORE.minus(Duration.ofHours(1)));
        alarm.arm();
        assertEquals(Optional.of(DAY_BEFORE), alarm.armedFor());
        // Moved an hour earlier: its 24 h reminder is due a second from now.
        Instant movedStart = clock.instant().plusSeconds(1).plus(Duration.ofHours(24));
        LocalDateTime local = LocalDateTime.ofInstant(movedStart, SEOUL);
        Schedules.write(folder, Schedules.oneEvent("plenary", 50)
                .replace("start: 2026-12-08T10:00", "start: " + local)
                .replace("end: 2026-12-08T12:00", "end: " + local.plusHours(2)));
        reloader.reload();
        // Armed for an hour from now before the reload: only a re-armed alarm rings within the wait.
        awaitQueued(1);
        assertEquals(1, sentReminders());
    }

    @Test
    void aReminderStillQueuedWhenTheEventIsCancelledOrMovedIsWithdrawn() {
        reloader.inEachReload(new OutdatedReminders(new Notifications(new Outbox(database.jdbi(), clock), () -> { }), clock));
        clock.set(DAY_BEFORE.minusMillis(300));
        alarm.arm();
        awaitQueued(1);
        assertEquals(List.of("pending"), reminderStatuses(), "queued, not yet sent (no delivery engine here)");

        Schedules.write(folder, Schedules.oneEvent("plenary", 50).replace("    reminders: [24h, 1h]\n",
                "    reminders: [24h, 1h]\n    cancelled: true\n"));
        reloader.reload();
        assertEquals(List.of("cancelled"), reminderStatuses());
        assertEquals(0, sentReminders(), "it never reached its reader: not recorded as sent");
    }

    @Test
    void aReminderOfAMovedEventIsWithdrawnAndTheNewTimeOwesItsOwn() {
        reloader.inEachReload(new OutdatedReminders(new Notifications(new Outbox(database.jdbi(), clock), () -> { }),
                clock));
        clock.set(DAY_BEFORE.minusMillis(300));
        alarm.arm();
        awaitQueued(1);
        // An hour later, when the reload moves the plenary an hour later: its new 24 h reminder is due 300 ms on.
        clock.set(DAY_BEFORE.plus(Duration.ofHours(1)).minusMillis(300));
        Schedules.write(folder, Schedules.oneEvent("plenary", 50)
                .replace("start: 2026-12-08T10:00", "start: 2026-12-08T11:00")
                .replace("end: 2026-12-08T12:00", "end: 2026-12-08T13:00"));
        reloader.reload();
        assertEquals("cancelled", reminderStatuses().get(0), "'begins in 24 hours' is no longer true");

        awaitQueued(2);
        assertEquals(List.of("cancelled", "pending"), reminderStatuses(), "owed again, 24 hours before the new time");
    }

    @Test
    void aReminderWithdrawnByACancellationCalledOffIsQueuedAgain() {
        reloader.inEachReload(new OutdatedReminders(new Notifications(new Outbox(database.jdbi(), clock), () -> { }),
                clock));
        clock.set(DAY_BEFORE.minusMillis(300));
        alarm.arm();
        awaitQueued(1);
        String schedule = Schedules.oneEvent("plenary", 50);
        Schedules.write(folder, schedule.replace("    reminders: [24h, 1h]\n",
                "    reminders: [24h, 1h]\n    cancelled: true\n"));
        reloader.reload();
        assertEquals(List.of("cancelled"), reminderStatuses());

        // Cancelled by mistake: the same start again, so the same reminder is owed, under the same notification.
        // Its instant has passed: the periodic sweep (run here by hand) queues what the alarm has rung already.
        Schedules.write(folder, schedule);
        reloader.reload();
        reminders.queueDue();
        assertEquals(List.of("pending"), reminderStatuses(), "the withdrawn reminder queued again");
        assertEquals(1, sentReminders());
        List<String> toTheReader = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT payload FROM outbox WHERE chat_id = 1 ORDER BY id").mapTo(String.class).list());
        assertTrue(toTheReader.size() >= 2 && toTheReader.get(toTheReader.size() - 1).contains("Reminder:"),
                "after the notices the reload queued, in the order they are sent: " + toTheReader);
    }

    @Test
    void aQueuedNudgeFollowsTheDeadlineAndStopsWithACancellation() {
        Notifications notifications = new Notifications(new Outbox(database.jdbi(), clock), () -> { });
        reloader.inEachReload(new OutdatedReminders(notifications, clock));
        Instant deadline = LocalDateTime.parse("2026-12-04T18:00").atZone(SEOUL).toInstant();
        // A nudge held back (quiet hours, Telegram away), as the nudge round queues it: it expires at the deadline.
        database.jdbi().useTransaction(handle -> notifications.queueOwedAgain(handle, NotificationKind.NUDGE,
                DueMessage.notificationReference(DueMessage.NUDGE, "plenary"), List.of(new Outbox.Addressed(1, 0,
                        new OutgoingMessage.Send(1, "Please let us know", Keyboard.NONE))), Optional.of(deadline)));
        String schedule = Schedules.oneEvent("plenary", 50);

        Schedules.write(folder, schedule.replace("rsvp_deadline: 2026-12-04T18:00", "rsvp_deadline: 2026-12-06T18:00"));
        reloader.reload();
        assertEquals(deadline.plus(Duration.ofDays(2)).toEpochMilli(), nudgeExpiry(), "replies are open two days longer");
        Schedules.write(folder, schedule.replace("rsvp_deadline: 2026-12-04T18:00", "rsvp_deadline: 2026-12-06T18:00")
                .replace("    reminders: [24h, 1h]\n", "    reminders: [24h, 1h]\n    cancelled: true\n"));
        long reloadedFrom = clock.millis();
        reloader.reload();
        long expiry = nudgeExpiry();
        assertTrue(expiry >= reloadedFrom && expiry <= clock.millis(), "at the reload: nobody is asked to answer a "
                + "cancelled event (" + expiry + ")");
    }

    private long nudgeExpiry() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT expires_at FROM notifications WHERE kind = 'nudge'").mapTo(Long.class).one());
    }

    private List<String> reminderStatuses() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT status FROM outbox WHERE chat_id = 1 AND payload LIKE '%Reminder:%' ORDER BY id")
                .mapTo(String.class).list());
    }

    private int sentReminders() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM automatic_sent WHERE kind LIKE 'reminder:%'").mapTo(Integer.class).one());
    }

    private void awaitQueued(int count) {
        await(() -> queuedReminders() >= count, "a reminder queued by the alarm");
    }

    private Optional<Instant> awaitArmedAfter(Instant instant) {
        await(() -> alarm.armedFor().filter(at -> at.isAfter(instant)).isPresent(), "the alarm re-armed");
        return alarm.armedFor();
    }

    private int queuedReminders() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE chat_id = 1 AND payload LIKE '%Reminder:%'").mapTo(Integer.class).one());
    }

    /** Polls the database: the alarm rings on the scheduler's thread. */
    private static void await(BooleanSupplier condition, String what) {
        Eventually.await(what, condition);
    }
}

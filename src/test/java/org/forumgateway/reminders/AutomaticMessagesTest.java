package org.forumgateway.reminders;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.bot.EventViews;
import org.forumgateway.cohorts.CohortGreetings;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.EventService;
import org.forumgateway.events.WeeklyDigest;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.invites.InviteService;
import org.forumgateway.invites.RedeemOutcome;
import org.forumgateway.rsvp.DeadlineNudges;
import org.forumgateway.rsvp.RsvpChoice;
import org.forumgateway.rsvp.RsvpOutcome;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.storage.Backups;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.Schedules;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.Role;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of the automatic messages (reminders, deadline nudges, cohort greetings, digests) with a controllable
 * clock, a real SQLite file and the real outbox: what each job queues is what the delivery engine would send.
 */
class AutomaticMessagesTest {
    /** The plenary of the test schedule starts 2026-12-08 10:00 in Seoul, 01:00 UTC; deadline 12-04 18:00. */
    private static final Instant START = Instant.parse("2026-12-08T01:00:00Z");
    private static final QuietHours NIGHT = new QuietHours(22 * 60, 8 * 60);

    @TempDir
    Path folder;
    private final MutableClock clock = new MutableClock(START.minus(Duration.ofDays(6))); // before the RSVP deadline
    private Database database;
    private UserService users;
    private RsvpService rsvps;
    private EventService events;
    private EventReminders reminders;
    private DeadlineNudges nudges;
    private CohortGreetings cohortGreetings;
    private WeeklyDigest digests;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        users = new UserService(database.jdbi(), Set.of(), clock);
        rsvps = new RsvpService(database.jdbi(), clock);
        useSchedule(Schedules.oneEvent("plenary", 50));
        reminders = newReminders();
        AutomationDao due = new AutomationDao(database.jdbi(), NIGHT);
        AutomaticQueue queue = queue();
        Readers readers = readers();
        EventViews views = views();
        nudges = new DeadlineNudges(due, queue, readers, views, rsvps, users, clock, Duration.ofHours(24));
        cohortGreetings = new CohortGreetings(due, queue, readers, new CohortService(database.jdbi()), clock);
        digests = new WeeklyDigest(due, queue, readers, views, events, rsvps, users, clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** Reminders as a freshly started bot would send them: nothing kept in memory from before. */
    private EventReminders newReminders() {
        return new EventReminders(new AutomationDao(database.jdbi(), NIGHT), queue(), readers(), views(), rsvps, clock);
    }

    private AutomaticQueue queue() {
        return new AutomaticQueue(database.jdbi(), new Notifications(new Outbox(database.jdbi(), clock), () -> { }));
    }

    private Readers readers() {
        return new Readers(MessageCatalog.load(Path.of("messages"), "en", List.of()), ZoneId.of("Asia/Seoul"));
    }

    private EventViews views() {
        return new EventViews(ZoneId.of("Asia/Seoul"), "en", clock);
    }

    private void useSchedule(String yaml) {
        events = new EventService(database.jdbi(), Schedules.write(folder, yaml), clock);
        events.reload();
    }

    private User user(long id) {
        return users.recordSeen(new TelegramProfile(id, "U" + id, Optional.empty(), Optional.empty(), Optional.of("en")));
    }

    private void answer(long id, RsvpChoice choice) {
        rsvps.answer("plenary", user(id), choice);
    }

    private List<String> queuedTo(long chat) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT payload FROM outbox WHERE chat_id = :chat ORDER BY id")
                .bind("chat", chat).mapTo(String.class).list());
    }

    private void at(Instant instant) {
        clock.set(instant);
    }

    @Nested
    class Reminders {
        @Test
        void anAdministratorFromAdminIdsIsRemindedOfADelegatesOnlyEventTheyAnswered() {
            useSchedule(Schedules.oneEvent("plenary", 50).replace("audience: public", "audience: delegates"));
            long admin = 9;
            UserService withAdmin = new UserService(database.jdbi(), Set.of(admin), clock);
            // Their role comes from ADMIN_IDS and is not stored: the row says guest.
            User administrator = withAdmin.recordSeen(new TelegramProfile(admin, "Admin", Optional.empty(),
                    Optional.empty(), Optional.of("en")));
            assertEquals(RsvpOutcome.Result.RECORDED, rsvps.answer("plenary", administrator, RsvpChoice.GOING).result());
            answer(2, RsvpChoice.GOING); // not admitted: a guest may not answer a delegates-only event
            at(START.minus(Duration.ofHours(24)));

            EventReminders withAdmins = new EventReminders(new AutomationDao(database.jdbi(), NIGHT, Set.of(admin)),
                    queue(), readers(), views(), rsvps, clock);
            assertEquals(1, withAdmins.queueDue());
            assertEquals(1, queuedTo(admin).size());
            assertEquals(0, queuedTo(2).size());
        }

        @Test
        void oneAtEachOffsetOnceAcrossSweepsAndRestarts() {
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.MAYBE);
            at(START.minus(Duration.ofHours(24)));
            assertEquals(2, reminders.queueDue());
            assertEquals(0, reminders.queueDue(), "a second sweep finds nothing new");
            assertEquals(0, newReminders().queueDue(), "nor does a restarted bot");
            events.reload();
            assertEquals(0, reminders.queueDue(), "nor a reload");
            assertTrue(queuedTo(1).get(0).contains("begins in 1 day"), queuedTo(1).toString());
            at(START.minus(Duration.ofMinutes(60)));
            assertEquals(2, reminders.queueDue());
            assertEquals(2, queuedTo(1).size());
        }

        @Test
        void notBeforeItsTime() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(24)).minusSeconds(1));
            assertEquals(0, reminders.queueDue());
        }

        @Test
        void whoDeclinedGetsNone() {
            answer(1, RsvpChoice.GOING);
            answer(1, RsvpChoice.DECLINED);
            answer(2, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(1)));
            assertEquals(1, reminders.queueDue());
            assertEquals(List.of(), queuedTo(1));
            assertEquals(1, queuedTo(2).size());
        }

        @Test
        void aCancelledEventRemindsNobody() {
            answer(2, RsvpChoice.GOING);
            useSchedule(Schedules.oneEvent("plenary", 50).replace("    reminders: [24h, 1h]\n",
                    "    reminders: [24h, 1h]\n    cancelled: true\n"));
            at(START.minus(Duration.ofHours(1)));
            assertEquals(0, reminders.queueDue());
        }

        @Test
        void anEventThatHasBegunRemindsNobodyEvenOfRemindersMissedWhileTheBotWasDown() {
            answer(2, RsvpChoice.GOING);
            at(START.plus(Duration.ofMinutes(1))); // the bot was down through both reminders
            assertEquals(0, reminders.queueDue());
            assertEquals(List.of(), queuedTo(2));
        }

        @Test
        void aMovedEventMovesItsReminders() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(24)));
            assertEquals(1, reminders.queueDue());
            // Moved a day later after the 24 h reminder went out: both reminders follow the new time.
            useSchedule(Schedules.oneEvent("plenary", 50).replace("2026-12-08T10:00", "2026-12-09T10:00")
                    .replace("2026-12-08T12:00", "2026-12-09T12:00"));
            at(START.minus(Duration.ofHours(1)));
            assertEquals(0, reminders.queueDue(), "not at the old time");
            at(START);
            assertEquals(1, reminders.queueDue(), "the day before the new date");
            assertTrue(queuedTo(1).get(1).contains("begins in 1 day"), queuedTo(1).toString());
            assertEquals(0, reminders.queueDue(), "once");
            at(START.plus(Duration.ofDays(1)).minus(Duration.ofHours(1)));
            assertEquals(1, reminders.queueDue());
            assertEquals(3, queuedTo(1).size());
        }

        @Test
        void aReminderStillQueuedWhenTheEventBeginsExpiresWithIt() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(1)));
            assertEquals(1, reminders.queueDue());
            assertEquals(List.of(START.toEpochMilli()), expiries(NotificationKind.REMINDER),
                    "'begins in 1 hour' is not sent once it has begun (DeliveryStoreTest: cancelled when claimed)");
        }

        @Test
        void aReminderReadBeforeAReloadMovedTheEventIsNeitherQueuedNorRecorded() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(1)));
            List<AutomaticQueue.Pending> read = readReminders();
            assertEquals(1, read.size());
            // A reload commits between the round's read and its queueing: the event is now a day later.
            useSchedule(Schedules.oneEvent("plenary", 50).replace("2026-12-08T10:00", "2026-12-09T10:00")
                    .replace("2026-12-08T12:00", "2026-12-09T12:00"));
            assertEquals(0, queue().queue(NotificationKind.REMINDER, read, clock.instant()),
                    "'begins in 1 hour' of the old time");
            assertEquals(List.of(), queuedTo(1));
            at(START.plus(Duration.ofDays(1)).minus(Duration.ofHours(1)));
            assertEquals(1, reminders.queueDue(), "the hour-before reminder of the new time is still owed");
            assertTrue(queuedTo(1).get(0).contains("begins in 1 hour"), queuedTo(1).toString());
        }

        @Test
        void aReminderReadBeforeAReloadCancelledTheEventIsNotQueued() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(1)));
            List<AutomaticQueue.Pending> read = readReminders();
            useSchedule(Schedules.oneEvent("plenary", 50).replace("audience: public", "audience: public\n    cancelled: true"));
            assertEquals(0, queue().queue(NotificationKind.REMINDER, read, clock.instant()));
            assertEquals(List.of(), queuedTo(1));
        }

        @Test
        void aReminderReadBeforeAReloadMovedTheVenueIsReadAgainWithTheNewOne() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(1)));
            List<AutomaticQueue.Pending> read = readReminders();
            useSchedule(Schedules.oneEvent("plenary", 50).replace("Lotte Hotel Seoul", "Shilla Hotel"));
            assertEquals(0, queue().queue(NotificationKind.REMINDER, read, clock.instant()),
                    "its card would name the old venue after the notice of the new one");
            assertEquals(1, reminders.queueDue(), "the next round");
            assertTrue(queuedTo(1).get(0).contains("Shilla Hotel"), queuedTo(1).toString());
        }

        /** The reminders due now, as a round reads them before it queues them. */
        private List<AutomaticQueue.Pending> readReminders() {
            return new AutomationDao(database.jdbi(), NIGHT).dueReminders(clock.instant()).stream()
                    .map(message -> new AutomaticQueue.Pending(message, new OutgoingMessage.Send(
                            message.reader().userId(), "The plenary begins in 1 hour.", Keyboard.NONE)))
                    .toList();
        }

        @Test
        void aLongerOffsetAddedAfterAShorterOneWentOutIsNotSent() {
            useSchedule(Schedules.oneEvent("plenary", 50).replace("reminders: [24h, 1h]", "reminders: [1h]"));
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(1)));
            assertEquals(1, reminders.queueDue());
            useSchedule(Schedules.oneEvent("plenary", 50));
            at(START.minus(Duration.ofMinutes(30)));
            assertEquals(0, reminders.queueDue(), "the day-before reminder after the hour-before one");
            assertEquals(1, queuedTo(1).size());
        }

        @Test
        void aReminderWhoseNewInstantHasPassedStaysSent() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(24)));
            assertEquals(1, reminders.queueDue());
            at(START.minus(Duration.ofHours(2)));
            // On the day, moved from 10:00 to 23:00: the new day-before instant passed 11 hours ago.
            useSchedule(Schedules.oneEvent("plenary", 50).replace("2026-12-08T10:00", "2026-12-08T23:00")
                    .replace("2026-12-08T12:00", "2026-12-08T23:30"));
            assertEquals(0, reminders.queueDue(), "not a second reminder next to the notice of the move");
            assertEquals(1, queuedTo(1).size());
        }

        @Test
        void aSmallMoveKeepsTheRemindersAlreadySent() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(24)));
            assertEquals(1, reminders.queueDue());
            useSchedule(Schedules.oneEvent("plenary", 50).replace("2026-12-08T10:00", "2026-12-08T10:30"));
            at(START.minus(Duration.ofHours(24)).plus(Duration.ofMinutes(30)));
            assertEquals(0, reminders.queueDue(), "the day-before reminder is still the day before");
            at(START.minus(Duration.ofMinutes(30)));
            assertEquals(1, reminders.queueDue(), "the hour-before one follows the new time");
            assertEquals(2, queuedTo(1).size());
        }

        @Test
        void afterDowntimeOnlyTheLatestGoesOutAndOnlyBeforeTheStart() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofMinutes(30))); // both were due while the bot was down
            assertEquals(1, reminders.queueDue());
            assertTrue(queuedTo(1).get(0).contains("begins in 30 minutes"), "the time left: " + queuedTo(1));
            answer(2, RsvpChoice.GOING);
            at(START.plusSeconds(1));
            assertEquals(0, reminders.queueDue(), "the event has started: skipped");
        }

        @Test
        void aRoundThatReadsOnlyPartOfSomeonesDueRemindersLeavesThemWhole() {
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.GOING);
            answer(3, RsvpChoice.GOING);
            at(START.minus(Duration.ofMinutes(30))); // both offsets due for each after downtime: six rows
            EventReminders smallRounds = new EventReminders(new AutomationDao(database.jdbi(), NIGHT, Set.of(), 3), queue(),
                    readers(), views(), rsvps, clock);
            int rounds = 0;
            while (smallRounds.queueDue() > 0) {
                assertTrue(++rounds < 10, "rounds end once everything due is queued");
            }
            for (long id = 1; id <= 3; id++) {
                assertEquals(1, queuedTo(id).size(), "one reminder, the latest, for " + id + ": " + queuedTo(id));
                assertTrue(queuedTo(id).get(0).contains("begins in 30 minutes"), queuedTo(id).toString());
            }
            int recorded = database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM automatic_sent WHERE kind LIKE 'reminder:%'").mapTo(Integer.class).one());
            assertEquals(6, recorded, "each one sent covers the older one of the same person: both recorded");
        }

        @Test
        void promotedFromTheWaitlistGetsOnlyTheRemainingOnes() {
            useSchedule(Schedules.oneEvent("plenary", 1).replace("    rsvp_deadline: 2026-12-04T18:00\n", ""));
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.GOING); // waitlisted
            at(START.minus(Duration.ofHours(12)));
            reminders.queueDue();
            answer(1, RsvpChoice.DECLINED); // 2 moves up, after the 24 h reminder was due
            at(START.minus(Duration.ofHours(1)));
            assertEquals(1, reminders.queueDue());
            assertEquals(1, queuedTo(2).size());
            assertTrue(queuedTo(2).get(0).contains("begins in 1 hour"));
        }

        @Test
        void quietHoursAcrossMidnightHoldThemBackUntilMorning() {
            useSchedule(Schedules.oneEvent("plenary", 50).replace("reminders: [24h, 1h]", "reminders: [10h]"));
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(10))); // 00:00 in Seoul: quiet
            assertEquals(0, reminders.queueDue());
            at(Instant.parse("2026-12-07T22:59:00Z")); // 07:59 in Seoul: still quiet
            assertEquals(0, reminders.queueDue());
            at(Instant.parse("2026-12-07T23:00:00Z")); // 08:00: quiet hours are over
            assertEquals(1, reminders.queueDue());
            assertTrue(queuedTo(1).get(0).contains("begins in 2 hours"), "not in 10 hours: " + queuedTo(1));
        }

        @Test
        void aReminderALittleLateStillNamesItsOffset() {
            answer(1, RsvpChoice.GOING);
            at(START.minus(Duration.ofMinutes(52))); // the 1 h reminder, eight minutes late
            assertEquals(1, reminders.queueDue());
            assertTrue(queuedTo(1).get(0).contains("begins in 1 hour"), queuedTo(1).toString());
        }

        /** User 1 lives in Berlin and is going to the plenary in Seoul, whose one reminder is {@code offset} before. */
        private void berlinReaderGoingToThePlenaryRemindedAt(String offset) {
            useSchedule(Schedules.oneEvent("plenary", 50).replace("reminders: [24h, 1h]", "reminders: [" + offset + "]"));
            answer(1, RsvpChoice.GOING);
            users.chooseTimeZone(1, ZoneId.of("Europe/Berlin"));
        }

        @Test
        void aReaderInAnotherZoneGetsTheirOwnTimeAndTheirOwnQuietHours() {
            berlinReaderGoingToThePlenaryRemindedAt("10h");
            // Due at 00:00 in Seoul, the venue's night, but 16:00 in Berlin: the reader's afternoon.
            at(START.minus(Duration.ofHours(10)));
            assertEquals(1, reminders.queueDue());
            String card = queuedTo(1).get(0);
            assertTrue(card.contains("10:00–12:00 (Seoul)"), card);
            assertTrue(card.contains("In your time zone: Tuesday, December 8, 02:00–04:00 (Berlin)"), card);
        }

        @Test
        void aReaderInAnotherZoneWaitsForTheEndOfTheirOwnQuietHours() {
            berlinReaderGoingToThePlenaryRemindedAt("20h");
            // Due at 14:00 in Seoul, daytime at the venue, but 06:00 in Berlin: the reader's quiet hours end at
            // 08:00 there, 16:00 in Seoul, long before the start.
            at(START.minus(Duration.ofHours(20)));
            assertEquals(0, reminders.queueDue());
            at(START.minus(Duration.ofHours(18))); // 08:00 in Berlin
            assertEquals(1, reminders.queueDue());
            assertTrue(!queuedTo(1).get(0).contains("\"silent\""), "with a sound: " + queuedTo(1));
        }

        @Test
        void quietHoursThatLastBeyondTheStartDoNotDropTheReminderItGoesWithoutASound() {
            answer(1, RsvpChoice.GOING);
            users.chooseTimeZone(1, ZoneId.of("Asia/Tashkent"));
            // The 1-hour reminder of the 10:00 plenary in Seoul falls at 05:00 in Tashkent; quiet hours end there at
            // 08:00, when the plenary has been running for two hours.
            at(START.minus(Duration.ofHours(1)));
            assertEquals(1, reminders.queueDue());
            String reminder = queuedTo(1).get(0);
            assertTrue(reminder.contains("begins in 1 hour") && reminder.contains("\"silent\":true"), reminder);
        }

        @Test
        void aReaderWhoNeverChoseALanguageGetsTelegramsLikeAChatReply() {
            users.recordSeen(new TelegramProfile(7, "Айгуль", Optional.empty(), Optional.empty(), Optional.of("ru-RU")));
            rsvps.answer("plenary", users.find(7).orElseThrow(), RsvpChoice.GOING);
            at(START.minus(Duration.ofHours(24)));
            reminders.queueDue();
            assertTrue(queuedTo(7).get(0).contains("Напоминание"), queuedTo(7).toString());
        }

        @Test
        void quietHoursOffMeansAnyHour() {
            useSchedule(Schedules.oneEvent("plenary", 50).replace("reminders: [24h, 1h]", "reminders: [10h]"));
            answer(1, RsvpChoice.GOING);
            users.setQuietHours(1, Optional.empty());
            at(START.minus(Duration.ofHours(10)));
            assertEquals(1, reminders.queueDue());
        }
    }

    @Test
    void delegatesWhoHaveNotAnsweredGetOneNudgeBeforeTheDeadline() {
        User delegate = user(1);
        user(2);
        user(3);
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE users SET role = 'delegate' WHERE telegram_id IN (1, 3)"));
        rsvps.answer("plenary", users.find(3).orElseThrow(), RsvpChoice.MAYBE);
        at(Instant.parse("2026-12-03T09:00:00Z")); // 18:00 Seoul, a day before the deadline
        assertEquals(1, nudges.queueDue());
        assertEquals(0, nudges.queueDue());
        String nudge = queuedTo(delegate.telegramId()).get(0);
        assertTrue(nudge.contains("Please let us know whether you will attend."), nudge);
        assertEquals(1, nudge.split("Please reply by Friday, December 4, 18:00 \\(Seoul\\)", -1).length - 1,
                "the deadline once, at the end of the card: " + nudge);
        assertEquals(List.of(), queuedTo(2), "guests are not nudged");
        assertEquals(List.of(), queuedTo(3), "those who answered are not nudged");
        assertEquals(List.of(Instant.parse("2026-12-04T09:00:00Z").toEpochMilli()), expiries(NotificationKind.NUDGE),
                "a nudge not sent by the deadline (18:00 in Seoul) is not sent at all");
    }

    private List<Long> expiries(NotificationKind kind) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT expires_at FROM notifications WHERE kind = :kind ORDER BY id")
                .bind("kind", kind.code()).mapTo(Long.class).list());
    }

    @Test
    void cohortsAreWelcomedOnTheFirstDayThankedAfterTheLastAndArchived() {
        useSchedule(Schedules.oneEvent("plenary", 50).replace("start: 2026-09-01", "start: 2026-12-05"));
        user(1);
        user(2);
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE users SET role = 'supporter', cohort_number = 10 WHERE telegram_id = 1"));
        at(Instant.parse("2026-12-04T03:00:00Z")); // 12:00 on the 4th in Seoul: not started
        assertEquals(0, cohortGreetings.queueDue());
        at(Instant.parse("2026-12-05T03:00:00Z"));
        assertEquals(1, cohortGreetings.queueDue());
        assertEquals(0, cohortGreetings.queueDue());
        assertTrue(queuedTo(1).get(0).contains("Welcome to"));
        at(Instant.parse("2027-01-01T03:00:00Z"));
        assertEquals(1, cohortGreetings.queueDue());
        assertTrue(queuedTo(1).get(1).contains("has concluded its activities"));
        AudienceResolver audiences = new AudienceResolver(database.jdbi(),
                MessageCatalog.load(Path.of("messages"), "en", List.of()), Set.of(), NIGHT, ZoneId.of("Asia/Seoul"));
        assertEquals(0, audiences.resolve(AudienceTerms.parse("supporters").terms().orElseThrow()).size(),
                "archived cohorts drop out of audiences");
        assertEquals(1, audiences.resolve(AudienceTerms.parse("cohort:10").terms().orElseThrow()).size(),
                "unless named");

        // Extended into the new year: running again, so a member added now is welcomed, the member thanked is told
        // it goes on, and nobody is thanked twice.
        useSchedule(Schedules.oneEvent("plenary", 50).replace("start: 2026-09-01", "start: 2026-12-05")
                .replace("end: 2026-12-31", "end: 2027-01-31"));
        user(2);
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE users SET role = 'supporter', cohort_number = 10 WHERE telegram_id = 2"));
        assertEquals(2, cohortGreetings.queueDue());
        assertTrue(queuedTo(2).get(0).contains("Welcome to"), queuedTo(2).toString());
        assertEquals(1, queuedTo(2).size(), "the new member was never thanked: their welcome says until when");
        assertTrue(queuedTo(1).get(2).contains("goes on") && queuedTo(1).get(2).contains("New end date: Jan 31, 2027"),
                queuedTo(1).get(2));
        assertEquals(0, cohortGreetings.queueDue());
        assertEquals(2, audiences.resolve(AudienceTerms.parse("supporters").terms().orElseThrow()).size());
        // Extended once more: told again, with the new end.
        useSchedule(Schedules.oneEvent("plenary", 50).replace("start: 2026-09-01", "start: 2026-12-05")
                .replace("end: 2026-12-31", "end: 2027-02-28"));
        assertEquals(1, cohortGreetings.queueDue());
        assertTrue(queuedTo(1).get(3).contains("Feb 28, 2027"), queuedTo(1).get(3));
        at(Instant.parse("2027-03-01T03:00:00Z"));
        assertEquals(1, cohortGreetings.queueDue(), "the farewell to the new member only");
        assertEquals(4, queuedTo(1).size());
    }

    @Test
    void someoneInvitedIntoARunningCohortIsWelcomedByTheInviteAlone() {
        InviteService invites = new InviteService(database.jdbi(), clock, ZoneId.of("Asia/Seoul"), Duration.ofDays(14), 5);
        at(Instant.parse("2026-12-05T03:00:00Z")); // the cohort runs from 1 September to 31 December
        RedeemOutcome outcome = invites.redeem(invites.createCohortInvite(10, 9001).code(), user(1));
        assertTrue(outcome.joinedRunning().isPresent());
        user(2);
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE users SET role = 'supporter', cohort_number = 10 WHERE telegram_id = 2"));
        assertEquals(1, cohortGreetings.queueDue(), "only the member added by other means");
        assertEquals(List.of(), queuedTo(1));
    }

    @Test
    void digestOnMondayMorningOncePerWeekForThoseWhoAsked() {
        user(1);
        user(2);
        users.setDigest(1, true);
        answer(1, RsvpChoice.GOING);
        at(Instant.parse("2026-12-06T23:59:00Z")); // Monday 08:59 in Seoul
        assertEquals(0, digests.queueDue());
        at(Instant.parse("2026-12-07T00:00:00Z")); // Monday 09:00
        assertEquals(1, digests.queueDue());
        assertEquals(0, digests.queueDue());
        assertTrue(queuedTo(1).get(0).contains("Your week ahead") && queuedTo(1).get(0).contains("Plenary"));
        assertTrue(queuedTo(1).get(0).contains("Times in your time zone: Seoul (UTC+9)"), queuedTo(1).get(0));
        assertEquals(List.of(), queuedTo(2));
        at(Instant.parse("2026-12-14T00:00:00Z"));
        assertEquals(1, digests.queueDue(), "next week again");
    }

    @Test
    void aDigestMissedOnMondayGoesTheNextTimeTheBotRunsThatWeek() {
        user(1);
        users.setDigest(1, true);
        users.setQuietHours(1, Optional.empty()); // no quiet hours: only the digest's own hour holds it back
        at(Instant.parse("2026-12-07T15:30:00Z")); // Tuesday 00:30 in Seoul: the bot was down all Monday
        assertEquals(0, digests.queueDue(), "not in the night");
        at(Instant.parse("2026-12-08T03:00:00Z")); // Tuesday 12:00
        assertEquals(1, digests.queueDue());
        assertEquals(0, digests.queueDue(), "once that week");
        at(Instant.parse("2026-12-14T00:00:00Z")); // the next Monday 09:00
        assertEquals(1, digests.queueDue());
    }

    @Test
    void someoneWhoTurnsTheDigestOnLateInTheWeekWaitsForMonday() {
        user(1);
        users.setDigest(1, true);
        at(Instant.parse("2026-12-10T03:00:00Z")); // Thursday 12:00 in Seoul
        assertEquals(0, digests.queueDue());
        at(Instant.parse("2026-12-14T00:00:00Z")); // Monday 09:00
        assertEquals(1, digests.queueDue());
    }

    @Test
    void aBusyWeeksDigestListsTheFirstFifteenAndCountsTheRestWithinTelegramsLength() {
        StringBuilder yaml = new StringBuilder("events:\n");
        for (int i = 0; i < 60; i++) { // more than one read of events: the count takes them all
            yaml.append("""
                      - key: session-%d
                        kind: forum
                        title: {en: "%s"}
                        timezone: Asia/Seoul
                        start: 2026-12-%02dT%02d:00
                        end: 2026-12-%02dT%02d:30
                        audience: public
                    """.formatted(i, ("Session " + i + " ").repeat(18).strip(), 8 + i / 10, 8 + i % 10, 8 + i / 10,
                    8 + i % 10));
        }
        useSchedule(yaml.toString());
        user(1);
        users.setDigest(1, true);
        at(Instant.parse("2026-12-07T00:00:00Z")); // Monday 09:00 in Seoul
        assertEquals(1, digests.queueDue());
        String digest = queuedTo(1).get(0);
        assertEquals(15, digest.split("• ", -1).length - 1, digest);
        assertTrue(digest.contains("…and 46 more"), "the 60 sessions and the plenary stored before: " + digest);
        assertTrue(digest.length() < 4096, "the payload, a bound of the text: " + digest.length());
    }

    @Test
    void backupsAreConsistentCopiesAndOnlyTheNewestAreKept() throws Exception {
        user(1);
        Backups backups = new Backups(database, folder.resolve("backups"), 2, clock, ZoneId.of("Asia/Seoul"));
        backups.backUp();
        clock.advance(Duration.ofDays(1));
        backups.backUp();
        clock.advance(Duration.ofDays(1));
        Path newest = backups.backUp();
        assertEquals(2, backups.copies().size());
        assertEquals(newest, backups.copies().get(1));
        try (Database copy = Database.open(newest)) {
            assertEquals(1, new UserService(copy.jdbi(), Set.of(), clock).census().reachable());
        }
        assertTrue(Files.size(newest) > 0);
        assertEquals(Role.GUEST, users.find(1).orElseThrow().role());
    }
}

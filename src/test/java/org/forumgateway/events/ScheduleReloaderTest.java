package org.forumgateway.events;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.bot.EventViews;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.invites.InviteService;
import org.forumgateway.rsvp.Admission;
import org.forumgateway.rsvp.PromotionNotices;
import org.forumgateway.rsvp.RsvpChoice;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.rsvp.RsvpOutcome;
import org.forumgateway.rsvp.RsvpStatus;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.Schedules;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.Role;
import org.forumgateway.webhooks.WebhookEvents;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reload, the seats it frees and every notice it causes commit together, or not at all. */
class ScheduleReloaderTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private final AtomicInteger wakes = new AtomicInteger();
    private Database database;
    private UserService users;
    private RsvpService rsvps;
    private ScheduleReloader reloader;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", List.of());
        users = new UserService(database.jdbi(), Set.of(), clock);
        Path file = Schedules.write(folder, Schedules.oneEvent("plenary", 1));
        EventService events = new EventService(database.jdbi(), file, clock);
        Notifications notifications = new Notifications(new Outbox(database.jdbi(), clock), wakes::incrementAndGet);
        AudienceResolver audiences = new AudienceResolver(database.jdbi(), catalog, Set.of(),
                new QuietHours(22 * 60, 22 * 60 + 1), SEOUL);
        rsvps = new RsvpService(database.jdbi(), clock, new PromotionNotices(users, events, catalog, notifications,
                clock, audiences::quietUntil), WebhookEvents.none(),
                Admission.byAudience(users));
        reloader = new ScheduleReloader(database.jdbi(), events, rsvps, audiences, notifications, catalog,
                new EventViews(SEOUL, "en", clock));
        reloader.reload();
        rsvps.answer("plenary", user(1), RsvpChoice.GOING);
        rsvps.answer("plenary", user(2), RsvpChoice.GOING);
        wakes.set(0);
        // Two seats, and the plenary an hour later: user 2 moves up, both hear of the new time.
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replace("start: 2026-12-08T10:00",
                "start: 2026-12-08T11:00"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void failureAfterEventsAreWrittenLeavesScheduleSeatsAndOutboxAsTheyWere() {
        // A real failure inside the transaction: the database refuses the first notice, after the new schedule and
        // the promotion are written.
        database.jdbi().useHandle(handle -> handle.execute("""
                CREATE TRIGGER refuse_notices BEFORE INSERT ON notifications
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END"""));

        assertThrows(JdbiException.class, reloader::reload);

        assertEquals(Map.of("start", "2026-12-08T10:00", "capacity", 1), plenary());
        assertEquals(RsvpStatus.WAITLISTED, rsvps.find("plenary", 2).orElseThrow().status());
        assertEquals(0, count("outbox"));
        assertEquals(0, count("notifications"));
        assertEquals(0, wakes.get(), "nothing to send, nothing woken");
    }

    @Test
    void successfulReloadCommitsScheduleSeatsAndEveryNoticeTogetherOnce() {
        ReloadReport report = reloader.reload();

        assertEquals(1, report.changes().size());
        assertEquals(Map.of("start", "2026-12-08T11:00", "capacity", 2), plenary());
        assertEquals(RsvpStatus.GOING, rsvps.find("plenary", 2).orElseThrow().status());
        assertEquals(List.of("event_change:1", "event_change:2", "promotion:2"), queued());
        assertEquals(true, wakes.get() > 0, "the engine is woken once the reload commits");

        reloader.reload();
        assertEquals(3, count("outbox"), "loading the same file again tells nobody twice");
    }

    @Test
    void someoneInTheirQuietHoursHearsOfTheChangeAtOnceButWithoutASound() {
        // 09:00 in Seoul: user 2 keeps quiet until 10:00, user 1 has the default hours (22:00-22:01).
        users.setQuietHours(2, Optional.of(new QuietHours(20 * 60, 10 * 60)));
        reloader.reload();

        assertTrue(noticesTo(2).get(0).contains("\"silent\":true"), noticesTo(2).toString());
        assertTrue(promotionsTo(2).get(0).contains("\"silent\":true"), promotionsTo(2).toString());
        assertFalse(noticesTo(1).get(0).contains("silent"), noticesTo(1).toString());
    }

    @Test
    void aSupporterOfAnArchivedCohortWhoAnsweredHearsOfTheCancellation() {
        database.jdbi().useHandle(handle -> {
            handle.execute("""
                    INSERT INTO cohorts (number, name, starts_on, ends_on, updated_at, archived)
                    VALUES (9, '{"en":"Ninth"}', '2025-03-01', '2025-08-31', 0, 1)""");
            handle.execute("UPDATE users SET role = 'supporter', cohort_number = 9 WHERE telegram_id = 1");
        });
        Schedules.write(folder, Schedules.oneEvent("plenary", 1)
                .replace("    reminders: [24h, 1h]\n", "    reminders: [24h, 1h]\n    cancelled: true\n"));
        reloader.reload();

        assertEquals(1, noticesTo(1).size(), "they said they would come");
        assertTrue(noticesTo(1).get(0).contains("cancelled"), noticesTo(1).toString());
    }

    @Test
    void seatsAddedWhileAnEventWasCancelledGoToTheWaitlistWhenItIsBack() {
        String cancelled = "    reminders: [24h, 1h]\n    cancelled: true\n";
        Schedules.write(folder, Schedules.oneEvent("plenary", 1).replace("    reminders: [24h, 1h]\n", cancelled));
        reloader.reload();
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replace("    reminders: [24h, 1h]\n", cancelled));
        reloader.reload();
        assertEquals(RsvpStatus.WAITLISTED, rsvps.find("plenary", 2).orElseThrow().status(), "nobody moves up then");

        Schedules.write(folder, Schedules.oneEvent("plenary", 2));
        reloader.reload();
        assertEquals(RsvpStatus.GOING, rsvps.find("plenary", 2).orElseThrow().status());
        assertEquals(1, promotionsTo(2).size());
        List<String> toTheWaitlisted = database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT n.kind FROM outbox o JOIN notifications n ON n.id = o.notification_id
                        WHERE o.recipient = 2 ORDER BY o.id""").mapTo(String.class).list());
        assertEquals(List.of("event_change", "event_change", "promotion"), toTheWaitlisted,
                "cancelled, back on, then the seat: in the order things happened");
    }

    @Test
    void aSeatFreedAfterTheEventWasNarrowedGoesToTheFirstInLineItIsStillFor() {
        rsvps.answer("plenary", user(3), RsvpChoice.GOING); // waitlisted after user 2
        users.setRole(3, Role.DELEGATE);
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replaceFirst("audience: public", "audience: delegates"));
        reloader.reload();

        assertEquals(RsvpStatus.WAITLISTED, rsvps.find("plenary", 2).orElseThrow().status(),
                "the plenary is no longer for user 2, a guest: no seat they would never hear of");
        assertEquals(RsvpStatus.GOING, rsvps.find("plenary", 3).orElseThrow().status());
        assertEquals(List.of(), promotionsTo(2));
        assertEquals(1, promotionsTo(3).size());
    }

    @Test
    void aPlaceInLineCountsOnlyThoseAheadWhomTheEventIsStillFor() {
        rsvps.answer("plenary", user(3), RsvpChoice.GOING); // waitlisted after user 2
        users.setRole(3, Role.DELEGATE);
        assertEquals(Optional.of(2), rsvps.find("plenary", 3).orElseThrow().waitlistPosition());
        Schedules.write(folder, Schedules.oneEvent("plenary", 1).replaceFirst("audience: public", "audience: delegates"));
        reloader.reload();

        assertEquals(Optional.of(1), rsvps.find("plenary", 3).orElseThrow().waitlistPosition(),
                "user 2, a guest, would be passed by for the next seat");
        assertEquals(Optional.of(1), rsvps.upcomingFor(users.find(3).orElseThrow()).get(0).rsvp().waitlistPosition(),
                "/myevents says the same");
        assertEquals(Optional.of(1), rsvps.find("plenary", 2).orElseThrow().waitlistPosition(),
                "the guest's own place is theirs should the plenary be for them again");
    }

    @Test
    void aSeatLeftFreeWhileOnlyPeopleTheEventWasNotForWaitedGoesToThemOnceItIsForThemAgain() {
        String narrowed = Schedules.oneEvent("plenary", 2).replaceFirst("audience: public", "audience: delegates");
        Schedules.write(folder, narrowed);
        reloader.reload();
        assertEquals(RsvpStatus.WAITLISTED, rsvps.find("plenary", 2).orElseThrow().status(), "a guest: not for them");

        Schedules.write(folder, Schedules.oneEvent("plenary", 2));
        reloader.reload();
        assertEquals(RsvpStatus.GOING, rsvps.find("plenary", 2).orElseThrow().status(), "public again");
    }

    @Test
    void someoneWhoBecameEligibleWhileASeatWasFreeGetsItBeforeANewcomer() {
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replaceFirst("audience: public", "audience: delegates"));
        reloader.reload();
        users.setRole(2, Role.DELEGATE); // the guest on the waitlist becomes a delegate
        User newcomer = user(4);
        users.setRole(4, Role.DELEGATE);

        rsvps.answer("plenary", users.find(4).orElseThrow(), RsvpChoice.GOING);
        assertEquals(RsvpStatus.GOING, rsvps.find("plenary", 2).orElseThrow().status(), "first come, first served");
        assertEquals(RsvpStatus.WAITLISTED, rsvps.find("plenary", 4).orElseThrow().status(), newcomer.toString());
    }

    @Test
    void someoneWhoBecameEligibleWhileASeatWasFreeGetsItByAskingAgain() {
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replaceFirst("audience: public", "audience: delegates"));
        reloader.reload();
        users.setRole(2, Role.DELEGATE); // the guest on the waitlist becomes a delegate, and presses Attending again

        RsvpOutcome outcome = rsvps.answer("plenary", users.find(2).orElseThrow(), RsvpChoice.GOING);
        assertEquals(RsvpOutcome.Result.RECORDED, outcome.result());
        assertEquals(RsvpStatus.GOING, outcome.rsvp().orElseThrow().status(), "the free seat, not 'number 1 in line'");
        assertEquals(1, promotionsTo(2).size());
    }

    @Test
    void someoneWhoBecomesEligibleWhileASeatIsFreeIsGivenItWithTheirNewRole() {
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replaceFirst("audience: public", "audience: delegates"));
        reloader.reload();
        assertEquals(RsvpStatus.WAITLISTED, rsvps.find("plenary", 2).orElseThrow().status(), "a guest: not for them");

        users.setRole(2, Role.STAFF, rsvps::fillSeatsWaitedBy); // staff see every event

        assertEquals(RsvpStatus.GOING, rsvps.find("plenary", 2).orElseThrow().status(), "without pressing again");
        assertEquals(1, promotionsTo(2).size(), "and told");
    }

    @Test
    void someoneWhoBecomesEligibleThroughAnInviteIsGivenTheFreeSeatWithIt() {
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replaceFirst("audience: public", "audience: delegates"));
        reloader.reload();
        InviteService invites = new InviteService(database.jdbi(), clock, SEOUL, Duration.ofDays(7), 10,
                rsvps::fillSeatsWaitedBy);

        invites.redeem(invites.createDelegateInvite("KZ", 9001).code(), users.find(2).orElseThrow());

        assertEquals(RsvpStatus.GOING, rsvps.find("plenary", 2).orElseThrow().status());
        assertEquals(1, promotionsTo(2).size());
    }

    @Test
    void anEventTakenOutOfTheFileIsReportedAsLeftAsItWas() {
        Schedules.write(folder, Schedules.oneEvent("plenary", 1).replaceAll("(?s)  - key: delegates-lunch.*", ""));
        ReloadReport report = reloader.reload();
        assertEquals(List.of("delegates-lunch"), report.missing());
        Schedules.write(folder, Schedules.oneEvent("plenary", 1)
                .replace("    reminders: [24h, 1h]\n", "    reminders: [24h, 1h]\n    cancelled: true\n")
                .replaceAll("(?s)  - key: delegates-lunch.*", ""));
        reloader.reload();
        Schedules.write(folder, "events: []\n");
        assertEquals(List.of("delegates-lunch"), reloader.reload().missing(), "not the cancelled plenary");
        assertEquals(2, count("events"), "left as it was: taking an event out does not cancel it");
    }

    private List<String> promotionsTo(long user) {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT o.payload FROM outbox o JOIN notifications n ON n.id = o.notification_id
                        WHERE n.kind = 'promotion' AND o.recipient = :user ORDER BY o.id""")
                .bind("user", user).mapTo(String.class).list());
    }

    @Test
    void anEventMovedBackAndForthIsToldEachTime() {
        reloader.reload(); // 10:00 -> 11:00
        clock.advance(Duration.ofMinutes(5));
        Schedules.write(folder, Schedules.oneEvent("plenary", 2));
        reloader.reload(); // back to 10:00
        clock.advance(Duration.ofMinutes(5));
        Schedules.write(folder, Schedules.oneEvent("plenary", 2).replace("start: 2026-12-08T10:00",
                "start: 2026-12-08T11:00"));
        reloader.reload(); // 11:00 again: people last heard 10:00

        List<String> told = noticesTo(1);
        assertEquals(3, told.size(), told.toString());
        assertTrue(told.get(2).contains("11:00"), told.get(2));
    }

    @Test
    void aCancellationCalledOffIsToldWithTheTime() {
        Schedules.write(folder, Schedules.oneEvent("plenary", 1)
                .replace("    reminders: [24h, 1h]\n", "    reminders: [24h, 1h]\n    cancelled: true\n"));
        reloader.reload();
        clock.advance(Duration.ofMinutes(5));
        Schedules.write(folder, Schedules.oneEvent("plenary", 1));
        reloader.reload();

        List<String> told = noticesTo(1);
        assertEquals(2, told.size(), told.toString());
        assertTrue(told.get(0).contains("has been cancelled"), told.get(0));
        assertTrue(told.get(1).contains("will take place after all") && told.get(1).contains("10:00"), told.get(1));
    }

    @Test
    void aNewTimeAndANewVenueAreToldTogether() {
        Schedules.write(folder, Schedules.oneEvent("plenary", 1).replace("start: 2026-12-08T10:00",
                "start: 2026-12-08T11:00").replace("Lotte Hotel Seoul", "Shilla Hotel"));
        reloader.reload();

        List<String> told = noticesTo(1);
        assertEquals(1, told.size(), told.toString());
        assertTrue(told.get(0).contains("has been rescheduled") && told.get(0).contains("Shilla Hotel"), told.get(0));
    }

    @Test
    void aVenueNamedInOneMoreLanguageMovesNobody() {
        users.chooseLocale(2, "kk");
        Schedules.write(folder, Schedules.oneEvent("plenary", 1).replace("name: \"Lotte Hotel Seoul\"",
                "name: {en: \"Lotte Hotel Seoul\", kk: \"Лотте Сеул қонақүйі\"}"));
        reloader.reload();

        assertEquals(List.of(), noticesTo(1), "the same venue");
        assertEquals(List.of(), noticesTo(2), "named in Kazakh now: the same venue too");
    }

    @Test
    void nobodyIsToldOfChangesToAnEventThatIsOver() {
        clock.set(Instant.parse("2026-12-08T04:00:00Z")); // 13:00 in Seoul: the plenary ended at 12:00
        Schedules.write(folder, Schedules.oneEvent("plenary", 1).replace("Lotte Hotel Seoul", "Shilla Hotel"));
        reloader.reload();

        assertEquals(List.of(), noticesTo(1));
    }

    @Test
    void aVenueTakenOutOfTheFileIsNotToldAsAnEmptyNewVenue() {
        String withoutVenue = Schedules.oneEvent("plenary", 1).replace(
                "venue: {name: \"Lotte Hotel Seoul\", address: \"30 Eulji-ro, Jung-gu, Seoul\"}", "");
        assertTrue(!withoutVenue.contains("Lotte"), withoutVenue);
        Schedules.write(folder, withoutVenue);
        reloader.reload();

        assertEquals(List.of(), noticesTo(1), "no \"new venue: .\"");
    }

    /** The texts of the event-change notices queued to {@code user}, oldest first. */
    private List<String> noticesTo(long user) {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT o.payload FROM outbox o JOIN notifications n ON n.id = o.notification_id
                        WHERE n.kind = 'event_change' AND o.recipient = :user ORDER BY o.id""")
                .bind("user", user).mapTo(String.class).list());
    }

    private User user(long id) {
        return users.recordSeen(new TelegramProfile(id, "User " + id, Optional.empty(), Optional.empty(),
                Optional.of("en")));
    }

    private Map<String, Object> plenary() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT local_start, capacity FROM events WHERE key = 'plenary'")
                .map((rs, ctx) -> Map.<String, Object>of("start", rs.getString("local_start"),
                        "capacity", rs.getInt("capacity")))
                .one());
    }

    private int count(String table) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + table)
                .mapTo(Integer.class).one());
    }

    private List<String> queued() {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT n.kind || ':' || o.recipient FROM outbox o JOIN notifications n ON n.id = o.notification_id
                        ORDER BY n.kind, o.recipient""")
                .mapTo(String.class).list());
    }
}

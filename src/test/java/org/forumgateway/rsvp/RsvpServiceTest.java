package org.forumgateway.rsvp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.EventService;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.Schedules;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.forumgateway.webhooks.AdminChat;
import org.forumgateway.webhooks.WebhookEndpoint;
import org.forumgateway.webhooks.WebhookEventType;
import org.forumgateway.webhooks.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RsvpServiceTest {
    private static final String EVENT = "plenary";

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private Database database;
    private UserService users;
    private RsvpService rsvps;
    private EventService events;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        users = new UserService(database.jdbi(), Set.of(), clock);
        rsvps = new RsvpService(database.jdbi(), clock);
        useSchedule(Schedules.oneEvent(EVENT, 2));
    }

    private void useSchedule(String yaml) {
        events = new EventService(database.jdbi(), Schedules.write(folder, yaml), clock);
        events.reload();
    }

    private User user(long id) {
        return users.recordSeen(new TelegramProfile(id, "User " + id, Optional.empty(), Optional.empty(),
                Optional.of("en")));
    }

    private RsvpOutcome answer(long id, RsvpChoice choice) {
        return rsvps.answer(EVENT, user(id), choice);
    }

    private RsvpStatus status(long id) {
        return rsvps.find(EVENT, id).orElseThrow().status();
    }

    @Nested
    class Capacity {
        @Test
        void goingWhileSeatsRemainThenWaitlistedWithPosition() {
            assertEquals(RsvpStatus.GOING, answer(1, RsvpChoice.GOING).rsvp().orElseThrow().status());
            assertEquals(RsvpStatus.GOING, answer(2, RsvpChoice.GOING).rsvp().orElseThrow().status());
            Rsvp third = answer(3, RsvpChoice.GOING).rsvp().orElseThrow();
            Rsvp fourth = answer(4, RsvpChoice.GOING).rsvp().orElseThrow();
            assertEquals(RsvpStatus.WAITLISTED, third.status());
            assertEquals(Optional.of(1), third.waitlistPosition());
            assertEquals(Optional.of(2), fourth.waitlistPosition());
            assertEquals(new RsvpCounts(2, 0, 0, 2), rsvps.counts(EVENT));
        }

        @Test
        void eachArrivalIsNumberedAfterEveryEarlierAnswerWhateverItsStatus() {
            answer(1, RsvpChoice.DECLINED);
            answer(2, RsvpChoice.MAYBE);
            answer(3, RsvpChoice.GOING);
            answer(4, RsvpChoice.GOING);
            answer(5, RsvpChoice.GOING);
            answer(6, RsvpChoice.DECLINED);
            List<Long> byArrival = database.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT user_id FROM rsvps WHERE event_key = :event ORDER BY seq")
                    .bind("event", EVENT).mapTo(Long.class).list());
            int numbers = database.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT count(DISTINCT seq) FROM rsvps WHERE event_key = :event")
                    .bind("event", EVENT).mapTo(Integer.class).one());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), byArrival);
            assertEquals(6, numbers, "no number handed out twice");
            assertEquals(new RsvpCounts(2, 1, 2, 1), rsvps.counts(EVENT));
        }

        @Test
        void aDeclineGivesTheSeatToTheFirstWaitlisted() {
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.GOING);
            answer(3, RsvpChoice.GOING);
            answer(4, RsvpChoice.GOING);
            RsvpOutcome decline = answer(1, RsvpChoice.DECLINED);
            assertEquals(List.of(new Promotion(EVENT, 3)), decline.promotions());
            assertEquals(RsvpStatus.GOING, status(3));
            assertEquals(Optional.of(1), rsvps.find(EVENT, 4).orElseThrow().waitlistPosition());
        }

        @Test
        void maybeFromGoingAlsoFreesTheSeat() {
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.GOING);
            answer(3, RsvpChoice.GOING);
            assertEquals(List.of(new Promotion(EVENT, 3)), answer(2, RsvpChoice.MAYBE).promotions());
        }

        @Test
        void leavingTheWaitlistFreesNoSeat() {
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.GOING);
            answer(3, RsvpChoice.GOING);
            answer(4, RsvpChoice.GOING);
            assertEquals(List.of(), answer(3, RsvpChoice.DECLINED).promotions());
            assertEquals(Optional.of(1), rsvps.find(EVENT, 4).orElseThrow().waitlistPosition());
        }

        @Test
        void rejoiningTheWaitlistGoesToItsEnd() {
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.GOING);
            answer(3, RsvpChoice.GOING);
            answer(4, RsvpChoice.GOING);
            answer(3, RsvpChoice.MAYBE);
            assertEquals(Optional.of(2), answer(3, RsvpChoice.GOING).rsvp().orElseThrow().waitlistPosition());
        }

        @Test
        void moreCapacityOnReloadPromotesInOrderOfArrival() {
            IntStream.rangeClosed(1, 5).forEach(id -> answer(id, RsvpChoice.GOING));
            useSchedule(Schedules.oneEvent(EVENT, 4));
            assertEquals(List.of(new Promotion(EVENT, 3), new Promotion(EVENT, 4)), rsvps.fillFreeSeats(EVENT));
            assertEquals(RsvpStatus.WAITLISTED, status(5));
        }

        @Test
        void seatsAddedAfterTheDeadlineGoToTheWaitlist() {
            IntStream.rangeClosed(1, 5).forEach(id -> answer(id, RsvpChoice.GOING));
            clock.set(Instant.parse("2026-12-04T09:00:00Z")); // the deadline, 18:00 in Seoul
            useSchedule(Schedules.oneEvent(EVENT, 3));
            assertEquals(List.of(new Promotion(EVENT, 3)), rsvps.fillFreeSeats(EVENT));
            assertEquals(RsvpStatus.WAITLISTED, status(4));
        }

        @Test
        void doubleTapChangesNothing() {
            answer(1, RsvpChoice.GOING);
            RsvpOutcome again = answer(1, RsvpChoice.GOING);
            assertEquals(RsvpOutcome.Result.UNCHANGED, again.result());
            assertEquals(new RsvpCounts(1, 0, 0, 0), rsvps.counts(EVENT));
        }
    }

    @Nested
    class Closed {
        @Test
        void afterTheDeadline() {
            clock.set(Instant.parse("2026-12-04T09:00:00Z")); // 18:00 in Seoul
            assertEquals(RsvpOutcome.Result.DEADLINE_PASSED, answer(1, RsvpChoice.GOING).result());
            assertTrue(rsvps.find(EVENT, 1).isEmpty());
        }

        @Test
        void oneMinuteBeforeTheDeadlineStillOpen() {
            clock.set(Instant.parse("2026-12-04T08:59:00Z"));
            assertEquals(RsvpOutcome.Result.RECORDED, answer(1, RsvpChoice.GOING).result());
        }

        @Test
        void whenCancelled() {
            useSchedule(Schedules.oneEvent(EVENT, 2).replace("    reminders: [24h, 1h]\n",
                    "    reminders: [24h, 1h]\n    cancelled: true\n"));
            assertEquals(RsvpOutcome.Result.CANCELLED, answer(1, RsvpChoice.GOING).result());
        }

        @Test
        void hiddenAndUnknownEventsAreNotAvailable() {
            assertEquals(RsvpOutcome.Result.NOT_AVAILABLE,
                    rsvps.answer("delegates-lunch", user(1), RsvpChoice.GOING).result());
            assertEquals(RsvpOutcome.Result.NOT_AVAILABLE, rsvps.answer("no-such", user(1), RsvpChoice.GOING).result());
        }
    }

    @Test
    void thirtySimultaneousPressesOnTenSeatsEndTenGoingAndTwentyWaitlistedInOrderOfArrival() throws Exception {
        useSchedule(Schedules.oneEvent(EVENT, 10));
        List<User> people = IntStream.rangeClosed(1, 30).mapToObj(this::user).toList();
        ExecutorService pool = Executors.newFixedThreadPool(30);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RsvpOutcome>> futures = new ArrayList<>();
        for (User person : people) {
            futures.add(pool.submit(() -> {
                start.await();
                return rsvps.answer(EVENT, person, RsvpChoice.GOING);
            }));
        }
        start.countDown();
        List<RsvpOutcome> outcomes = new ArrayList<>();
        for (Future<RsvpOutcome> future : futures) {
            outcomes.add(future.get());
        }
        pool.shutdown();

        assertEquals(new RsvpCounts(10, 0, 0, 20), rsvps.counts(EVENT));
        long going = outcomes.stream().filter(o -> o.rsvp().orElseThrow().status() == RsvpStatus.GOING).count();
        assertEquals(10, going);
        List<Integer> positions = outcomes.stream()
                .map(o -> o.rsvp().orElseThrow())
                .filter(rsvp -> rsvp.status() == RsvpStatus.WAITLISTED)
                .map(rsvp -> rsvp.waitlistPosition().orElseThrow())
                .sorted()
                .toList();
        assertEquals(IntStream.rangeClosed(1, 20).boxed().toList(), positions, "each position handed out once");
        // Arrival order is the order transactions committed: the first ten to commit got the seats.
        List<Long> firstTen = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT user_id FROM rsvps WHERE event_key = :event ORDER BY seq LIMIT 10")
                .bind("event", EVENT).mapTo(Long.class).list());
        assertTrue(firstTen.stream().allMatch(id -> status(id) == RsvpStatus.GOING), firstTen.toString());
    }

    @Nested
    class PublishedAsWebhooks {
        @Test
        void everyRecordedAnswerAndPromotionIsPublishedAndNothingElse() throws Exception {
            Webhooks webhooks = Webhooks.create(List.of(new WebhookEndpoint("crm",
                            URI.create("https://crm.example.org/hooks"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                            EnumSet.allOf(WebhookEventType.class))), database.jdbi(), clock,
                    new AdminChat(Set.of(), users, MessageCatalog.load(Path.of("messages"), "en", List.of()),
                            ZoneId.of("Asia/Seoul"), new Notifications(new Outbox(database.jdbi(), clock), () -> { })));
            rsvps = new RsvpService(database.jdbi(), clock, PromotionListener.NONE, webhooks.events());
            answer(1, RsvpChoice.GOING);
            answer(2, RsvpChoice.GOING);
            answer(3, RsvpChoice.GOING);
            answer(1, RsvpChoice.GOING); // unchanged
            answer(1, RsvpChoice.DECLINED); // frees a seat: 3 moves up

            List<String> published = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String body : database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT body FROM webhook_deliveries ORDER BY id").mapTo(String.class).list())) {
                JsonNode data = json.readTree(body).path("data");
                assertEquals(EVENT, data.path("event_key").asText());
                published.add(data.path("telegram_id").asLong() + ":" + data.path("status").asText());
            }
            assertEquals(List.of("1:going", "2:going", "3:waitlisted", "1:declined", "3:going"), published);
        }
    }
}

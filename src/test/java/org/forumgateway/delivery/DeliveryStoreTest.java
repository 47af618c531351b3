package org.forumgateway.delivery;

import org.forumgateway.webhooks.WebhookEvents;
import org.forumgateway.chat.GroupMembership;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.groups.BotGroups;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.storage.Database;
import org.forumgateway.users.Role;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.UserDao;
import org.forumgateway.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the engine reads from and writes to a real SQLite outbox, with time standing still. */
class DeliveryStoreTest {
    @TempDir
    Path folder;
    private final FakeTime time = new FakeTime();
    private Database database;
    private Outbox outbox;
    private DeliveryStore store;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        outbox = new Outbox(database.jdbi(), time.clock());
        store = new DeliveryStore(outbox, time.clock(), WebhookEvents.none());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private long broadcast(List<Long> chats) {
        long notification = outbox.createNotification("test", null);
        assertEquals(chats.size(), outbox.enqueueBulk(notification, addressed(chats)));
        return notification;
    }

    private static List<Outbox.Addressed> addressed(List<Long> chats) {
        List<Outbox.Addressed> messages = new ArrayList<>();
        for (long chat : chats) {
            messages.add(new Outbox.Addressed(chat, 0, new OutgoingMessage.Send(chat, "Hello", Keyboard.NONE)));
        }
        return messages;
    }

    private Map<String, Object> stored(long rowId) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT chat_id, status, attempts, next_attempt_at, last_error FROM outbox WHERE id = :id")
                .bind("id", rowId).mapToMap().one());
    }

    @Test
    void aMessageStillQueuedWhenItsNotificationExpiresIsCancelledInsteadOfSent() {
        Notifications notifications = new Notifications(outbox, () -> { });
        Instant start = time.clock().instant().plus(Duration.ofMinutes(10));
        database.jdbi().useTransaction(handle -> {
            notifications.queueOwedAgain(handle, NotificationKind.REMINDER, "reminder:60/plenary@" + start,
                    addressed(List.of(101L)), Optional.of(start));
            notifications.queueOwedAgain(handle, NotificationKind.DIGEST, "digest:2026-W49/", addressed(List.of(102L)),
                    Optional.empty());
        });
        List<OutboxRow> due = store.queued(500);
        assertEquals(2, due.size());

        time.advance(Duration.ofMinutes(10)); // the event begins while both wait (behind a broadcast, say)
        List<Outbox.Claimed> claimed = store.markInFlight(due);

        assertEquals(List.of(102L), claimed.stream().map(c -> c.row().chatId()).toList(), "only the digest goes");
        Map<String, Object> reminder = stored(due.get(0).id());
        assertEquals(OutboxStatus.CANCELLED.code(), reminder.get("status"));
        assertEquals("expired before it could be sent", reminder.get("last_error"));
        assertEquals(0, reminder.get("attempts"), "never tried");
    }

    @Test
    void aMessageClaimedBeforeItsNotificationExpiresGoesOut() {
        Notifications notifications = new Notifications(outbox, () -> { });
        Instant start = time.clock().instant().plus(Duration.ofMinutes(10));
        database.jdbi().useTransaction(handle -> notifications.queueOwedAgain(handle, NotificationKind.REMINDER,
                "reminder:60/plenary@" + start, addressed(List.of(101L)), Optional.of(start)));
        time.advance(Duration.ofMinutes(10).minusMillis(1));
        assertEquals(1, store.markInFlight(store.queued(500)).size());
    }

    /** A message to person 101, whom the bot knows, on its way to Telegram. */
    private InFlight sentToAKnownPerson(UserService users) {
        users.recordSeen(new TelegramProfile(101, "Blocker", Optional.empty(), Optional.empty(), Optional.empty()));
        long notification = broadcast(List.of(101L));
        OutboxRow row = store.queued(500).get(0);
        store.markInFlight(List.of(row));
        return new InFlight(notification, row, time.clock().instant());
    }

    private record InFlight(long notification, OutboxRow row, Instant sentAt) {
    }

    private List<OutboxRow> claimAll() {
        return store.markInFlight(store.queued(500)).stream().map(Outbox.Claimed::row).toList();
    }

    @Test
    void claimedRowsCarryTheirPayloads() {
        broadcast(List.of(101L, 102L));
        List<Outbox.Claimed> claimed = store.markInFlight(store.queued(500));
        assertEquals(List.of(101L, 102L), claimed.stream().map(row -> row.row().chatId()).toList());
        for (Outbox.Claimed row : claimed) {
            assertEquals(new OutgoingMessage.Send(row.row().chatId(), "Hello", Keyboard.NONE),
                    OutgoingCodec.decode(row.row().method(), row.row().chatId(), row.payload()));
        }
    }

    @Test
    void aReplyQueuedAfterABroadcastIsSentFirst() {
        broadcast(List.of(101L, 102L, 103L, 104L, 105L));
        long reply = outbox.enqueueInteractive(new OutgoingMessage.Send(9, "Reply", Keyboard.NONE));
        List<OutboxRow> queue = new ArrayList<>(store.queued(500));
        assertEquals(reply, queue.get(0).id(), "interactive rows lead the queue");

        Pacing pacing = new Pacing(DeliveryLimits.telegramDefaults().withRates(1, 1, 20), time, time.clock(),
                FixedJitter.LOWEST);
        assertEquals(List.of(reply), pacing.claim(queue, 0).stream().map(OutboxRow::id).toList(),
                "with one token, the reply gets it");
    }

    @Test
    void queueingTheSameNotificationTwiceQueuesEachMessageOnce() {
        long notification = broadcast(List.of(101L, 102L, 103L));
        assertEquals(0, outbox.enqueueBulk(notification, addressed(List.of(101L, 102L, 103L))));
        assertEquals(3, store.queued(500).size());
    }

    @Test
    void rowsCancelledAfterTheQueueWasReadAreNotClaimed() {
        broadcast(List.of(101L, 102L));
        List<OutboxRow> queue = store.queued(500);
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE id = ?", queue.get(0).id()));
        assertEquals(List.of(queue.get(1)), store.markInFlight(queue).stream().map(Outbox.Claimed::row).toList());
        assertEquals(1, stored(queue.get(1).id()).get("attempts"));
    }

    @Test
    void aMessageOnItsWayWhenItsNotificationIsCancelledIsNotTriedAgain() {
        long notification = broadcast(List.of(101L, 102L, 103L));
        List<OutboxRow> claimed = store.markInFlight(store.queued(2)).stream().map(Outbox.Claimed::row).toList();
        database.jdbi().useHandle(handle -> assertEquals(1, outbox.cancel(handle, notification),
                "only the one not on its way yet"));
        assertEquals("in_flight", stored(claimed.get(0).id()).get("status"), "still with Telegram");
        store.record(List.of(
                new DeliveryStore.Answered(claimed.get(0), new AfterAnswer.Retry(
                        time.clock().instant().plusSeconds(3), "429 retry after 3 s", false)),
                new DeliveryStore.Answered(claimed.get(1), new AfterAnswer.Fail("400 Bad Request"))));

        assertEquals("cancelled", stored(claimed.get(0).id()).get("status"));
        assertEquals("failed", stored(claimed.get(1).id()).get("status"), "what happened to it, as it happened");
        time.advance(Duration.ofSeconds(3));
        assertEquals(List.of(), store.queued(500), "a recalled message is never sent after all");
    }

    @Test
    void aMessageTelegramAcceptsAfterItsNotificationWasCancelledCountsAsSentAndIsHandedOnToBeUndone() {
        List<Long> handedOn = new ArrayList<>();
        store = new DeliveryStore(outbox, time.clock(), WebhookEvents.none(), AcceptedInGroup.none(),
                (handle, notification, message) -> handedOn.add(message.recipient() * 1000 + message.messageId()));
        long notification = broadcast(List.of(101L, -100_1001L));
        List<OutboxRow> claimed = claimAll();
        broadcast(List.of(103L));
        OutboxRow notCancelled = store.queued(500).get(0);
        store.markInFlight(List.of(notCancelled));
        database.jdbi().useHandle(handle -> outbox.cancel(handle, notification));
        store.record(List.of(new DeliveryStore.Answered(claimed.get(0), new AfterAnswer.Sent(Optional.of(55))),
                new DeliveryStore.Answered(claimed.get(1), new AfterAnswer.Sent(Optional.of(56))),
                new DeliveryStore.Answered(notCancelled, new AfterAnswer.Sent(Optional.of(57)))));

        assertEquals("sent", stored(claimed.get(0).id()).get("status"));
        assertEquals(Set.of(101_055L, -100_1001_000L + 56), Set.copyOf(handedOn),
                "both cancelled messages, the group's too, and not the other notification's");
        assertEquals(2, outbox.sentMessages(notification).size());
    }

    @Test
    void aCrashLeavesNothingInFlight() {
        broadcast(List.of(101L, 102L));
        claimAll();
        assertEquals(List.of(), store.queued(500));
        assertEquals(2, store.requeueInFlight());
        assertEquals(2, store.queued(500).size());
    }

    @Test
    void aMessageACrashLeftOnItsWayIsNotSentAgainWhenItsNotificationWasCancelled() {
        long recalled = broadcast(List.of(101L));
        broadcast(List.of(102L));
        List<OutboxRow> claimed = claimAll();
        database.jdbi().useHandle(handle -> outbox.cancel(handle, recalled));
        assertEquals(1, store.requeueInFlight());
        assertEquals(List.of(claimed.get(1).id()), store.queued(500).stream().map(OutboxRow::id).toList());
        assertEquals("cancelled", stored(claimed.get(0).id()).get("status"));
    }

    @Test
    void aThrottledRetrySpendsNoAttemptAndWaitsItsTime() {
        broadcast(List.of(101L, 102L));
        List<OutboxRow> claimed = claimAll();
        var later = time.clock().instant().plusSeconds(3);
        store.record(List.of(
                new DeliveryStore.Answered(claimed.get(0), new AfterAnswer.Retry(later, "429 retry after 3 s", false)),
                new DeliveryStore.Answered(claimed.get(1), new AfterAnswer.Retry(later, "502 Bad Gateway", true))));

        assertEquals(0, stored(claimed.get(0).id()).get("attempts"));
        assertEquals(1, stored(claimed.get(1).id()).get("attempts"));
        assertEquals(later.toEpochMilli(), ((Number) stored(claimed.get(0).id()).get("next_attempt_at")).longValue());
        assertEquals(List.of(), store.queued(500), "not due before its time");
        time.advance(Duration.ofSeconds(3));
        assertEquals(2, store.queued(500).size());
    }

    @Test
    void aMessageWaitingToBeRetriedHoldsBackWhatWasQueuedForItsChatAfterIt() {
        broadcast(List.of(101L));
        OutboxRow first = claimAll().get(0);
        var later = time.clock().instant().plusSeconds(3);
        store.record(List.of(new DeliveryStore.Answered(first, new AfterAnswer.Retry(later, "429 retry after 3 s",
                false))));
        broadcast(List.of(101L, 102L));

        assertEquals(List.of(102L), store.queued(500).stream().map(OutboxRow::chatId).toList(),
                "the chat's second message does not overtake its first");
        time.advance(Duration.ofSeconds(3));
        assertEquals(List.of(first.id()), store.queued(500).stream().filter(row -> row.chatId() == 101)
                .map(OutboxRow::id).limit(1).toList());
    }

    @Test
    void aLaterPartOfAMessageWaitsForItsFirstPartHeldForQuietHours() {
        long notification = outbox.createNotification("test", null);
        outbox.enqueueBulk(notification, List.of(
                new Outbox.Addressed(101, 0, new OutgoingMessage.Send(101, "Part one", Keyboard.NONE)),
                new Outbox.Addressed(101, 1, new OutgoingMessage.Send(101, "Part two", Keyboard.NONE))));
        // As a restart leaves them when quiet hours are recomputed for the first chunk only.
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE outbox SET next_attempt_at = ? WHERE part = 0", time.clock().millis() + 60_000));

        assertEquals(List.of(), store.queued(500), "the second part does not go before the first");
    }

    @Test
    void quietHoursHoldPeopleAndAreCountedSo() {
        long notification = outbox.createNotification("test", null);
        Optional<Instant> morning = Optional.of(time.clock().instant().plus(Duration.ofHours(8)));
        outbox.enqueueBulk(notification, List.of(
                new Outbox.Addressed(101, 0, new OutgoingMessage.Send(101, "Part one", Keyboard.NONE), morning),
                new Outbox.Addressed(101, 1, new OutgoingMessage.Send(101, "Part two", Keyboard.NONE), morning),
                new Outbox.Addressed(102, 0, new OutgoingMessage.Send(102, "Part one", Keyboard.NONE))));

        assertEquals(new Outbox.Held(1, morning), outbox.held(notification), "one person waits, with two messages");
        assertEquals(2, outbox.recipientProgress(notification).pending());
    }

    @Test
    void recipientsAreCountedByAllTheirMessagesAndTheirFailuresByReason() {
        long notification = outbox.createNotification("test", null);
        List<Outbox.Addressed> parts = new ArrayList<>();
        for (long chat : List.of(101L, 102L)) {
            for (int part = 0; part < 2; part++) {
                parts.add(new Outbox.Addressed(chat, part, new OutgoingMessage.Send(chat, "Part " + part, Keyboard.NONE)));
            }
        }
        outbox.enqueueBulk(notification, parts);
        List<OutboxRow> claimed = claimAll();
        store.record(List.of(
                new DeliveryStore.Answered(claimed.get(0), new AfterAnswer.Fail("can't parse entities")),
                new DeliveryStore.Answered(claimed.get(1), new AfterAnswer.Sent(Optional.of(55))),
                new DeliveryStore.Answered(claimed.get(2), new AfterAnswer.Fail("message is too long")),
                new DeliveryStore.Answered(claimed.get(3), new AfterAnswer.Blocked("Forbidden: bot was blocked"))));

        Progress people = outbox.recipientProgress(notification);
        assertEquals(List.of(2, 0, 1, 1), List.of(people.total(), people.sent(), people.failed(), people.blocked()));
        assertEquals(Map.of("can't parse entities", 1), people.failures(), "the blocked person's failure is not theirs");
    }

    @Test
    void sentAndFailedAreCountedInTheProgress() {
        long notification = broadcast(List.of(101L, 102L));
        List<OutboxRow> claimed = claimAll();
        store.record(List.of(
                new DeliveryStore.Answered(claimed.get(0), new AfterAnswer.Sent(Optional.of(55))),
                new DeliveryStore.Answered(claimed.get(1), new AfterAnswer.Fail("can't parse entities"))));
        Progress progress = outbox.progress(notification);
        assertEquals(1, progress.sent());
        assertEquals(Map.of("can't parse entities", 1), progress.failures());
        assertTrue(progress.isFinished());
    }

    @Test
    void aBlockedAnswerDropsTheChatsQueueAndMarksTheUserBlocked() {
        UserService users = new UserService(database.jdbi(), Set.of(), time.clock());
        users.recordSeen(new TelegramProfile(101, "Blocker", Optional.empty(), Optional.empty(), Optional.empty()));
        long first = broadcast(List.of(101L, 102L));
        long second = broadcast(List.of(101L));
        OutboxRow toBlocker = store.queued(500).get(0);
        store.markInFlight(List.of(toBlocker));
        Instant sentAt = time.clock().instant();
        time.advance(Duration.ofMillis(300));
        store.record(List.of(new DeliveryStore.Answered(toBlocker, new AfterAnswer.Blocked("bot was blocked"), sentAt)));

        assertEquals(1, outbox.progress(first).blocked());
        assertEquals(1, outbox.progress(second).blocked(), "the chat's queued message is dropped too");
        assertEquals(1, outbox.progress(first).pending(), "other chats keep theirs");
        assertTrue(users.find(101).orElseThrow().blocked());
    }

    @Test
    void aRefusalOfAMessageSentBeforeThePersonUnblockedTheBotDoesNotMarkThemBlockedAgain() {
        UserService users = new UserService(database.jdbi(), Set.of(), time.clock());
        InFlight message = sentToAKnownPerson(users);
        // While the message was on its way, the person blocked the bot and unblocked it again.
        time.advance(Duration.ofMillis(300));
        database.jdbi().useHandle(handle -> {
            new UserDao(database.jdbi()).markBlocked(handle, 101, time.clock().instant(), time.clock().instant());
            users.unblocked(handle, 101);
        });
        long afterUnblocking = broadcast(List.of(101L)); // what the bot queued for them since, a reply to /start say
        time.advance(Duration.ofMillis(300));
        store.record(List.of(new DeliveryStore.Answered(message.row(),
                new AfterAnswer.Blocked("Forbidden: bot was blocked by the user"), message.sentAt())));

        assertEquals(1, outbox.progress(message.notification()).blocked(), "that message is settled as refused");
        assertFalse(users.find(101).orElseThrow().blocked(), "the person can be reached again");
        assertEquals(1, outbox.progress(afterUnblocking).pending(), "and what was queued for them since still goes");
    }

    @Test
    void aRefusalCountsThoughThePersonsRowChangedForAnotherReasonWhileTheMessageWasOnItsWay() {
        UserService users = new UserService(database.jdbi(), Set.of(), time.clock());
        InFlight message = sentToAKnownPerson(users);
        time.advance(Duration.ofMillis(300));
        users.setRole(101, Role.DELEGATE); // staff gave them a role meanwhile: nothing about whether they blocked
        long queuedSince = broadcast(List.of(101L));
        time.advance(Duration.ofMillis(300));
        store.record(List.of(new DeliveryStore.Answered(message.row(),
                new AfterAnswer.Blocked("Forbidden: bot was blocked by the user"), message.sentAt())));

        assertEquals(1, outbox.progress(message.notification()).blocked());
        assertTrue(users.find(101).orElseThrow().blocked(), "the block is known at once, not at the next refusal");
        assertEquals(1, outbox.progress(queuedSince).pending(), "what was queued after the send meets its own answer");
    }

    @Test
    void aGroupThatRefusesTheBotForGoodIsNoLongerOneTheBotIsIn() {
        BotGroups groups = new BotGroups(database.jdbi(), time.clock());
        groups.changed(new GroupMembership(-100_1001L, "Delegates", true, true, true, true), true);
        broadcast(List.of(-100_1001L));
        OutboxRow toGroup = store.queued(500).get(0);
        store.markInFlight(List.of(toGroup));
        store.record(List.of(new DeliveryStore.Answered(toGroup,
                new AfterAnswer.Blocked("Forbidden: bot was kicked from the supergroup chat"))));

        assertTrue(groups.current(-100_1001L).isEmpty());
    }

    @Test
    void aPinRefusedForLackOfTheRightIsRememberedForTheGroup() {
        BotGroups groups = new BotGroups(database.jdbi(), time.clock());
        groups.seenIn(-100_1001L); // rights unknown: seen only by a command there
        long notification = outbox.createNotification("announcement_pin", "1");
        outbox.enqueueBulk(notification, List.of(new Outbox.Addressed(-100_1001L, 0,
                new OutgoingMessage.Pin(-100_1001L, 55))));
        OutboxRow pin = store.queued(500).get(0);
        store.markInFlight(List.of(pin));
        store.record(List.of(new DeliveryStore.Answered(pin,
                new AfterAnswer.Fail("[400] Bad Request: not enough rights to manage pinned messages in the chat"))));

        assertEquals(Optional.of(false), groups.current(-100_1001L).orElseThrow().canPin());
    }

    @Test
    void aMessageAcceptedInAGroupIsHandedOnWithItsIdButOneInAPrivateChatIsNot() {
        List<Outbox.Sent> handedOn = new ArrayList<>();
        store = new DeliveryStore(outbox, time.clock(), WebhookEvents.none(),
                (handle, notification, message) -> handedOn.add(message), AcceptedAfterCancel.none());
        broadcast(List.of(-100_1001L, 101L));
        List<OutboxRow> rows = store.queued(500);
        store.markInFlight(rows);
        store.record(List.of(new DeliveryStore.Answered(rows.get(0), new AfterAnswer.Sent(Optional.of(55))),
                new DeliveryStore.Answered(rows.get(1), new AfterAnswer.Sent(Optional.of(56)))));

        assertEquals(1, handedOn.size(), handedOn.toString());
        assertEquals(List.of(-100_1001L, 0, -100_1001L, 55), List.of(handedOn.get(0).recipient(),
                handedOn.get(0).part(), handedOn.get(0).chatId(), handedOn.get(0).messageId()));
    }

    @Test
    void aMigratedAnswerMovesTheQueueToTheNewGroupWithoutSpendingAnAttempt() {
        BotGroups groups = new BotGroups(database.jdbi(), time.clock());
        groups.changed(new GroupMembership(-1001L, "Delegates", false, true, true, true), true);
        long notification = broadcast(List.of(-1001L));
        broadcast(List.of(-1001L));
        OutboxRow first = store.queued(500).get(0);
        store.markInFlight(List.of(first));
        store.record(List.of(new DeliveryStore.Answered(first, new AfterAnswer.Migrated(-100_2002L))));

        List<OutboxRow> queue = store.queued(500);
        assertEquals(List.of(-100_2002L, -100_2002L), queue.stream().map(OutboxRow::chatId).toList());
        assertEquals(0, stored(first.id()).get("attempts"));
        assertEquals(1, outbox.progress(notification).pending());
        assertTrue(groups.current(-1001L).isEmpty());
        assertEquals(Optional.of(true), groups.current(-100_2002L).orElseThrow().canPin(), "audiences follow the group");
    }

    @Test
    void editsDeletesAndPinsOfTheOldGroupFailInsteadOfActingOnAnotherMessageInTheNewOne() {
        long notification = broadcast(List.of(-1001L));
        long edit = outbox.enqueueInteractive(new OutgoingMessage.Edit(-1001L, 42, "Changed", Keyboard.NONE));
        long delete = outbox.enqueueInteractive(new OutgoingMessage.Delete(-1001L, 43, 1));
        long pin = outbox.enqueueInteractive(new OutgoingMessage.Pin(-1001L, 44));
        OutboxRow first = store.queued(500).stream().filter(row -> row.notificationId().isPresent()
                && row.notificationId().get() == notification).findFirst().orElseThrow();
        store.markInFlight(List.of(first));
        store.record(List.of(new DeliveryStore.Answered(first, new AfterAnswer.Migrated(-100_2002L))));

        assertEquals(List.of(-100_2002L), store.queued(500).stream().map(OutboxRow::chatId).toList(),
                "only the new message follows the group");
        for (long row : List.of(edit, delete, pin)) {
            assertEquals("failed", stored(row).get("status"), "row " + row);
            assertEquals(-1001L, ((Number) stored(row).get("chat_id")).longValue());
        }
    }
}

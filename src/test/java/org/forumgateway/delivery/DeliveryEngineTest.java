package org.forumgateway.delivery;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.config.TelegramSettings;
import org.forumgateway.storage.Database;
import org.forumgateway.telegram.TelegramBot;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delivery engine with the real Telegram client against the fake Bot API, and a real SQLite outbox. */
class DeliveryEngineTest {
    private static final DeliveryLimits FAST = DeliveryLimits.telegramDefaults()
            .withRates(200, 50, 1200)
            .withRetries(Duration.ofMillis(100), Duration.ofMillis(400));

    @TempDir
    Path folder;
    private FakeTelegramApi api;
    private Database database;
    private TelegramBot telegram;
    private Outbox outbox;
    private DeliveryEngine engine;

    @BeforeEach
    void open() {
        api = FakeTelegramApi.start();
        database = Database.open(folder.resolve("bot.db"));
        telegram = new TelegramBot(new TelegramSettings(FakeTelegramApi.TOKEN, URI.create(api.url()), 1), 64);
        outbox = new Outbox(database.jdbi(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.stop(2_000);
        }
        telegram.close();
        database.close();
        api.close();
    }

    private void startEngine(DeliveryLimits limits) {
        engine = new DeliveryEngine(outbox, telegram.transport(), limits, Clock.systemUTC());
        engine.start();
    }

    private long broadcast(List<Long> chats, String text) {
        long notification = outbox.createNotification("test", null);
        List<Outbox.Addressed> messages = new ArrayList<>();
        for (long chat : chats) {
            messages.add(new Outbox.Addressed(chat, 0, new OutgoingMessage.Send(chat, text, Keyboard.NONE)));
        }
        outbox.enqueueBulk(notification, messages);
        if (engine != null) {
            engine.wake();
        }
        return notification;
    }

    private Progress awaitFinished(long notification, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Progress progress = outbox.progress(notification);
        while (!progress.isFinished() && System.nanoTime() < deadline) {
            Thread.sleep(25);
            progress = outbox.progress(notification);
        }
        assertTrue(progress.isFinished(), "not finished in " + limit + ": " + progress);
        return progress;
    }

    private static List<Long> chats(int count) {
        return LongStream.rangeClosed(1, count).map(i -> 10_000 + i).boxed().toList();
    }

    private void assertEachDeliveredOnce(List<Long> chats) {
        for (long chat : chats) {
            assertEquals(1, api.accepted("sendMessage", chat).size(), "messages accepted for chat " + chat);
        }
    }

    @Test
    void queueingTheSameNotificationTwiceSendsEachMessageOnce() throws Exception {
        long notification = broadcast(chats(20), "Hello");
        List<Outbox.Addressed> again = new ArrayList<>();
        for (long chat : chats(20)) {
            again.add(new Outbox.Addressed(chat, 0, new OutgoingMessage.Send(chat, "Hello", Keyboard.NONE)));
        }
        assertEquals(0, outbox.enqueueBulk(notification, again));
        startEngine(FAST);
        assertEquals(20, awaitFinished(notification, Duration.ofSeconds(10)).sent());
        assertEachDeliveredOnce(chats(20));
    }

    @Nested
    class Limits {
        @Test
        void staysUnderTheGlobalRate() throws Exception {
            api.enforceLimits(40, 5, 3);
            startEngine(FAST.withRates(40, 1, 20));
            long started = System.nanoTime();
            long notification = broadcast(chats(80), "Hello");
            assertEquals(80, awaitFinished(notification, Duration.ofSeconds(15)).sent());
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(seconds >= 1.5, "80 messages at 40/s take about 2 s, took " + seconds);
            assertTrue(api.throttledCount() <= 2, "429 answers: " + api.throttledCount());
            assertEachDeliveredOnce(chats(80));
        }

        @Test
        void waitsOutTooManyRequestsAndLosesNothing() throws Exception {
            api.enforceLimits(10, 5, 3);
            startEngine(FAST.withRates(100, 5, 300)); // configured far above what the server allows
            long notification = broadcast(chats(40), "Hello");
            assertEquals(40, awaitFinished(notification, Duration.ofSeconds(20)).sent());
            assertTrue(api.throttledCount() > 0, "the server did throttle");
            assertEachDeliveredOnce(chats(40));
        }

        @Test
        void messagesToOneChatArriveInOrderAtItsRate() throws Exception {
            api.enforceLimits(100, 1, 3);
            startEngine(FAST.withRates(100, 1, 20));
            long chat = 777;
            for (int i = 1; i <= 5; i++) {
                outbox.enqueueInteractive(new OutgoingMessage.Send(chat, "message " + i, Keyboard.NONE));
            }
            engine.wake();
            List<RecordedRequest> accepted = api.awaitAll("sendMessage", r -> r.accepted() && r.chatId() == chat, 5);
            assertEquals(List.of("message 1", "message 2", "message 3", "message 4", "message 5"),
                    accepted.stream().map(RecordedRequest::text).toList());
            assertEquals(0, api.throttledCount(), "a burst of 3, then 1 a second");
        }

        @Test
        void repliesOvertakeABroadcast() throws Exception {
            startEngine(FAST.withRates(20, 50, 1200));
            long notification = broadcast(chats(100), "Bulk");
            Thread.sleep(300);
            outbox.enqueueInteractive(new OutgoingMessage.Send(5, "Reply", Keyboard.NONE));
            engine.wake();
            api.await("sendMessage", request -> request.chatId() == 5 && request.accepted());
            long bulkBefore = api.requests("sendMessage").stream()
                    .takeWhile(request -> request.chatId() != 5).count();
            assertTrue(bulkBefore < 30, "the reply waited behind " + bulkBefore + " bulk messages");
            awaitFinished(notification, Duration.ofSeconds(15));
        }
    }

    @Nested
    class Answers {
        @Test
        void blockedUserIsMarkedAndSkipped() throws Exception {
            UserService users = new UserService(database.jdbi(), Set.of(), Clock.systemUTC());
            users.recordSeen(new TelegramProfile(10_001, "Blocker", Optional.empty(), Optional.empty(), Optional.empty()));
            api.blockChat(10_001);
            startEngine(FAST);
            long notification = broadcast(chats(3), "Hello");
            Progress progress = awaitFinished(notification, Duration.ofSeconds(10));
            assertEquals(2, progress.sent());
            assertEquals(1, progress.blocked());
            assertTrue(users.find(10_001).orElseThrow().blocked());
        }

        @Test
        void migratedGroupIsFollowed() throws Exception {
            api.migrateChat(-1001, -100_2002L);
            startEngine(FAST);
            long notification = broadcast(List.of(-1001L), "Hello group");
            assertEquals(1, awaitFinished(notification, Duration.ofSeconds(10)).sent());
            assertEquals(1, api.accepted("sendMessage", -100_2002L).size());
        }

        @Test
        void brokenMarkupFailsOnceWithTheReason() throws Exception {
            startEngine(FAST);
            long notification = broadcast(chats(1), "<b>unclosed");
            Progress progress = awaitFinished(notification, Duration.ofSeconds(10));
            assertEquals(1, progress.failed());
            assertTrue(progress.failures().keySet().iterator().next().contains("can't parse entities"),
                    progress.failures().toString());
            assertEquals(1, api.requests("sendMessage").size(), "not retried");
        }

        @Test
        void serverErrorsAndDroppedConnectionsAreRetried() throws Exception {
            api.failNext("sendMessage", 502, "Bad Gateway");
            api.failNext("sendMessage", 500, "Internal Server Error");
            api.dropNext("sendMessage");
            startEngine(FAST);
            long notification = broadcast(chats(1), "Hello");
            assertEquals(1, awaitFinished(notification, Duration.ofSeconds(10)).sent());
            assertEquals(4, api.requests("sendMessage").size());
            assertEachDeliveredOnce(chats(1));
        }

        @Test
        void givesUpAfterTheLastAttempt() throws Exception {
            for (int i = 0; i < 10; i++) {
                api.failNext("sendMessage", 500, "Internal Server Error");
            }
            startEngine(FAST.withMaxAttempts(3));
            long notification = broadcast(chats(1), "Hello");
            Progress progress = awaitFinished(notification, Duration.ofSeconds(10));
            assertEquals(1, progress.failed());
            assertTrue(progress.failures().keySet().iterator().next().startsWith("gave up after 3 attempts"));
            assertEquals(3, api.requests("sendMessage").size());
        }
    }

    @Test
    void aStoppedEngineLeavesTheRestForTheNextStart() throws Exception {
        startEngine(FAST.withRates(20, 50, 1200));
        long notification = broadcast(chats(60), "Hello");
        Thread.sleep(700);
        engine.stop(2_000);
        int sentBeforeStop = outbox.progress(notification).sent();
        assertTrue(sentBeforeStop > 0 && sentBeforeStop < 60, "stopped midway: " + sentBeforeStop);
        startEngine(FAST);
        assertEquals(60, awaitFinished(notification, Duration.ofSeconds(10)).sent());
        assertEachDeliveredOnce(chats(60));
    }
}

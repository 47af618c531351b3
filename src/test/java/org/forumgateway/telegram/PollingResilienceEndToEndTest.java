package org.forumgateway.telegram;

import ch.qos.logback.classic.Level;
import org.forumgateway.Application;
import org.forumgateway.delivery.DeliveryEngine;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.Healthz;
import org.forumgateway.testing.LogCapture;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Polling survives a database that cannot be written for a while, and updates that cannot be stored. */
class PollingResilienceEndToEndTest {
    private static final FakeUser ALI = new FakeUser(501, "Ali", "en");
    private static final FakeUser BEK = new FakeUser(502, "Bek", "en");
    private static final Pattern FAILED_ATTEMPTS = Pattern.compile("\"failedStoreAttempts\":(\\d+)");

    @TempDir
    Path folder;

    @Test
    void writeLockHeldByAnotherProcessDelaysAnswersButPollingGoesOnAndHealthzSays503() throws Exception {
        int port = Healthz.freePort();
        try (FakeTelegramApi api = FakeTelegramApi.start();
             Application bot = start(api, port);
             LogCapture log = LogCapture.of(StoreOutage.class);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("bot.db"));
             Statement statement = other.createStatement()) {
            api.sendText(ALI, "/help");
            api.awaitMessageTo(ALI, "/start");
            Healthz.await(port, response -> response.statusCode() == 200);
            // The reply's answer recorded first: here only the intake meets the lock (the delivery loop's own
            // meeting with it is the next test's).
            Eventually.await("the reply recorded as sent", () -> unsettled(bot) == 0);

            statement.execute("BEGIN IMMEDIATE"); // as a backup tool or a second process would
            api.sendText(BEK, "/help");
            HttpResponse<String> locked = Healthz.await(port, response -> failedAttempts(response) >= 3);
            assertEquals(503, locked.statusCode());
            assertTrue(locked.body().contains("\"database\":\"not-writable\""), locked.body());
            assertTrue(api.messagesTo(BEK).isEmpty(), "nothing handled before it is stored");
            assertEquals(1, log.messages(Level.ERROR).size(), "logged once, not per retry: " + log.messages(Level.ERROR));
            assertTrue(log.messages(Level.ERROR).get(0).contains("SQLITE_BUSY"), log.messages(Level.ERROR).get(0));

            statement.execute("ROLLBACK");
            api.awaitMessageTo(BEK, "/start");
            Healthz.await(port, response -> response.statusCode() == 200);
            api.sendText(ALI, "/about");
            api.awaitAll("sendMessage", request -> request.chatId() == ALI.chatId(), 2);
            assertEquals(1, log.messages(Level.INFO).stream().filter(line -> line.contains("stored again")).count());
        }
    }

    @Test
    void theDeliveryLoopLogsALockHeldByAnotherProcessOnceAndRecordsTheAnswerAfterIt() throws Exception {
        int port = Healthz.freePort();
        try (FakeTelegramApi api = FakeTelegramApi.start();
             Application bot = start(api, port);
             LogCapture log = LogCapture.silencing(DeliveryEngine.class);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("bot.db"));
             Statement statement = other.createStatement()) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DeliveryEngine.class)).setLevel(Level.DEBUG);
            FakeTelegramApi.Hold reply = api.hold(ALI.chatId());
            api.sendText(ALI, "/help");
            reply.awaitArrival();
            statement.execute("BEGIN IMMEDIATE"); // the answer arrives while another process holds the lock
            reply.release();
            Eventually.await("the loop failing again", () -> log.messages(Level.DEBUG).stream()
                    .anyMatch(line -> line.startsWith("Delivery loop failed again")));
            assertEquals(1, log.messages(Level.ERROR).size(), "one line for the outage: " + log.messages(Level.ERROR));
            assertTrue(Healthz.await(port, response -> true).body().contains("\"delivery\":\"ok\""),
                    "a moment's failure is retried, not reported");
            clock.advance(Duration.ofSeconds(31));
            HttpResponse<String> failing = Healthz.await(port,
                    response -> response.body().contains("\"delivery\":{\"status\":\"failing\""));
            assertEquals(503, failing.statusCode(), failing.body());

            statement.execute("ROLLBACK");
            Eventually.await("the answer recorded", () -> unsettled(bot) == 0);
            Healthz.await(port, response -> response.statusCode() == 200 && response.body().contains("\"delivery\":\"ok\""));
            // Said at the end of the round that recorded it, after its commit.
            Eventually.await("the loop saying it works again", () -> log.messages(Level.INFO).stream()
                    .anyMatch(line -> line.startsWith("Delivery loop works again")));
            assertEquals(1, log.messages(Level.ERROR).size(), log.messages(Level.ERROR).toString());
            assertEquals(1, api.messagesTo(ALI).size(), "sent once");
        }
    }

    private static int unsettled(Application bot) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE status IN ('pending', 'in_flight')").mapTo(Integer.class).one());
    }

    @Test
    void updateThatCannotBeStoredIsSkippedAndTheNextOneAnswered() throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start(); Application bot = start(api, 0)) {
            int broken = api.sendTextWithEntity(ALI, "/help", "bold", 3, 40);
            api.sendText(BEK, "/help");
            api.awaitMessageTo(BEK, "/start");
            Integer handled = bot.database().jdbi().withHandle(handle -> handle
                    .createQuery("SELECT handled FROM inbox WHERE update_id = :id").bind("id", broken)
                    .mapTo(Integer.class).one());
            assertEquals(1, handled, "stored as handled, so a resend is recognised");
            api.resend(broken);
            api.sendText(BEK, "/about");
            api.awaitAll("sendMessage", request -> request.chatId() == BEK.chatId(), 2);
            assertTrue(api.messagesTo(ALI).isEmpty());
        }
    }

    private final MutableClock clock = MutableClock.at("2026-11-22T09:00:00Z");

    private Application start(FakeTelegramApi api, int httpPort) {
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("HTTP_PORT", String.valueOf(httpPort));
        environment.put("DATABASE_BUSY_TIMEOUT_MS", "200");
        return Application.start(TestSettings.config(environment, folder), clock);
    }

    private static int failedAttempts(HttpResponse<String> response) {
        Matcher matcher = FAILED_ATTEMPTS.matcher(response.body());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}

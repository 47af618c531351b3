package org.forumgateway;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.LogCapture;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.forumgateway.testing.WebhookReceiver.Received;
import org.forumgateway.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed webhooks from the real wiring: chat actions against the fake Bot API reach a receiver on loopback. */
class WebhooksEndToEndTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    private static final FakeUser JOHN = new FakeUser(7102, "John", "en");
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private FakeTelegramApi api;
    private WebhookReceiver receiver;
    private Application bot;

    @BeforeEach
    void start() {
        api = FakeTelegramApi.start();
        receiver = WebhookReceiver.start();
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("ADMIN_IDS", String.valueOf(ADMIN.id()));
        environment.put("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 10)).toString());
        environment.put("WEBHOOK_URL", receiver.url());
        environment.put("WEBHOOK_SECRET", SECRET);
        bot = Application.start(TestSettings.config(environment, folder), clock);
    }

    @AfterEach
    void stop() {
        bot.close();
        receiver.close();
        api.close();
    }

    private static JsonNode verifiedBody(Received request) throws Exception {
        assertTrue(WebhookReceiver.verifies(request, SECRET), "signed with the configured secret: " + request);
        assertTrue(request.id().startsWith("msg_"), request.id());
        return JSON.readTree(request.body());
    }

    @Test
    void anRsvpPressReachesTheReceiverSignedAsRsvpChanged() throws Exception {
        api.sendText(JOHN, "/event plenary");
        RecordedRequest card = api.await("sendMessage", message -> message.chatId() == JOHN.chatId()
                && message.buttons().stream().anyMatch(button -> button.callbackData().endsWith(":plenary")));
        api.pressButton(JOHN, card.messageId(), card.button("Attending").callbackData());

        JsonNode body = verifiedBody(receiver.await(1, PATIENCE).get(0));
        assertEquals("rsvp.changed", body.path("type").asText());
        assertEquals("plenary", body.path("data").path("event_key").asText());
        assertEquals("going", body.path("data").path("status").asText());
        assertEquals(JOHN.id(), body.path("data").path("telegram_id").asLong());
        assertTrue(body.path("timestamp").asText().startsWith("2026-12-01T00:"), body.toString());
    }

    @Test
    void aUserWhoBlockedTheBotIsPublished() throws Exception {
        api.blockChat(JOHN.chatId());
        api.sendText(JOHN, "/help");

        JsonNode body = verifiedBody(receiver.await(1, PATIENCE).get(0));
        assertEquals("user.blocked", body.path("type").asText());
        assertEquals(JOHN.id(), body.path("data").path("telegram_id").asLong());
        assertTrue(body.path("data").has("external_id") && body.path("data").path("external_id").isNull(),
                "John was never linked: " + body);
    }

    @Test
    void aPersonWhoBlocksTheBotIsPublishedAtOnceAndCountedAgainOnceTheyUnblockIt() throws Exception {
        api.sendText(JOHN, "/help");
        api.awaitMessageTo(JOHN, "/about");
        api.blockBot(JOHN);

        JsonNode body = verifiedBody(receiver.await(1, PATIENCE).get(0));
        assertEquals("user.blocked", body.path("type").asText());
        assertEquals(JOHN.id(), body.path("data").path("telegram_id").asLong());
        assertEquals("Forbidden: bot was blocked by the user", body.path("data").path("reason").asText());
        assertEquals("blocked", userStatus(JOHN));
        assertEquals(0, api.requests().stream().filter(request -> request.status() == 403).count(),
                "the block was learnt from Telegram's update, not from a refused message");

        api.unblockBot(JOHN);
        Eventually.await("John counted again", () -> userStatus(JOHN).equals("active"));
        // An event would have been queued with the change it reports.
        assertEquals(1, (int) bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM webhook_deliveries").mapTo(Integer.class).one()), "unblocking publishes nothing");
    }

    @Test
    void aBlockIsPublishedOnceThoughAMessageInFlightIsRefusedAfterTheUpdateToldOfIt() throws Exception {
        api.sendText(JOHN, "/help");
        api.awaitMessageTo(JOHN, "/about");
        // John blocks the bot while its next reply to him is on its way: Telegram refuses that reply with 403,
        // and the bot hears of both, the update first.
        api.blockChat(JOHN.chatId());
        FakeTelegramApi.Hold refusal = api.hold(JOHN.chatId());
        try (LogCapture log = LogCapture.of("org.forumgateway.delivery.DeliveryStore")) {
            api.sendText(JOHN, "/about");
            refusal.awaitArrival(); // Telegram has the reply, and will refuse it
            HandledUpdates.await(bot, api.blockBot(JOHN)); // the bot hears of the block first
            refusal.release();
            api.await("sendMessage", request -> request.chatId() == JOHN.chatId() && request.status() == 403);
            assertEquals("user.blocked", verifiedBody(receiver.await(1, PATIENCE).get(0)).path("type").asText());
            Eventually.await("the 403 being settled", () -> log.messages(Level.INFO).stream()
                    .anyMatch(line -> line.contains("blocked the bot")));
        }
        // The line is logged inside the settlement's write transaction: a write transaction of ours begins only once
        // that one has committed, with whatever event it published.
        assertEquals(1, (int) bot.database().jdbi().inTransaction(handle -> handle.createQuery(
                "SELECT count(*) FROM webhook_deliveries WHERE event_type = 'user.blocked'").mapTo(Integer.class).one()));
    }

    @Test
    void someoneWhoBlocksTheBotWithoutEverStartingItIsNotPublished() {
        int update = api.blockBot(new FakeUser(7199, "Stranger", "en"));
        HandledUpdates.await(bot, update);
        // An event would have been queued in the transaction that marked the update handled.
        assertEquals(0, (int) bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM webhook_deliveries").mapTo(Integer.class).one()));
    }

    private String userStatus(FakeUser user) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT status FROM users WHERE telegram_id = :id").bind("id", user.id()).mapTo(String.class).one());
    }

    @Test
    void aGroupThatRemovedTheBotIsNotPublishedAsABlockingUser() {
        long group = -1_001_000_000_077L;
        api.blockChat(group);
        api.sendGroupText(JOHN, group, "/help@" + FakeTelegramApi.BOT_USERNAME);
        api.await("sendMessage", message -> message.chatId() == group && !message.accepted());

        // The 403's settlement and any event it raises commit together: once the row says blocked, nothing more comes.
        Eventually.await("the group's reply settled as blocked", () -> bot.database().jdbi().withHandle(handle ->
                handle.createQuery("SELECT count(*) FROM outbox WHERE chat_id = :chat AND status = 'blocked'")
                        .bind("chat", group).mapTo(Integer.class).one()) > 0);
        int events = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM webhook_deliveries WHERE event_type = 'user.blocked'").mapTo(Integer.class).one());
        assertEquals(0, events);
    }

    @Test
    void aMessageTelegramRefusesIsPublishedAsDeliveryFailed() throws Exception {
        api.failNext("sendMessage", 400, "Bad Request: chat not found");
        api.sendText(JOHN, "/help");

        JsonNode body = verifiedBody(receiver.await(1, PATIENCE).get(0));
        assertEquals("delivery.failed", body.path("type").asText());
        assertEquals(JOHN.chatId(), body.path("data").path("chat_id").asLong());
        assertTrue(body.path("data").path("error").asText().contains("chat not found"), body.toString());
    }

    @Test
    void aFinishedAnnouncementPublishesItsFinalCounts() throws Exception {
        for (FakeUser user : new FakeUser[]{ADMIN, JOHN}) {
            api.sendText(user, "/help");
            api.awaitMessageTo(user, "/about");
        }
        api.sendText(ADMIN, "/announce all The plenary starts at 10:00.");
        RecordedRequest summary = api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #"));
        api.pressButton(ADMIN, summary.messageId(), summary.button("Send now").callbackData());
        api.awaitMessageTo(ADMIN, "done</b>");

        JsonNode body = verifiedBody(receiver.await(1, PATIENCE).get(0));
        assertEquals("message.completed", body.path("type").asText());
        assertEquals("announcement", body.path("data").path("source").asText());
        JsonNode counts = body.path("data").path("counts");
        assertEquals(2, counts.path("total").asInt(), body.toString());
        assertEquals(2, counts.path("sent").asInt(), body.toString());
        assertEquals(0, counts.path("failed").asInt(), body.toString());
    }
}

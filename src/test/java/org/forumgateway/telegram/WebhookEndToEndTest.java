package org.forumgateway.telegram;

import org.forumgateway.Application;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.Healthz;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhook mode end to end: the fake Bot API pushes updates to the bot's own HTTP server. */
class WebhookEndToEndTest {
    private static final FakeUser ANNA = new FakeUser(701, "Анна", "ru");
    private static final FakeUser JOHN = new FakeUser(702, "John", "en");
    private static final String UPDATE = "{\"update_id\":900001,\"message\":{\"message_id\":1,\"date\":1,"
            + "\"chat\":{\"id\":702,\"type\":\"private\"},\"from\":{\"id\":702,\"is_bot\":false,\"first_name\":\"J\"},"
            + "\"text\":\"/help\"}}";

    @TempDir
    Path folder;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int httpPort = Healthz.freePort();

    @Test
    void conversationInWebhookModeWithoutPolling() {
        try (FakeTelegramApi api = FakeTelegramApi.start(); Application bot = start(api, true)) {
            RecordedRequest set = api.await("setWebhook", request -> true);
            assertEquals("http://127.0.0.1:" + httpPort + "/telegram/webhook", set.body().path("url").asText());
            String secret = set.body().path("secret_token").asText();
            assertTrue(secret.length() >= 32, "a generated secret: " + secret.length());
            assertFalse(set.body().toString().contains(FakeTelegramApi.TOKEN.substring(10)), "no token in the URL");
            assertEquals("[\"message\",\"callback_query\",\"my_chat_member\"]",
                    set.body().path("allowed_updates").asText().replace(" ", ""));
            assertEquals("10", set.body().path("max_connections").asText());

            api.sendText(ANNA, "/start");
            RecordedRequest picker = api.awaitMessageTo(ANNA, "Выберите язык");
            api.pressButton(ANNA, picker.messageId(), picker.button("English").callbackData());
            api.await("editMessageText", edit -> edit.chatId() == ANNA.chatId());
            assertTrue(api.requests("getUpdates").isEmpty(), "no polling in webhook mode");

            HttpResponse<String> health = Healthz.await(httpPort, response -> response.body().contains("pendingUpdates"));
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"mode\":\"webhook\""), health.body());
            assertTrue(health.body().contains("\"lastUpdateSecondsAgo\":"), health.body());
            assertTrue(health.body().contains("\"webhookInfoSecondsAgo\":"), health.body());

            // Pushed like any update: the bot learns it was added to a group.
            int added = api.changeBotMembership(ANNA, -1_001_000_000_001L, "Forum delegates", "left", "administrator",
                    true);
            api.await(FakeTelegramApi.PUSH, push -> push.body().path("update_id").asInt() == added
                    && push.status() == 200);
            Eventually.await("the group pushed by webhook to be recorded", () -> bot.database().jdbi().withHandle(
                    handle -> handle.createQuery(
                            "SELECT count(*) FROM bot_groups WHERE chat_id = -1001000000001 AND can_pin = 1")
                            .mapTo(Integer.class).one()) > 0);
        }
    }

    @Test
    void wrongOrMissingSecretIsRefusedAndNothingStoredAndBadBodiesAreRefused() throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start(); Application bot = start(api, true)) {
            String secret = api.await("setWebhook", request -> true).body().path("secret_token").asText();
            assertEquals(401, post(UPDATE, "wrong-secret").statusCode());
            assertEquals(401, post(UPDATE, null).statusCode());
            assertEquals(401, post(UPDATE, secret.substring(1)).statusCode());
            assertEquals(0, inboxRows(bot), "nothing stored without the secret");
            assertEquals(400, post("{\"hello\":\"world\"}", secret).statusCode());
            assertEquals(400, post("not json", secret).statusCode());
            assertEquals(400, post("[" + UPDATE + "]", secret).statusCode());
            assertEquals(400, post("{\"update_id\":\"12\"}", secret).statusCode());
            assertEquals(400, post("{\"update_id\":1.5}", secret).statusCode());
            assertEquals(400, post("{\"update_id\":99999999999}", secret).statusCode());
            assertEquals(400, post("{\"update_id\":12", secret).statusCode());
            assertEquals(413, post("{\"update_id\":1,\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}", secret)
                    .statusCode());
            assertEquals(0, inboxRows(bot));

            HttpResponse<String> accepted = post(UPDATE, secret);
            assertEquals(200, accepted.statusCode());
            api.awaitMessageTo(JOHN, "/start");
            assertEquals(1, inboxRows(bot));
        }
    }

    @Test
    void resentUpdateIsHandledOnce() {
        try (FakeTelegramApi api = FakeTelegramApi.start(); Application bot = start(api, true)) {
            int help = api.sendText(JOHN, "/help");
            api.awaitMessageTo(JOHN, "/start");
            api.resend(help);
            api.sendText(JOHN, "/about");
            api.awaitAll(FakeTelegramApi.PUSH, push -> push.status() == 200, 3);
            api.awaitAll("sendMessage", request -> request.chatId() == JOHN.chatId(), 2);
            assertEquals(1, api.messagesTo(JOHN).stream().filter(message -> message.text().contains("/start")
                    && message.text().contains("/help")).count(), "the help text came once: " + api.summary());
        }
    }

    @Test
    void aPushedUpdateIsStoredAsTelegramSentItAndHandledFromThatAfterACrash() throws Exception {
        // A field this library version does not know, as newer Bot API versions add them.
        String update = UPDATE.replace("\"text\":\"/help\"", "\"text\":\"/help\",\"field_from_the_future\":{\"a\":1}");
        String secret;
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            try (Application bot = start(api, true)) {
                secret = api.await("setWebhook", request -> true).body().path("secret_token").asText();
                assertEquals(400, post(update + " {}", secret).statusCode(), "one update and nothing after it");
                assertEquals(200, post(update, secret).statusCode());
                api.awaitMessageTo(JOHN, "/start");
                assertEquals(update, bot.database().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT payload FROM inbox WHERE update_id = 900001").mapTo(String.class).one()));
                // JSON with an id, but not an update the library can read: stored as sent, set aside, and the
                // bot goes on (Telegram would only send it again if it were refused).
                assertEquals(200, post("{\"update_id\":900002,\"message\":\"not an object\"}", secret).statusCode());
                Eventually.await("the unreadable push set aside", () -> handledInbox(bot, 900002) == 1);
                // As if the bot had stopped after storing the update and before handling it.
                bot.database().jdbi().useHandle(handle -> handle.execute("UPDATE inbox SET handled = 0"));
            }
            try (Application bot = start(api, true)) {
                api.awaitAll("sendMessage", request -> request.chatId() == JOHN.chatId(), 2);
                assertEquals(1, handledInbox(bot, 900002), "the unreadable one set aside again, not tried at every start");
            }
            assertEquals(2, api.messagesTo(JOHN).stream().filter(message -> message.text().contains("/start"))
                    .count(), "handled again from the stored JSON: " + api.summary());
        }
    }

    @Test
    void restartKeepsTheGeneratedSecretAndReportsTelegramsDeliveryError() {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            String first;
            try (Application bot = start(api, true)) {
                first = api.await("setWebhook", request -> true).body().path("secret_token").asText();
            }
            api.sendText(JOHN, "/help"); // while the bot is down: Telegram cannot deliver and says so
            api.await(FakeTelegramApi.PUSH, push -> push.status() != 200);
            try (Application bot = start(api, true)) {
                String second = api.awaitAll("setWebhook", request -> true, 2).get(1).body().path("secret_token")
                        .asText();
                assertEquals(first, second);
                api.awaitMessageTo(JOHN, "/start");
                HttpResponse<String> health = Healthz.await(httpPort, response -> response.body().contains("lastError"));
                assertTrue(health.body().contains("\"lastErrorSecondsAgo\":"), health.body());
            }
        }
    }

    @Test
    void whileTelegramRefusesTheWebhookHealthzSaysWebhookModeIsStartingAndTheBotKeepsTrying() {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            for (int i = 0; i < 2; i++) {
                api.failNext("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host");
            }
            try (Application bot = start(api, true)) {
                // The first try failed before start returned; the next comes a second later, the third two after.
                HttpResponse<String> starting = Healthz.get(httpPort);
                assertEquals(200, starting.statusCode(), starting.body());
                assertTrue(starting.body().contains("\"mode\":\"webhook\"") && starting.body().contains("starting"),
                        "not 'polling' while the webhook is being set: " + starting.body());
                api.awaitAll("setWebhook", request -> true, 3);
                api.sendText(JOHN, "/help");
                api.awaitMessageTo(JOHN, "/start");
            }
        }
    }

    @Test
    void updatesPushedOnSeveralConnectionsAtOnceAreEachHandledOnceEvenWhenResent() throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start(); Application bot = start(api, true)) {
            String secret = api.await("setWebhook", request -> true).body().path("secret_token").asText();
            int people = 24;
            List<String> updates = new ArrayList<>();
            for (int person = 0; person < people; person++) {
                long chat = 7_500 + person;
                updates.add(UPDATE.replace("900001", String.valueOf(910_000 + person))
                        .replace("702", String.valueOf(chat)));
            }
            // As Telegram does with max_connections above one, and as it does when an answer is late: each
            // update twice, the two copies side by side in the queue of eight connections, all let go at once.
            List<String> pushes = new ArrayList<>();
            updates.forEach(update -> pushes.addAll(List.of(update, update)));
            ExecutorService connections = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (String update : pushes) {
                    answers.add(connections.submit(() -> {
                        go.await();
                        return post(update, secret);
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> answer : answers) {
                    assertEquals(200, answer.get(30, TimeUnit.SECONDS).statusCode());
                }
            } finally {
                connections.shutdownNow();
            }
            api.awaitAll("sendMessage", request -> request.chatId() >= 7_500 && request.chatId() < 7_500 + people,
                    people);
            assertEquals(people, inboxRows(bot), "each update stored once");
            // Every update handled, and every message it queued answered: a second answer would be there by now.
            for (int person = 0; person < people; person++) {
                HandledUpdates.await(bot, 910_000 + person);
            }
            Eventually.await("the outbox settled", () -> unsettled(bot) == 0);
            for (int person = 0; person < people; person++) {
                long chat = 7_500 + person;
                assertEquals(1, api.requests("sendMessage").stream().filter(request -> request.chatId() == chat)
                        .count(), "one answer to chat " + chat + ": " + api.summary());
            }
        }
    }

    @Test
    void configuredSecretIsUsed() {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            Map<String, String> environment = environment(api, true);
            environment.put("TELEGRAM_WEBHOOK_SECRET", "operator-chosen_secret-1");
            try (Application bot = Application.start(TestSettings.config(environment, folder),
                    MutableClock.at("2026-11-22T09:00:00Z"))) {
                assertEquals("operator-chosen_secret-1",
                        api.await("setWebhook", request -> true).body().path("secret_token").asText());
            }
        }
    }

    @Test
    void switchingBetweenWebhookAndPollingLosesNoUpdate() throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            try (Application bot = start(api, true)) {
                api.sendText(JOHN, "/help");
                api.awaitMessageTo(JOHN, "/start");
            }
            api.sendText(ANNA, "/help"); // Telegram holds it: the webhook is still set
            assertEquals(409, getUpdates(api).statusCode(), "no polling while a webhook is set, as Telegram does");
            try (Application bot = start(api, false)) {
                api.await("deleteWebhook", request -> true);
                api.awaitMessageTo(ANNA, "/start");
                assertTrue(api.webhookUrl().isEmpty());
                api.sendText(JOHN, "/about");
                api.awaitAll("sendMessage", request -> request.chatId() == JOHN.chatId(), 2);
            }
            api.sendText(ANNA, "/about"); // waits in getUpdates' queue until the webhook takes it
            try (Application bot = start(api, true)) {
                api.awaitAll("sendMessage", request -> request.chatId() == ANNA.chatId(), 2);
                assertNotEquals(0, api.requests(FakeTelegramApi.PUSH).size());
            }
            assertEquals(2, api.messagesTo(ANNA).size(), "each update handled once: " + api.summary());
        }
    }

    private Application start(FakeTelegramApi api, boolean webhook) {
        return Application.start(TestSettings.config(environment(api, webhook), folder),
                MutableClock.at("2026-11-22T09:00:00Z"));
    }

    private Map<String, String> environment(FakeTelegramApi api, boolean webhook) {
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("HTTP_PORT", String.valueOf(httpPort));
        if (webhook) {
            environment.put("TELEGRAM_WEBHOOK_URL", "http://127.0.0.1:" + httpPort);
        }
        return environment;
    }

    private HttpResponse<String> post(String body, String secret) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/telegram/webhook"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getUpdates(FakeTelegramApi api) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api.url() + "/bot" + FakeTelegramApi.TOKEN + "/getUpdates"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\":0}")).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int handledInbox(Application bot, int updateId) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT COALESCE(MAX(handled), -1) FROM inbox WHERE update_id = :id").bind("id", updateId)
                .mapTo(Integer.class).one());
    }

    private static int unsettled(Application bot) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE status IN ('pending', 'in_flight')").mapTo(Integer.class).one());
    }

    private static int inboxRows(Application bot) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM inbox")
                .mapTo(Integer.class).one());
    }
}

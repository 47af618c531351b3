package org.forumgateway.api;

import org.forumgateway.Application;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Other systems call the HTTP API of the real application, which sends through the fake Bot API. */
class GatewayApiEndToEndTest {
    static final String KEY = "registration-system-key-0123456789abcdef";
    private static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    private static final FakeUser KZ_DELEGATE = new FakeUser(7201, "Айгерим", "ru");
    private static final FakeUser SUPPORTER = new FakeUser(7203, "지수", "ko");

    @TempDir
    Path folder;
    final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z"); // 09:00 in Seoul: nobody's quiet hours
    FakeTelegramApi api;
    Application bot;
    ApiClient client;

    @BeforeEach
    void start() throws IOException {
        start(Map.of());
    }

    void start(Map<String, String> settings) throws IOException {
        api = FakeTelegramApi.start();
        // A fresh database per start: the fake numbers its updates from 1 again.
        Path home = java.nio.file.Files.createTempDirectory(folder, "run");
        Map<String, String> environment = TestSettings.environment(api, home);
        environment.put("ADMIN_IDS", String.valueOf(ADMIN.id()));
        environment.put("EVENTS_FILE", Schedules.write(home, Schedules.oneEvent("plenary", 50)).toString());
        environment.put("HTTP_PORT", String.valueOf(freePort()));
        environment.put("API_KEYS", "registration:" + KEY);
        environment.putAll(settings);
        bot = Application.start(TestSettings.config(environment, home), clock);
        client = new ApiClient(bot.httpPort().orElseThrow(), Optional.of(KEY));
        for (FakeUser user : List.of(ADMIN, KZ_DELEGATE, SUPPORTER)) {
            api.sendText(user, "/help");
            api.awaitMessageTo(user, "/about");
        }
        bot.database().jdbi().useHandle(handle -> {
            handle.execute("UPDATE users SET role = 'delegate', country = 'KZ' WHERE telegram_id = ?", KZ_DELEGATE.id());
            handle.execute("UPDATE users SET role = 'supporter', cohort_number = 10 WHERE telegram_id = ?", SUPPORTER.id());
        });
    }

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        api.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int count(String table) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + table)
                .mapTo(Integer.class).one());
    }

    int outboxRowsOfApiMessages() {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery("""
                SELECT count(*) FROM outbox o JOIN notifications n ON n.id = o.notification_id
                WHERE n.kind = 'api_message'""").mapTo(Integer.class).one());
    }

    ApiClient.Answer send(String idempotencyKey, String body) {
        return client.post("/v1/messages", idempotencyKey, body);
    }

    /** A new key from /apikey create, read from the bot's answer as the administrator would. */
    String createKeyInChat(String name, String scopes) {
        api.sendText(ADMIN, "/apikey create " + name + " " + scopes);
        RecordedRequest created = api.awaitMessageTo(ADMIN, "is ready");
        Matcher key = Pattern.compile("<code>(fgw_[A-Za-z0-9_-]+)</code>").matcher(created.text());
        assertTrue(key.find(), created.text());
        return key.group(1);
    }

    @Nested
    class Keys {
        @Test
        void noKeyOrAWrongKeyIs401AsAProblem() {
            ApiClient.Answer none = client.withoutKey().get("/v1/messages");
            assertEquals(401, none.status());
            assertTrue(none.contentType().startsWith("application/problem+json"), none.contentType());
            assertEquals(401, none.json().path("status").asInt());
            assertEquals("Bearer", none.header("WWW-Authenticate").orElseThrow());
            assertEquals(401, client.withKey(KEY.replace('0', '1')).get("/v1/messages").status());
            assertFalse(none.body().contains(KEY));
        }

        @Test
        void aKeyFromChatWorksWithItsScopesOnlyAndStopsAtOnceWhenRevoked() {
            String reader = createKeyInChat("website", "read");
            ApiClient website = client.withKey(reader);
            assertEquals(200, website.get("/v1/messages").status());
            ApiClient.Answer refused = website.post("/v1/messages", "k1", "{}");
            assertEquals(403, refused.status());
            assertTrue(refused.json().path("detail").asText().contains("send"), refused.body());

            api.sendText(ADMIN, "/apikey list");
            RecordedRequest list = api.awaitMessageTo(ADMIN, "<b>API keys</b>");
            assertTrue(list.text().contains("website") && list.text().contains("registration"), list.text());
            assertFalse(list.text().contains(reader) || list.text().contains(KEY), "keys are never shown again");

            api.sendText(ADMIN, "/apikey revoke website");
            api.awaitMessageTo(ADMIN, "is revoked");
            assertEquals(401, website.get("/v1/messages").status());
            String audit = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT group_concat(detail, ' | ') FROM audit_log WHERE action LIKE 'apikey.%'")
                    .mapTo(String.class).one());
            assertTrue(audit.contains("website") && !audit.contains(reader), audit);
        }

        @Test
        void onlyAdministratorsManageKeys() {
            api.sendText(KZ_DELEGATE, "/apikey create mine");
            api.awaitMessageTo(KZ_DELEGATE, "администратор");
            assertEquals(0, count("api_keys"));
        }
    }

    @Nested
    class RateLimit {
        @BeforeEach
        void slowKeys() throws IOException {
            stop();
            start(Map.of("API_RATE_PER_SECOND", "0.1", "API_BURST", "2"));
        }

        @Test
        void aKeyOverItsRateGets429WithRetryAfter() {
            assertEquals(200, client.get("/v1/messages").status());
            assertEquals(200, client.get("/v1/messages").status());
            ApiClient.Answer limited = client.get("/v1/messages");
            assertEquals(429, limited.status());
            int retryAfter = Integer.parseInt(limited.header("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
            assertTrue(limited.contentType().startsWith("application/problem+json"));
        }
    }
}

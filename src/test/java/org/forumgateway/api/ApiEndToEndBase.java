package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.forumgateway.Application;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real application with its HTTP API on a free port, three people who have started the bot, and a client with
 * the key of API_KEYS; the fake Bot API receives what it sends.
 */
abstract class ApiEndToEndBase {
    static final String KEY = "registration-system-key-0123456789abcdef";
    static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    static final FakeUser KZ_DELEGATE = new FakeUser(7201, "Айгерим", "ru");
    static final FakeUser SUPPORTER = new FakeUser(7203, "지수", "ko");

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

    /** The administrator adds the bot to {@code group} (as a plain member); returns once the bot has handled it. */
    void botAddedTo(long group) {
        int update = api.changeBotMembership(ADMIN, group, "Forum delegates", "left", "member", false);
        HandledUpdates.await(bot, update);
    }

    ApiClient.Answer send(String idempotencyKey, String body) {
        return client.post("/v1/messages", idempotencyKey, body);
    }

    /** Polls the status endpoint until it matches (the delivery engine works on its own threads). */
    JsonNode awaitMessage(String location, Predicate<JsonNode> matching) {
        return awaitJson(location, matching);
    }

    /**
     * Asks {@code path} again until its answer matches, a few times a second: what the bot settles on its own
     * threads (a delivery's answer, an RSVP pressed in chat) has no event a test could wait on over HTTP. Answers
     * 429 (the key's rate) are passed over.
     */
    JsonNode awaitJson(String path, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        ApiClient.Answer last = client.get(path);
        while ((last.status() == 429 || !matching.test(last.json())) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_PAUSE_NANOS);
            last = client.get(path);
        }
        assertTrue(last.status() != 429 && matching.test(last.json()), path + " never got there: " + last.body());
        return last.json();
    }

    /** A GET answered with something other than 429: polling the status above spends the key's rate. */
    ApiClient.Answer getOnceAllowed(String path) {
        return onceAllowed(() -> client.get(path));
    }

    /** A DELETE answered with something other than 429 (a request refused for the rate did nothing). */
    ApiClient.Answer deleteOnceAllowed(String path) {
        return onceAllowed(() -> client.delete(path));
    }

    private static ApiClient.Answer onceAllowed(Supplier<ApiClient.Answer> request) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        ApiClient.Answer answer = request.get();
        while (answer.status() == 429 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_PAUSE_NANOS);
            answer = request.get();
        }
        return answer;
    }

    /**
     * Between two polls of the HTTP API: fewer than the key's 20 requests a second, so however long a test polls,
     * the key's burst is still there for the requests it makes next (at 20 ms a poll spent it in about two seconds).
     */
    private static final long POLL_PAUSE_NANOS = Duration.ofMillis(60).toNanos();

    /** Creates a link with POST /v1/links and returns its start payload, which the person sends with /start. */
    String link(String body) {
        ApiClient.Answer created = client.post("/v1/links", body);
        assertEquals(201, created.status(), created.body());
        String url = created.json().path("url").asText();
        String prefix = "https://t.me/" + FakeTelegramApi.BOT_USERNAME + "?start=";
        assertTrue(url.startsWith(prefix + "lnk-"), url);
        assertTrue(created.json().path("expires_at").isTextual());
        return url.substring(prefix.length());
    }

    /** A new key from /apikey create, read from the bot's answer as the administrator would. */
    String createKeyInChat(String name, String scopes) {
        api.sendText(ADMIN, "/apikey create " + name + " " + scopes);
        RecordedRequest created = api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().contains("<b>" + name + "</b>") && message.text().contains("is ready"));
        Matcher key = Pattern.compile("<code>(fgw_[A-Za-z0-9_-]+)</code>").matcher(created.text());
        assertTrue(key.find(), created.text());
        return key.group(1);
    }
}

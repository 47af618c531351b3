package org.forumgateway.telegram;

import ch.qos.logback.classic.Level;
import com.sun.net.httpserver.HttpServer;
import org.forumgateway.Application;
import org.forumgateway.config.ConfigException;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.Healthz;
import org.forumgateway.testing.LogCapture;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up while the Bot API cannot be reached: the bot waits for it instead of dying. */
class StartWithoutNetworkEndToEndTest {
    private static final FakeUser ALI = new FakeUser(601, "Ali", "en");

    @TempDir
    Path folder;

    @Test
    void startsWithoutTheBotApiAnswers503AndPollsOnceTheBotApiAnswers() {
        int apiPort = Healthz.freePort();
        int httpPort = Healthz.freePort();
        Map<String, String> environment = environment("http://127.0.0.1:" + apiPort, httpPort);
        try (LogCapture log = LogCapture.of("org.forumgateway.telegram");
             Application bot = Application.start(TestSettings.config(environment, folder),
                     MutableClock.at("2026-11-22T09:00:00Z"))) {
            HttpResponse<String> waiting = Healthz.await(httpPort, response -> response.statusCode() == 503);
            assertTrue(waiting.body().contains("\"telegram\":\"unreachable\""), waiting.body());
            assertTrue(waiting.body().contains("\"status\":\"starting\""), waiting.body());

            try (FakeTelegramApi api = FakeTelegramApi.startOn(apiPort)) {
                api.sendText(ALI, "/help");
                api.awaitMessageTo(ALI, "/start");
                Healthz.await(httpPort, response -> response.statusCode() == 200);
                assertTrue(!api.requests("setMyCommands").isEmpty(), "the menu is registered once it can be");
                assertTrue(!api.requests("deleteWebhook").isEmpty(), "polling starts by removing any webhook");
            }
            List<String> warnings = log.messages(Level.WARN);
            assertEquals(1, warnings.size(), "one line for the first failure, none per retry: " + warnings);
            assertTrue(warnings.get(0).contains("not reachable"), warnings.get(0));
            assertTrue(log.messages(Level.INFO).stream().anyMatch(line -> line.contains("answers again")));
        }
    }

    @Test
    void aLinkAskedForBeforeTheBotReachedTelegramIs503AndStoresNothing() {
        int apiPort = Healthz.freePort();
        int httpPort = Healthz.freePort();
        Map<String, String> environment = environment("http://127.0.0.1:" + apiPort, httpPort);
        String key = "registration-system-key-0123456789abcdef";
        environment.put("API_KEYS", "registration:" + key);
        try (Application bot = Application.start(TestSettings.config(environment, folder),
                MutableClock.at("2026-11-22T09:00:00Z"))) {
            Healthz.await(httpPort, response -> response.statusCode() == 503);
            ApiClient client = new ApiClient(httpPort, Optional.of(key));
            ApiClient.Answer early = client.post("/v1/links", "{\"external_id\": \"reg-kz-1\"}");
            assertEquals(503, early.status(), early.body());
            assertTrue(early.contentType().startsWith("application/problem+json"), early.contentType());
            assertEquals("30", early.header("Retry-After").orElseThrow());
            int stored = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM link_codes").mapTo(Integer.class).one());
            assertEquals(0, stored);

            try (FakeTelegramApi api = FakeTelegramApi.startOn(apiPort)) {
                Healthz.await(httpPort, response -> response.statusCode() == 200);
                ApiClient.Answer later = client.post("/v1/links", "{\"external_id\": \"reg-kz-1\"}");
                assertEquals(201, later.status(), later.body());
                assertTrue(later.json().path("url").asText().startsWith("https://t.me/" + FakeTelegramApi.BOT_USERNAME
                        + "?start=lnk-"), later.body());
            }
        }
    }

    @Test
    void refusedTokenStillStopsStartUpAtOnce() {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            Map<String, String> environment = environment(api.url(), 0);
            environment.put("TELEGRAM_BOT_TOKEN", "987654321:AAAnotherTokenTheFakeDoesNotKnow_0123");
            ConfigException refused = assertThrows(ConfigException.class, () -> Application.start(
                    TestSettings.config(environment, folder), MutableClock.at("2026-11-22T09:00:00Z")));
            assertTrue(refused.getMessage().startsWith("TELEGRAM_BOT_TOKEN was refused"), refused.getMessage());
        }
    }

    @Test
    void aServerThatIsNoBotApiIsNamedAsTheOtherPossibleCause() throws IOException {
        HttpServer notABotApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        notABotApi.createContext("/", exchange -> {
            byte[] body = "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            try (exchange) {
                exchange.getResponseBody().write(body);
            }
        });
        notABotApi.start();
        try {
            Map<String, String> environment = environment("http://127.0.0.1:" + notABotApi.getAddress().getPort(), 0);
            ConfigException refused = assertThrows(ConfigException.class, () -> Application.start(
                    TestSettings.config(environment, folder), MutableClock.at("2026-11-22T09:00:00Z")));
            assertTrue(refused.getMessage().startsWith("TELEGRAM_BOT_TOKEN was refused"), refused.getMessage());
            assertTrue(refused.getMessage().endsWith(", or TELEGRAM_API_URL is not a Bot API server"),
                    refused.getMessage());
        } finally {
            notABotApi.stop(0);
        }
    }

    private Map<String, String> environment(String apiUrl, int httpPort) {
        Map<String, String> environment = TestSettings.environment(apiUrl, folder);
        environment.put("HTTP_PORT", String.valueOf(httpPort));
        return environment;
    }
}

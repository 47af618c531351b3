package org.forumgateway.web;

import org.forumgateway.Application;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthCheckEndToEndTest {
    @TempDir
    Path folder;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthyWhileTheBotApiAnswersAndUnhealthyWhenItDoesNot() throws Exception {
        FakeTelegramApi api = FakeTelegramApi.start();
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("HTTP_PORT", String.valueOf(freePort()));
        try (Application bot = Application.start(TestSettings.config(environment, folder),
                MutableClock.at("2026-11-22T09:00:00Z"))) {
            api.sendText(new FakeUser(1, "Ali", "uz"), "/help");
            api.await("sendMessage", request -> true);
            HttpResponse<String> healthy = get(bot, "/healthz");
            assertEquals(200, healthy.statusCode());
            assertTrue(healthy.body().startsWith("{\"status\":\"ok\",\"database\":\"ok\",\"telegram\":\"ok\","
                    + "\"updates\":{\"mode\":\"polling\","), healthy.body());
            assertTrue(healthy.body().endsWith("\"status\":\"ok\"},\"delivery\":\"ok\"}"), healthy.body());
            assertTrue(healthy.body().contains("\"lastPollSecondsAgo\":"), healthy.body());
            assertTrue(healthy.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));

            api.close();
            HttpResponse<String> unhealthy = awaitStatus(bot, 503);
            assertTrue(unhealthy.body().contains("\"telegram\":\"unreachable\""), unhealthy.body());
            assertEquals(404, get(bot, "/nothing-here").statusCode());
        }
    }

    @Test
    void aWebhookSetOnTheTokenElsewhereMakesPollingUnhealthyAndSaysWhy() throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            Map<String, String> environment = TestSettings.environment(api, folder);
            environment.put("HTTP_PORT", String.valueOf(freePort()));
            MutableClock clock = MutableClock.at("2026-11-22T09:00:00Z");
            try (Application bot = Application.start(TestSettings.config(environment, folder), clock)) {
                api.sendText(new FakeUser(1, "Ali", "uz"), "/help");
                api.await("sendMessage", request -> true);
                assertEquals(200, get(bot, "/healthz").statusCode());

                // Another program (or a second bot in webhook mode) took the token: every poll is refused with 409.
                api.webhookSetElsewhere("https://elsewhere.example.org/hook");
                HttpResponse<String> conflict = awaitStatus(bot, 503);
                assertTrue(conflict.body().contains("\"updates\":{\"mode\":\"polling\"")
                        && conflict.body().contains("\"status\":\"conflict\""), conflict.body());
                assertTrue(conflict.body().contains("\"conflictSecondsAgo\":"), conflict.body());

                api.webhookSetElsewhere(null);
                clock.advance(Duration.ofMinutes(3)); // past the conflict's memory, polling again meanwhile
                api.sendText(new FakeUser(2, "Aida", "ky"), "/help");
                api.awaitAll("sendMessage", request -> true, 2);
                assertEquals(200, awaitStatus(bot, 200).statusCode());
            }
        }
    }

    /** The first answer of {@code /healthz} with {@code status}; fails if none comes within Eventually's patience. */
    private HttpResponse<String> awaitStatus(Application bot, int status) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Eventually.await("/healthz answering " + status, () -> {
            try {
                last.set(get(bot, "/healthz"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return last.get().statusCode() == status;
        });
        assertEquals(status, last.get().statusCode());
        return last.get();
    }

    private HttpResponse<String> get(Application bot, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + bot.httpPort().orElseThrow() + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

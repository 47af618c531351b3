package org.forumgateway.metrics;

import org.forumgateway.Application;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics of the real application, in the Prometheus text format, behind METRICS_TOKEN. */
class MetricsEndToEndTest {
    private static final String API_KEY = "metrics-test-key-0123456789abcdefghij";
    private static final String TOKEN = "metrics-token-0123456789abcdefghijklmn";

    @TempDir
    Path folder;

    @Test
    void countsDeliveriesUpdatesAndRequestsByRoutePatternBehindTheToken() throws IOException {
        FakeTelegramApi api = FakeTelegramApi.start();
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("HTTP_PORT", String.valueOf(freePort()));
        environment.put("API_KEYS", "crm:" + API_KEY);
        environment.put("METRICS_TOKEN", TOKEN);
        try (Application bot = Application.start(TestSettings.config(environment, folder),
                MutableClock.at("2026-12-01T00:00:00Z"))) {
            FakeUser user = new FakeUser(5101, "Aigerim", "en");
            api.sendText(user, "/help");
            api.awaitMessageTo(user, "/about");
            ApiClient client = new ApiClient(bot.httpPort().orElseThrow(), Optional.of(API_KEY));
            ApiClient.Answer sent = client.post("/v1/messages", "m-1",
                    "{\"to\": {\"telegram_id\": 5101}, \"text\": \"Counted\"}");
            api.await("sendMessage", m -> m.chatId() == user.id() && m.text().equals("Counted"));
            client.get(sent.header("Location").orElseThrow());

            ApiClient.Answer refused = client.withoutKey().get("/metrics");
            assertEquals(401, refused.status());
            assertEquals(401, client.withKey(TOKEN.replace('0', '9')).get("/metrics").status());

            String text = client.withKey(TOKEN).get("/metrics").body();
            assertTrue(text.contains("forumgw_deliveries_total{status=\"sent\"}"), text);
            assertTrue(text.contains("forumgw_updates_total"), text);
            assertTrue(text.contains("forumgw_outbox_pending"), text);
            assertTrue(text.contains("forumgw_telegram_errors_total"), text);
            assertTrue(text.contains("forumgw_webhook_deliveries_total"), text);
            assertTrue(text.contains("forumgw_http_requests_total{route=\"/v1/messages/{id}\",status=\"200\"} 1.0"),
                    text);
            assertTrue(text.contains("forumgw_http_requests_total{route=\"/v1/messages\",status=\"202\"} 1.0"), text);
            assertTrue(text.contains("jvm_memory_used_bytes"), text);
            assertFalse(text.contains("/v1/messages/1\""), "raw paths are never labels");
            assertFalse(text.contains("5101") || text.contains(API_KEY), "no user ids or keys");
        } finally {
            api.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.forumgateway.api;

import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys, scopes and rate limits of the HTTP API, against the real application. */
class GatewayApiEndToEndTest extends ApiEndToEndBase {
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
            Eventually.await("the message that showed the key blanked", () -> outboxRowsHolding(reader) == 0);
            assertEquals(0, outboxRowsHolding(reader), "the message that showed the key is blanked once sent");
            String audit = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT group_concat(detail, ' | ') FROM audit_log WHERE action LIKE 'apikey.%'")
                    .mapTo(String.class).one());
            assertTrue(audit.contains("website") && !audit.contains(reader), audit);
        }

        @Test
        void theMessageThatShowedANewKeyLeavesTheChatAfterItsTime() {
            api.sendText(ADMIN, "/apikey create website read");
            RecordedRequest shown = api.awaitMessageTo(ADMIN, "is ready");
            assertTrue(shown.text().contains("deleted in 10 minutes"), shown.text());
            Eventually.await("the message that showed the key blanked", () -> count("outbox") > 0
                    && outboxRowsHolding(ApiKeys.PREFIX) == 0);
            assertTrue(api.requests("deleteMessage").isEmpty(), "still within its time in the chat");

            clock.advance(ApiKeys.SHOWN_FOR);
            RecordedRequest deleted = api.await("deleteMessage", request -> request.chatId() == ADMIN.chatId());
            assertEquals(shown.messageId(), deleted.messageId());
        }

        private int outboxRowsHolding(String secret) {
            return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM outbox WHERE instr(payload, :secret) > 0").bind("secret", secret)
                    .mapTo(Integer.class).one());
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

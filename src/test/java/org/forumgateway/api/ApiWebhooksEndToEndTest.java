package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the HTTP API does reaches other systems as signed webhooks: a link pressed, an API message finished. */
class ApiWebhooksEndToEndTest extends ApiEndToEndBase {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final FakeUser NURLAN = new FakeUser(7301, "Нурлан", "ru");
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookReceiver receiver;

    @BeforeEach
    @Override
    void start() throws IOException {
        receiver = WebhookReceiver.start();
        start(Map.of("WEBHOOK_URL", receiver.url(), "WEBHOOK_SECRET", SECRET));
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    private JsonNode onlyEvent() throws IOException {
        List<WebhookReceiver.Received> received = receiver.await(1, PATIENCE);
        assertTrue(WebhookReceiver.verifies(received.get(0), SECRET), received.get(0).toString());
        return JSON.readTree(received.get(0).body());
    }

    @Test
    void pressingStartOnALinkPublishesUserLinkedWithTheExternalId() throws IOException {
        ApiClient.Answer created = client.post("/v1/links", "{\"external_id\": \"reg-kz-17\"}");
        assertEquals(201, created.status(), created.body());
        String payload = created.json().path("url").asText()
                .substring(("https://t.me/" + FakeTelegramApi.BOT_USERNAME + "?start=").length());
        api.sendText(NURLAN, "/start " + payload);
        api.awaitMessageTo(NURLAN, "связан с вашей регистрацией");

        JsonNode body = onlyEvent();
        assertEquals("user.linked", body.path("type").asText(), body.toString());
        assertEquals(NURLAN.id(), body.path("data").path("telegram_id").asLong(), body.toString());
        assertEquals("reg-kz-17", body.path("data").path("external_id").asText(), body.toString());
    }

    @Test
    void aDeliveredApiMessagePublishesMessageCompletedWithItsIdAndCounts() throws IOException {
        ApiClient.Answer accepted = send("hello-1", "{\"to\": {\"telegram_id\": " + KZ_DELEGATE.id()
                + "}, \"text\": \"The plenary starts at 10:00.\"}");
        assertEquals(202, accepted.status(), accepted.body());
        api.await("sendMessage", m -> m.chatId() == KZ_DELEGATE.id() && m.text().equals("The plenary starts at 10:00."));

        JsonNode body = onlyEvent();
        assertEquals("message.completed", body.path("type").asText(), body.toString());
        assertEquals("api", body.path("data").path("source").asText(), body.toString());
        assertEquals(accepted.json().path("id").asText(), body.path("data").path("message_id").asText());
        JsonNode counts = body.path("data").path("counts");
        assertEquals(1, counts.path("total").asInt(), body.toString());
        assertEquals(1, counts.path("sent").asInt(), body.toString());
        assertEquals("done", client.get(accepted.header("Location").orElseThrow()).json().path("status").asText());
    }
}

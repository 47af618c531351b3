package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the HTTP API does reaches other systems as signed webhooks: a link pressed, an API message finished, and the
 * answers of the people it linked, by their external id.
 */
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
        // One request on the wire at a time, so a message's second part waits while its first is with Telegram.
        start(Map.of("WEBHOOK_URL", receiver.url(), "WEBHOOK_SECRET", SECRET, "DELIVERY_MAX_IN_FLIGHT", "1"));
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    /** A link from {@code POST /v1/links} for {@code externalId}, opened by a Russian-speaking {@code user}. */
    private void linkByDeepLink(FakeUser user, String externalId) {
        api.sendText(user, "/start " + link("{\"external_id\": \"" + externalId + "\"}"));
        api.awaitMessageTo(user, "связан с вашей регистрацией");
    }

    @Test
    void pressingStartOnALinkPublishesUserLinkedWithTheExternalId() throws IOException {
        linkByDeepLink(NURLAN, "reg-kz-17");

        JsonNode body = signedEvent("user.linked", 1);
        assertEquals("user.linked", body.path("type").asText(), body.toString());
        assertEquals(NURLAN.id(), body.path("data").path("telegram_id").asLong(), body.toString());
        assertEquals("reg-kz-17", body.path("data").path("external_id").asText(), body.toString());
    }

    @Test
    void erasingAPersonPublishesUserErasedWithEveryIdTheSystemsLinkedToThem() throws IOException {
        linkByDeepLink(NURLAN, "reg-kz-17");
        assertEquals(204, client.delete("/v1/people/reg-kz-17").status());

        JsonNode body = signedEvent("user.erased", 2); // after user.linked
        assertEquals(NURLAN.id(), body.path("data").path("telegram_id").asLong(), body.toString());
        assertEquals("[\"reg-kz-17\"]", body.path("data").path("external_ids").toString(), body.toString());
    }

    /** Opens the plenary's card in chat and presses its {@code going} button, labelled in the user's language. */
    private void answerGoing(FakeUser user, String goingLabel) {
        api.sendText(user, "/event plenary");
        RecordedRequest card = api.await("sendMessage", message -> message.chatId() == user.chatId()
                && message.buttons().stream().anyMatch(button -> button.callbackData().endsWith(":plenary")));
        api.pressButton(user, card.messageId(), card.button(goingLabel).callbackData());
    }

    /**
     * The one signed webhook of {@code type} among the first {@code count} that arrived (in any order), after checking
     * it is what the OpenAPI document's {@code webhooks} section says an event of its type looks like.
     */
    private JsonNode signedEvent(String type, int count) throws IOException {
        List<JsonNode> matching = new ArrayList<>();
        for (WebhookReceiver.Received received : receiver.await(count, PATIENCE)) {
            assertTrue(WebhookReceiver.verifies(received, SECRET), received.toString());
            JsonNode body = JSON.readTree(received.body());
            if (body.path("type").asText().equals(type)) {
                matching.add(body);
            }
        }
        assertEquals(1, matching.size(), matching.toString());
        JsonNode document = JSON.readTree(client.withoutKey().get("/v1/openapi.json").body());
        List<Error> errors = OpenApiSchemas.errors(document, "/webhooks/" + OpenApiSchemas.token(type)
                + "/post/requestBody/content/application~1json/schema", matching.get(0).toString());
        assertTrue(errors.isEmpty(), type + " as documented: " + errors + "\n" + matching.get(0));
        return matching.get(0);
    }

    @Test
    void aLinkedDelegatesRsvpCarriesTheExternalIdTheyWereLinkedTo() throws IOException {
        linkByDeepLink(KZ_DELEGATE, "reg-kz-17");

        answerGoing(KZ_DELEGATE, "Приму участие");

        JsonNode body = signedEvent("rsvp.changed", 2); // after user.linked
        JsonNode data = body.path("data");
        assertEquals("plenary", data.path("event_key").asText(), body.toString());
        assertEquals(KZ_DELEGATE.id(), data.path("telegram_id").asLong(), body.toString());
        assertEquals("reg-kz-17", data.path("external_id").asText(), body.toString());
        assertEquals("going", data.path("status").asText(), body.toString());
    }

    @Test
    void aPersonLinkedByTwoSystemsCarriesEachSystemsIdByItsKeysName() throws IOException {
        linkByDeepLink(KZ_DELEGATE, "reg-kz-17");
        ApiClient website = new ApiClient(bot.httpPort().orElseThrow(), Optional.of(createKeyInChat("website",
                "links")));
        ApiClient.Answer created = website.post("/v1/links", "{\"external_id\": \"web-77\"}");
        assertEquals(201, created.status(), created.body());
        String url = created.json().path("url").asText();
        api.sendText(KZ_DELEGATE, "/start " + url.substring(url.indexOf("start=") + "start=".length()));
        api.awaitAll("sendMessage", m -> m.chatId() == KZ_DELEGATE.chatId()
                && m.text().contains("связан с вашей регистрацией"), 2);

        answerGoing(KZ_DELEGATE, "Приму участие");

        JsonNode data = signedEvent("rsvp.changed", 3).path("data"); // after the two user.linked
        assertEquals("web-77", data.path("external_id").asText(), "the last link, the website's: " + data);
        assertEquals("{\"registration\":\"reg-kz-17\",\"website\":\"web-77\"}", data.path("linked_ids").toString());
    }

    @Test
    void anUnlinkedPersonsRsvpCarriesANullExternalId() throws IOException {
        answerGoing(SUPPORTER, "참석");

        JsonNode body = signedEvent("rsvp.changed", 1);
        JsonNode data = body.path("data");
        assertEquals(SUPPORTER.id(), data.path("telegram_id").asLong(), body.toString());
        assertTrue(data.has("external_id") && data.path("external_id").isNull(), body.toString());
        assertEquals("going", data.path("status").asText(), body.toString());
    }

    @Test
    void aFailedDeliveryNamesTheApiMessageAndThePersonAsTheSenderKnowsThem() throws IOException {
        linkByDeepLink(KZ_DELEGATE, "reg-kz-17");
        Eventually.await("every answer to the link sent", () -> bot.database().jdbi().withHandle(handle ->
                handle.createQuery("SELECT count(*) FROM outbox WHERE status IN ('pending', 'in_flight')")
                        .mapTo(Integer.class).one()) == 0);
        api.failNext("sendMessage", 400, "Bad Request: chat not found"); // the next one: the API message
        ApiClient.Answer accepted = send("refused-1", "{\"to\": {\"external_id\": \"reg-kz-17\"}, "
                + "\"text\": \"Badge pick-up at desk 3.\"}");
        assertEquals(202, accepted.status(), accepted.body());

        JsonNode data = signedEvent("delivery.failed", 3).path("data"); // after user.linked; with message.completed
        assertEquals("api", data.path("source").asText(), data.toString());
        assertEquals(accepted.json().path("id").asText(), data.path("message_id").asText(), data.toString());
        assertEquals(KZ_DELEGATE.id(), data.path("telegram_id").asLong(), data.toString());
        assertEquals("reg-kz-17", data.path("external_id").asText(), data.toString());
        assertTrue(data.path("error").asText().contains("chat not found"), data.toString());
    }

    @Test
    void aSplitTextRefusedInEveryPartIsOneFailedDelivery() throws IOException {
        Eventually.await("every answer to the start sent", () -> bot.database().jdbi().withHandle(handle ->
                handle.createQuery("SELECT count(*) FROM outbox WHERE status IN ('pending', 'in_flight')")
                        .mapTo(Integer.class).one()) == 0);
        api.failNext("sendMessage", 400, "Bad Request: chat not found");
        api.failNext("sendMessage", 400, "Bad Request: chat not found");
        ApiClient.Answer accepted = send("split-refused", ApiClient.json(java.util.Map.of(
                "to", java.util.Map.of("telegram_id", KZ_DELEGATE.id()), "text", "Programme. ".repeat(500))));
        assertEquals(2, accepted.json().path("parts").asInt(), accepted.body());

        // One delivery.failed, then message.completed: a second delivery.failed would come before it.
        JsonNode completed = signedEvent("message.completed", 2).path("data");
        assertEquals(1, completed.path("counts").path("failed").asInt(), completed.toString());
        int failedEvents = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM webhook_deliveries WHERE event_type = 'delivery.failed'").mapTo(Integer.class)
                .one());
        assertEquals(1, failedEvents);
        int failedParts = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE status = 'failed'").mapTo(Integer.class).one());
        assertEquals(2, failedParts, "both parts were tried and refused");
    }

    @Test
    void aDeliveredApiMessagePublishesMessageCompletedWithItsIdAndCounts() throws IOException {
        ApiClient.Answer accepted = send("hello-1", "{\"to\": {\"telegram_id\": " + KZ_DELEGATE.id()
                + "}, \"text\": \"The plenary starts at 10:00.\", \"reference\": \"crm-4411\"}");
        assertEquals(202, accepted.status(), accepted.body());
        api.await("sendMessage", m -> m.chatId() == KZ_DELEGATE.id() && m.text().equals("The plenary starts at 10:00."));

        JsonNode body = signedEvent("message.completed", 1);
        assertEquals("message.completed", body.path("type").asText(), body.toString());
        assertEquals("api", body.path("data").path("source").asText(), body.toString());
        assertEquals(accepted.json().path("id").asText(), body.path("data").path("message_id").asText());
        assertEquals("crm-4411", body.path("data").path("reference").asText(), "echoed back: " + body);
        JsonNode counts = body.path("data").path("counts");
        assertEquals(1, counts.path("total").asInt(), body.toString());
        assertEquals(1, counts.path("sent").asInt(), body.toString());
        assertEquals("done", body.path("data").path("status").asText(), body.toString());
        assertEquals("done", client.get(accepted.header("Location").orElseThrow()).json().path("status").asText());
    }

    @Test
    void aCancelledApiMessagePublishesMessageCompletedWithWhatItCancelled() throws IOException {
        clock.set(Instant.parse("2026-12-01T14:00:00Z")); // 23:00 in Seoul: quiet hours hold the message
        ApiClient.Answer held = send("held-1", "{\"to\": {\"telegram_id\": " + SUPPORTER.id()
                + "}, \"text\": \"Tomorrow at 9.\"}");
        assertEquals(202, held.status(), held.body());
        ApiClient.Answer cancelled = client.delete(held.header("Location").orElseThrow());
        assertEquals(200, cancelled.status(), cancelled.body());

        JsonNode body = signedEvent("message.completed", 1);
        JsonNode data = body.path("data");
        assertEquals(held.json().path("id").asText(), data.path("message_id").asText(), body.toString());
        assertTrue(data.has("reference") && data.path("reference").isNull(), "none was given: " + body);
        assertEquals("cancelled", data.path("status").asText(), body.toString());
        assertEquals(1, data.path("counts").path("total").asInt(), body.toString());
        assertEquals(1, data.path("counts").path("cancelled").asInt(), body.toString());
        assertEquals(0, data.path("counts").path("sent").asInt(), body.toString());
        client.get(held.header("Location").orElseThrow()); // a view of the settled message publishes nothing more
        assertEquals(1, completedEventsQueued());
    }

    @Test
    void aMessageCancelledWhileTelegramHasPartOfItPublishesMessageCompletedOnlyOnceThatPartIsSettled()
            throws IOException {
        FakeTelegramApi.Hold first = api.hold(KZ_DELEGATE.chatId());
        ApiClient.Answer accepted = send("long-1", "{\"to\": {\"telegram_id\": " + KZ_DELEGATE.id()
                + "}, \"text\": \"" + "Programme of the plenary. ".repeat(200) + "\"}");
        assertEquals(2, accepted.json().path("parts").asInt(), accepted.body());
        // The first part is with Telegram (held unanswered); the second waits for a free place on the wire.
        long id = accepted.json().path("id").asLong();
        first.awaitArrival();
        assertEquals(List.of("in_flight", "pending"), outboxStatuses(id));

        ApiClient.Answer cancelled = client.delete(accepted.header("Location").orElseThrow());
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals(0, completedEventsQueued(), "not while a part is still with Telegram");
        first.release();

        JsonNode data = signedEvent("message.completed", 1).path("data");
        assertEquals("cancelled", data.path("status").asText(), data.toString());
        // Counted by recipient, as the deliveries list says it: one person, whose text arrived only in part.
        JsonNode counts = data.path("counts");
        assertEquals(1, counts.path("total").asInt(), data.toString());
        assertEquals(0, counts.path("sent").asInt(), data.toString());
        assertEquals(1, counts.path("cancelled").asInt(), data.toString());
        ApiClient.Answer view = client.get(accepted.header("Location").orElseThrow());
        assertEquals(counts.path("cancelled").asInt(), view.json().path("counts").path("cancelled").asInt(), view.body());
        assertEquals(0, view.json().path("counts").path("sent").asInt(), view.body());
        ApiClient.Answer deliveries = client.get(accepted.header("Location").orElseThrow() + "/deliveries");
        assertEquals("cancelled", deliveries.json().path("items").path(0).path("status").asText(), deliveries.body());
        assertEquals(1, completedEventsQueued());
    }

    @Test
    void aDeleteWhileTheOnlyPartIsWithTelegramCancelsNothingAndChangesNothing() throws IOException {
        FakeTelegramApi.Hold withTelegram = api.hold(KZ_DELEGATE.chatId());
        ApiClient.Answer accepted = send("short-1", "{\"to\": {\"telegram_id\": " + KZ_DELEGATE.id()
                + "}, \"text\": \"Lunch is served in hall B.\"}");
        withTelegram.awaitArrival();

        ApiClient.Answer refused = client.delete(accepted.header("Location").orElseThrow());
        assertEquals(409, refused.status(), refused.body());
        withTelegram.release();
        JsonNode data = signedEvent("message.completed", 1).path("data");
        assertEquals("done", data.path("status").asText(), data.toString());
        assertEquals(1, data.path("counts").path("sent").asInt(), data.toString());
        int cancelled = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM notifications WHERE cancelled_at IS NOT NULL").mapTo(Integer.class).one());
        assertEquals(0, cancelled);
    }

    /** The states of the outbox rows of API message {@code id}, part by part. */
    private List<String> outboxStatuses(long id) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT o.status FROM outbox o JOIN api_messages m ON m.notification_id = o.notification_id
                        WHERE m.id = :id ORDER BY o.id""")
                .bind("id", id).mapTo(String.class).list());
    }

    /** message.completed events stored for delivery (in the transaction that publishes them). */
    private int completedEventsQueued() {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM webhook_deliveries WHERE event_type = 'message.completed'")
                .mapTo(Integer.class).one());
    }

    @Test
    void aScheduledApiMessageCancelledBeforeItsTimePublishesMessageCompleted() throws IOException {
        ApiClient.Answer scheduled = send("later-1", "{\"to\": {\"telegram_id\": " + KZ_DELEGATE.id()
                + "}, \"text\": \"Later\", \"send_at\": \"" + clock.instant().plus(Duration.ofHours(1)) + "\"}");
        assertEquals(202, scheduled.status(), scheduled.body());
        assertEquals(200, client.delete(scheduled.header("Location").orElseThrow()).status());

        JsonNode data = signedEvent("message.completed", 1).path("data");
        assertEquals(scheduled.json().path("id").asText(), data.path("message_id").asText(), data.toString());
        assertEquals("cancelled", data.path("status").asText(), data.toString());
        assertEquals(1, data.path("counts").path("cancelled").asInt(), data.toString());
        assertEquals(1, completedEventsQueued());
    }
}

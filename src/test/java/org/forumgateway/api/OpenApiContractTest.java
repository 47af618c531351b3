package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document served at /v1/openapi.json describes what the API really answers: real answers of every
 * endpoint, successes and problems, are validated against the document's own schemas (JSON Schema 2020-12).
 */
class OpenApiContractTest extends ApiEndToEndBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode document() throws IOException {
        ApiClient.Answer served = client.withoutKey().get("/v1/openapi.json");
        assertEquals(200, served.status());
        return JSON.readTree(served.body());
    }

    /** Validates an answer against the schema the document gives for this path, method, status and content type. */
    private void conforms(JsonNode document, String path, String method, ApiClient.Answer answer) throws IOException {
        String contentType = answer.contentType().split(";")[0].strip();
        JsonNode response = document.path("paths").path(path).path(method).path("responses")
                .path(String.valueOf(answer.status()));
        assertTrue(response.isObject(), method + " " + path + " does not document " + answer.status());
        assertTrue(response.path("content").has(contentType),
                method + " " + path + " " + answer.status() + " does not document " + contentType);
        List<Error> errors = errors(document, path, method, answer.status(), contentType, answer.body());
        assertTrue(errors.isEmpty(), method + " " + path + " " + answer.status() + ": " + errors + "\n" + answer.body());
    }

    private List<Error> errors(JsonNode document, String path, String method, int status, String contentType,
                               String body) throws IOException {
        return OpenApiSchemas.errors(document, "/paths/" + OpenApiSchemas.token(path) + "/" + method + "/responses/"
                + status + "/content/" + OpenApiSchemas.token(contentType) + "/schema", body);
    }

    @Test
    void theValidatorRefusesWhatTheDocumentDoesNotAllow() throws IOException {
        JsonNode document = document();
        assertTrue(!errors(document, "/v1/messages", "post", 202, "application/json",
                "{\"id\": \"7\", \"status\": \"queued\", \"recipients\": 1, \"parts\": 1, \"reference\": null}")
                .isEmpty(), "a string id is not the documented integer");
        assertTrue(!errors(document, "/v1/messages/{id}", "get", 200, "application/json", "{\"id\": 7}").isEmpty(),
                "required fields are checked through $ref");
        String problem = "{\"type\": \"urn:x\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"d\", "
                + "\"errors\": [%s]}";
        assertTrue(errors(document, "/v1/messages", "get", 400, "application/problem+json",
                problem.formatted("{\"parameter\": \"state\", \"detail\": \"d\"}")).isEmpty());
        assertTrue(!errors(document, "/v1/messages", "get", 400, "application/problem+json",
                problem.formatted("{\"detail\": \"d\"}")).isEmpty(), "an error names a field or a parameter");
    }

    /** Validates a request body against the document's MessageRequest schema. */
    private List<Error> requestErrors(JsonNode document, String body) throws IOException {
        return OpenApiSchemas.errors(document, "/paths/~1v1~1messages/post/requestBody/content/application~1json/schema",
                body);
    }

    @Test
    void mediaTheServerAcceptsAreDocumentedAndMediaItRefusesAreNot() throws IOException {
        JsonNode document = document();
        String photo = "{\"to\": {\"telegram_id\": 7201}, \"text\": \"<b>Poster</b>\", "
                + "\"media\": [{\"type\": \"photo\", \"file_id\": \"AgACAgIAAxkBAAIBposter\"}]}";
        String album = "{\"to\": {\"audience\": \"all\"}, \"media\": [{\"type\": \"photo\", "
                + "\"url\": \"https://example.org/1.jpg\"}, {\"type\": \"video\", \"file_id\": \"v2\"}]}";
        for (String body : List.of(photo, album)) {
            assertTrue(requestErrors(document, body).isEmpty(), body + ": " + requestErrors(document, body));
            conforms(document, "/v1/messages", "post", send("media-" + body.hashCode(), body));
        }
        for (String media : List.of("[{\"type\": \"audio\", \"file_id\": \"a\"}]",
                "[{\"type\": \"photo\", \"file_id\": \"a\", \"url\": \"https://example.org/a.jpg\"}]",
                "[{\"type\": \"photo\"}]", "[{\"type\": \"photo\", \"url\": \"http://example.org/a.jpg\"}]",
                "[]")) {
            String body = "{\"to\": {\"telegram_id\": 7201}, \"media\": " + media + "}";
            assertTrue(!requestErrors(document, body).isEmpty(), "the document allows " + body);
            ApiClient.Answer refused = send("refused-" + body.hashCode(), body);
            assertEquals(400, refused.status(), body + " -> " + refused.body());
            conforms(document, "/v1/messages", "post", refused);
        }
    }

    @Test
    void theWebhookSchemasRefuseWhatTheDocumentDoesNotAllow() throws IOException {
        JsonNode document = document();
        String pointer = "/webhooks/rsvp.changed/post/requestBody/content/application~1json/schema";
        String body = "{\"type\": \"%s\", \"timestamp\": \"2026-12-01T09:30:00Z\", \"data\": {\"event_key\": \"plenary\","
                + " \"telegram_id\": 7201, %s\"status\": \"going\"}}";
        assertTrue(OpenApiSchemas.errors(document, pointer, body.formatted("rsvp.changed",
                "\"external_id\": null, \"linked_ids\": {}, ")).isEmpty(), "an unlinked person's answer");
        assertTrue(!OpenApiSchemas.errors(document, pointer, body.formatted("rsvp.changed", "\"linked_ids\": {}, "))
                .isEmpty(), "external_id is always there, null when not linked");
        assertTrue(!OpenApiSchemas.errors(document, pointer, body.formatted("rsvp.changed", "\"external_id\": null, "))
                .isEmpty(), "linked_ids is always there, empty when nobody linked them");
        assertTrue(!OpenApiSchemas.errors(document, pointer, body.formatted("rsvp.changed",
                "\"external_id\": \"r-1\", \"linked_ids\": {\"registration\": 7}, ")).isEmpty(), "ids are strings");
        assertTrue(!OpenApiSchemas.errors(document, pointer, body.formatted("user.linked",
                "\"external_id\": \"r-1\", \"linked_ids\": {}, ")).isEmpty(), "the type names the event");
    }

    @Test
    void everyEndpointAnswersAsDocumented() throws IOException {
        JsonNode document = document();
        assertEquals("3.1.0", document.path("openapi").asText());

        ApiClient.Answer link = client.post("/v1/links", "{\"external_id\": \"reg-1\", \"role\": \"delegate\"}");
        conforms(document, "/v1/links", "post", link);
        String payload = link.json().path("url").asText().substring(("https://t.me/" + FakeTelegramApi.BOT_USERNAME
                + "?start=").length());
        FakeUser person = new FakeUser(7401, "Aziz", "en");
        api.sendText(person, "/start " + payload);
        api.awaitMessageTo(person, "linked to your registration");
        conforms(document, "/v1/people/{external_id}", "get", client.get("/v1/people/reg-1"));
        conforms(document, "/v1/people/{external_id}", "get", client.get("/v1/people/nobody"));

        ApiClient.Answer sent = send("c-1", "{\"to\": {\"external_id\": \"reg-1\"}, \"text\": \"Hi\", "
                + "\"reference\": \"r\", \"buttons\": [{\"text\": \"Site\", \"url\": \"https://example.org\"}]}");
        conforms(document, "/v1/messages", "post", sent);
        conforms(document, "/v1/messages", "post", client.post("/v1/messages?dry_run=true", "c-2",
                "{\"to\": {\"audience\": \"all\"}, \"text\": \"Hi\"}"));
        String location = sent.header("Location").orElseThrow();
        api.await("sendMessage", m -> m.chatId() == person.id() && m.text().equals("Hi"));
        conforms(document, "/v1/messages/{id}", "get", client.get(location));
        conforms(document, "/v1/messages/{id}/deliveries", "get", client.get(location + "/deliveries"));
        conforms(document, "/v1/messages", "get", client.get("/v1/messages?limit=1"));
        ApiClient.Answer later = send("c-3", "{\"to\": {\"audience\": \"all\"}, \"text\": \"Later\", "
                + "\"send_at\": \"" + clock.instant().plusSeconds(3600) + "\"}");
        conforms(document, "/v1/messages/{id}", "delete", client.delete(later.header("Location").orElseThrow()));
        conforms(document, "/v1/events", "get", client.get("/v1/events"));
        conforms(document, "/v1/events/{key}/rsvps", "get", client.get("/v1/events/plenary/rsvps"));

        // Problems are documented too.
        conforms(document, "/v1/messages", "post", send("c-4", "{\"to\": {\"telegram_id\": \"x\"}, \"text\": 1}"));
        conforms(document, "/v1/messages", "post", send("c-1", "{\"to\": {\"telegram_id\": 9001}, \"text\": \"Other\"}"));
        conforms(document, "/v1/messages", "get", client.withoutKey().get("/v1/messages"));
        conforms(document, "/v1/messages/{id}", "get", client.get("/v1/messages/424242"));
        conforms(document, "/v1/messages/{id}", "delete", client.delete(later.header("Location").orElseThrow()));
        conforms(document, "/v1/events/{key}/rsvps", "get", client.get("/v1/events/none/rsvps"));
        conforms(document, "/v1/messages", "get", client.get("/v1/messages?state=done&limit=0"));
        conforms(document, "/v1/messages/{id}", "get", client.get(location + "?verbose=1"));
        conforms(document, "/v1/messages", "post", client.send(client.builder("/v1/messages")
                .header("Idempotency-Key", "c-5").header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))));
    }
}

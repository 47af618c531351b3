package org.forumgateway.api;

import org.forumgateway.testing.ApiClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /v1/messages to groups: only to groups the bot knows it is in, by chat id or by audience terms. */
class GroupMessagesEndToEndTest extends ApiEndToEndBase {
    private static final long GROUP = -1_001_000_000_001L;

    @Test
    void aChatIdTheBotIsNotKnownToBeInIsRefusedNamingTheFieldAndAcceptedOnceTheBotIsAdded() {
        ApiClient.Answer refused = send("g-1", "{\"to\": {\"chat_id\": " + GROUP + "}, \"text\": \"Agenda\"}");
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertEquals(List.of("/to/chat_id"), refused.pointers());
        assertTrue(refused.json().path("detail").asText().contains("not known to be in this group"), refused.body());
        assertEquals(0, outboxRowsOfApiMessages(), "nothing queued");

        botAddedTo(GROUP);
        ApiClient.Answer accepted = send("g-2", "{\"to\": {\"chat_id\": " + GROUP + "}, \"text\": \"Agenda\"}");
        assertEquals(202, accepted.status(), accepted.body());
        api.await("sendMessage", message -> message.chatId() == GROUP && message.text().equals("Agenda"));
    }

    @Test
    void audienceTermsReachTheGroupsTheBotIsInAndNameAGroupItIsNotIn() {
        ApiClient.Answer unknown = send("a-1", "{\"to\": {\"audience\": \"group:" + GROUP + "\"}, \"text\": \"x\"}");
        assertEquals(400, unknown.status(), unknown.body());
        assertEquals(List.of("/to/audience"), unknown.pointers());

        botAddedTo(GROUP);
        ApiClient.Answer accepted = send("a-2", "{\"to\": {\"audience\": \"delegates groups\"}, \"text\": \"Agenda\"}");
        assertEquals(202, accepted.status(), accepted.body());
        assertEquals(2, accepted.json().path("recipients").asInt(), accepted.body());
        api.await("sendMessage", message -> message.chatId() == GROUP && message.text().equals("Agenda"));
        api.awaitMessageTo(KZ_DELEGATE, "Agenda");
    }
}

package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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
    void aScheduledMessageToAGroupThatRemovedTheBotSinceIsCountedAsBlockedNotLost() {
        botAddedTo(GROUP);
        ApiClient.Answer scheduled = send("g-later", "{\"to\": {\"chat_id\": " + GROUP + "}, \"text\": \"Minutes\", "
                + "\"send_at\": \"" + clock.instant().plus(Duration.ofHours(1)) + "\"}");
        assertEquals(202, scheduled.status(), scheduled.body());
        String location = scheduled.header("Location").orElseThrow();
        int removal = api.changeBotMembership(new FakeUser(7301, "Owner", "en"), GROUP, "Forum delegates", "member",
                "left", false);
        HandledUpdates.await(bot, removal);

        // Its time comes (as for a trigger that was missed: the next round starts it).
        bot.database().jdbi().useHandle(handle -> handle.execute("UPDATE api_messages SET send_at = ?",
                clock.instant().minus(Duration.ofMinutes(1)).toEpochMilli()));
        JsonNode done = awaitMessage(location, m -> m.path("status").asText().equals("done"));
        assertEquals(1, done.path("recipients").asInt(), "the group it was for, not nobody: " + done);
        assertEquals(1, done.path("counts").path("blocked").asInt(), done.toString());
        assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().equals("Minutes")));
        ApiClient.Answer deliveries = getOnceAllowed(location + "/deliveries");
        assertEquals(GROUP, deliveries.json().path("items").path(0).path("chat_id").asLong(), deliveries.body());
        assertTrue(deliveries.json().path("items").path(0).path("telegram_id").isNull(), "a group is not a person");
        assertEquals("blocked", deliveries.json().path("items").path(0).path("status").asText(), deliveries.body());
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

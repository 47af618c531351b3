package org.forumgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake Bot API must refuse what Telegram's flood limits refuse, or tests of pacing against it prove nothing. */
class FakeTelegramApiLimitsTest {
    private static final long GROUP = -100_555_0001L;
    private static final long PERSON = 555_0002L;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final FakeTelegramApi api = FakeTelegramApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aGroupTakesTwentyMessagesInAMinuteAndRefusesTheNextUntilTheFirstIsAMinuteOld() throws Exception {
        api.enforceLimits(1_000, 1_000, 1_000); // only the group's own limit can refuse
        for (int i = 1; i <= 20; i++) {
            assertEquals(200, send(GROUP, "message " + i).statusCode());
        }

        HttpResponse<String> refused = send(GROUP, "message 21");
        assertEquals(429, refused.statusCode(), refused.body());
        long retryAfter = json.readTree(refused.body()).path("parameters").path("retry_after").asLong();
        assertTrue(retryAfter >= 50 && retryAfter <= 60, "until the first is a minute old: " + refused.body());
        assertEquals(1, api.throttledCount());
    }

    @Test
    void aPrivateChatHasNoMinuteLimit() throws Exception {
        api.enforceLimits(1_000, 1_000, 1_000);
        for (int i = 1; i <= 25; i++) {
            assertEquals(200, send(PERSON, "message " + i).statusCode());
        }
        assertEquals(0, api.throttledCount());
    }

    private HttpResponse<String> send(long chatId, String text) throws IOException, InterruptedException {
        JsonNode body = json.createObjectNode().put("chat_id", chatId).put("text", text);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(api.url() + "/bot" + FakeTelegramApi.TOKEN + "/sendMessage"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}

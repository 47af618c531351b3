package org.forumgateway.api;

import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.Eventually;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StopEndToEndTest extends ApiEndToEndBase {
    @Test
    void aStoppedApplicationLeavesNoApiWriterThreadBehind() throws IOException {
        // Started again, to tell this application's writer from any other in this JVM.
        bot.close();
        api.close();
        Set<Thread> before = apiWriters();
        start(Map.of());
        ApiClient.Answer sent = client.post("/v1/messages", "stop-1",
                "{\"to\": {\"telegram_id\": " + ADMIN.id() + "}, \"text\": \"Hello\"}");
        assertEquals(202, sent.status(), sent.response().body());
        Set<Thread> ours = new HashSet<>(apiWriters());
        ours.removeAll(before);
        assertEquals(1, ours.size(), "this application's writer");

        bot.close();
        bot = null;

        Eventually.await("the API's writer thread to end", () -> ours.stream().noneMatch(Thread::isAlive));
    }

    private static Set<Thread> apiWriters() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("api-writer") && thread.isAlive())
                .collect(Collectors.toSet());
    }
}

package org.forumgateway;

import org.forumgateway.storage.Database;
import org.forumgateway.testing.BotProcess;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.TestSettings;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills the packaged bot with SIGKILL in the middle of a broadcast, starts it again on the same database, and
 * checks that every recipient got the announcement, twice only where it was in flight at the kill.
 */
class CrashRecoveryIT {
    private static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    private static final int RECIPIENTS = 300;
    private static final long FIRST_RECIPIENT = 50_001;

    @TempDir
    Path folder;

    @Test
    void aBroadcastKilledMidwayIsFinishedAfterRestartWithoutLosingAnyone() throws Exception {
        Path databasePath = folder.resolve("data/bot.db");
        seedRecipients(databasePath);
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            api.enforceLimits(40, 1, 3);
            api.latency(Duration.ofMillis(40));
            Map<String, String> environment = environment(api, databasePath);

            Process first = start(environment, "first");
            api.sendText(ADMIN, "/announce all Crash-safe announcement");
            RecordedRequest summary = api.await("sendMessage", m -> m.chatId() == ADMIN.chatId()
                    && m.text().startsWith("<b>Announcement #"));
            api.pressButton(ADMIN, summary.messageId(), summary.button("Send now").callbackData());
            api.awaitAll("sendMessage", m -> m.accepted() && m.chatId() >= FIRST_RECIPIENT, 100);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
            assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            Set<Long> inFlightAtKill = inFlight(databasePath);
            int deliveredBeforeKill = recipientsReached(api).size();
            assertTrue(deliveredBeforeKill < RECIPIENTS, "killed midway: " + deliveredBeforeKill);

            Process second = start(environment, "second");
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (recipientsReached(api).size() < RECIPIENTS && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                second.destroy();
                second.waitFor(10, TimeUnit.SECONDS);
            }

            Map<Long, Long> received = recipientsReached(api);
            assertEquals(RECIPIENTS, received.size(), "every recipient got the announcement");
            Set<Long> twice = received.entrySet().stream().filter(entry -> entry.getValue() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertTrue(inFlightAtKill.containsAll(twice),
                    "received twice " + twice + " but in flight at the kill only " + inFlightAtKill);
            assertTrue(received.values().stream().allMatch(count -> count <= 2));
            System.out.println("delivered before the kill: " + deliveredBeforeKill + ", in flight at the kill: "
                    + inFlightAtKill.size() + ", received twice: " + twice.size());
        }
    }

    private static Map<Long, Long> recipientsReached(FakeTelegramApi api) {
        return api.requests("sendMessage").stream()
                .filter(m -> m.accepted() && m.chatId() >= FIRST_RECIPIENT && m.text().equals("Crash-safe announcement"))
                .collect(Collectors.groupingBy(RecordedRequest::chatId, Collectors.counting()));
    }

    private static void seedRecipients(Path databasePath) {
        try (Database database = Database.open(databasePath)) {
            database.jdbi().useTransaction(handle -> {
                PreparedBatch batch = handle.prepareBatch("""
                        INSERT INTO users (telegram_id, first_name, telegram_language, created_at, updated_at, last_seen_at)
                        VALUES (:id, :name, 'en', 0, 0, 0)""");
                for (long id = FIRST_RECIPIENT; id < FIRST_RECIPIENT + RECIPIENTS; id++) {
                    batch.bind("id", id).bind("name", "Supporter " + id).add();
                }
                batch.execute();
            });
        }
    }

    private static Set<Long> inFlight(Path databasePath) {
        try (Database database = Database.open(databasePath)) {
            List<Long> chats = database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT chat_id FROM outbox WHERE status = 'in_flight'").mapTo(Long.class).list());
            return Set.copyOf(chats);
        }
    }

    private Map<String, String> environment(FakeTelegramApi api, Path databasePath) {
        Map<String, String> environment = BotProcess.environment(api.url(), databasePath);
        environment.put("ADMIN_IDS", String.valueOf(ADMIN.id()));
        environment.put("DELIVERY_MAX_PER_SECOND", "40");
        environment.put("EVENTS_FILE", TestSettings.repositoryRoot().resolve("config/events.yaml").toString());
        return environment;
    }

    private Process start(Map<String, String> environment, String name) throws IOException {
        return BotProcess.start(folder, environment, name);
    }
}

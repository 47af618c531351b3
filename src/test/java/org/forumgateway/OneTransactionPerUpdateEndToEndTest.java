package org.forumgateway;

import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What handling an update writes commits in one transaction: its change, its replies, the user's last-seen time and
 * the inbox's mark that it is handled. Failures are provoked with a trigger in the bot's own database.
 */
class OneTransactionPerUpdateEndToEndTest {
    private static final FakeUser JOHN = new FakeUser(7102, "John", "en");

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private FakeTelegramApi api;
    private Application bot;

    @BeforeEach
    void start() {
        api = FakeTelegramApi.start();
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 1)).toString());
        bot = Application.start(TestSettings.config(environment, folder), clock);
    }

    @AfterEach
    void stop() {
        bot.close();
        api.close();
    }

    @Test
    void anRsvpWhoseRedrawnCardCannotBeQueuedIsNotRecorded() {
        RecordedRequest card = openCard();
        execute("""
                CREATE TRIGGER refuse_redraws BEFORE INSERT ON outbox WHEN NEW.method = 'edit'
                BEGIN SELECT RAISE(ABORT, 'provoked by a test'); END""");

        int press = api.pressButton(JOHN, card.messageId(), card.button("Attending").callbackData());

        RecordedRequest answer = api.await("answerCallbackQuery", request -> true);
        assertEquals("An unexpected error occurred. Please try again shortly.", answer.body().path("text").asText(),
                "the apology, not the confirmation that rolled back with the change");
        assertEquals(0, count("SELECT count(*) FROM rsvps WHERE user_id = " + JOHN.id()), "no reply recorded");
        assertEquals(1, count("SELECT handled FROM inbox WHERE update_id = " + press), "the press is handled once");

        execute("DROP TRIGGER refuse_redraws");
        api.pressButton(JOHN, card.messageId(), card.button("Attending").callbackData());
        RecordedRequest redrawn = api.await("editMessageText", request -> request.chatId() == JOHN.chatId());
        assertTrue(redrawn.text().contains("Your reply: <b>Attending</b>"), redrawn.text());
        assertEquals(1, count("SELECT count(*) FROM rsvps WHERE user_id = " + JOHN.id() + " AND status = 'going'"));
    }

    @Test
    void aReplyIsQueuedWithTheMarkThatItsUpdateIsHandledAndTheUsersLastSeenTime() {
        api.sendText(JOHN, "/help");
        api.awaitMessageTo(JOHN, "Available commands");
        long updatedAt = count("SELECT updated_at FROM users WHERE telegram_id = " + JOHN.id());

        clock.advance(Duration.ofMinutes(5));
        int update = api.sendText(JOHN, "/events");
        api.awaitMessageTo(JOHN, "Upcoming events</b> · page 1 of 1");

        assertEquals(1, count("SELECT handled FROM inbox WHERE update_id = " + update));
        long lastSeen = count("SELECT last_seen_at FROM users WHERE telegram_id = " + JOHN.id());
        assertTrue(lastSeen >= Instant.parse("2026-12-01T00:05:00Z").toEpochMilli(), "seen at the second update");
        assertEquals(updatedAt, count("SELECT updated_at FROM users WHERE telegram_id = " + JOHN.id()),
                "what Telegram says about John did not change, so neither did his row");
    }

    private RecordedRequest openCard() {
        api.sendText(JOHN, "/event plenary");
        return api.await("sendMessage", message -> message.chatId() == JOHN.chatId()
                && message.buttons().stream().anyMatch(button -> button.callbackData().endsWith(":plenary")));
    }

    private void execute(String sql) {
        bot.database().jdbi().useHandle(handle -> handle.execute(sql));
    }

    private long count(String sql) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}

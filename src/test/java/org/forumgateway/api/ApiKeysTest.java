package org.forumgateway.api;

import ch.qos.logback.classic.Level;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.LogCapture;
import org.forumgateway.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new key shown in chat is blanked from the outbox once sent, even when the bot restarted in between. */
class ApiKeysTest {
    private static final long ADMIN = 9001;

    @TempDir
    Path folder;

    @Test
    void aKeyShownJustBeforeARestartIsStillBlankedOnceSentAndDeletedFromTheChatOnTime() {
        MutableClock clock = MutableClock.frozenAt("2026-12-01T00:00:00Z");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Outbox outbox = new Outbox(database.jdbi(), clock);
            Notifications notifications = new Notifications(outbox, () -> { }, () -> { });
            ApiKeys.Created.Key key = (ApiKeys.Created.Key) keys(database, outbox, Map.of(), clock)
                    .create("website", Set.of(Scope.READ), ADMIN);
            database.jdbi().useTransaction(handle -> notifications.reply(handle, new OutgoingMessage.Send(ADMIN,
                    "Key <b>website</b> is ready.\n<code>" + key.secret() + "</code>", Keyboard.NONE, false)));

            // Restarted before the message was sent: the new process never saw the key being shown.
            ApiKeys afterRestart = keys(database, outbox, Map.of(), clock);
            afterRestart.recoverShownKeys();
            afterRestart.forgetShownKeys();
            assertEquals(1, rowsHolding(database, key.secret()), "not sent yet: its text is still needed");

            database.jdbi().useHandle(handle -> handle.execute(
                    "UPDATE outbox SET status = 'sent', sent_message_id = 77, sent_at = ?", clock.millis()));
            afterRestart.forgetShownKeys();
            assertEquals(0, rowsHolding(database, key.secret()));

            // Restarted again before the message's time in the chat was up: it is still deleted, once, on time.
            ApiKeys secondRestart = keys(database, outbox, Map.of(), clock);
            secondRestart.recoverShownKeys();
            clock.advance(ApiKeys.SHOWN_FOR.minusSeconds(1));
            secondRestart.forgetShownKeys();
            assertEquals(0, deletesQueued(database), "still within its time in the chat");
            clock.advance(Duration.ofSeconds(1));
            secondRestart.forgetShownKeys();
            secondRestart.forgetShownKeys();
            assertEquals(1, deletesQueued(database));
            assertEquals(ADMIN, (long) database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT chat_id FROM outbox WHERE method = 'delete' AND instr(payload, '77') > 0")
                    .mapTo(Long.class).one()));
        }
    }

    @Test
    void aKeyMessageThatNeverReachedTheChatIsBlankedAndOneTooOldToDeleteIsLeft() {
        MutableClock clock = MutableClock.frozenAt("2026-12-01T00:00:00Z");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Outbox outbox = new Outbox(database.jdbi(), clock);
            Notifications notifications = new Notifications(outbox, () -> { }, () -> { });
            ApiKeys keys = keys(database, outbox, Map.of(), clock);
            ApiKeys.Created.Key refused = (ApiKeys.Created.Key) keys.create("website", Set.of(Scope.READ), ADMIN);
            ApiKeys.Created.Key old = (ApiKeys.Created.Key) keys.create("registration", Set.of(Scope.READ), ADMIN);
            for (ApiKeys.Created.Key key : List.of(refused, old)) {
                database.jdbi().useTransaction(handle -> notifications.reply(handle, new OutgoingMessage.Send(ADMIN,
                        "<code>" + key.secret() + "</code>", Keyboard.NONE, false)));
            }
            // The administrator had blocked the bot: the first was refused. The second was sent, then the bot stopped
            // for more than the 48 hours in which Telegram lets a bot delete its messages.
            database.jdbi().useHandle(handle -> handle.execute(
                    "UPDATE outbox SET status = 'blocked' WHERE instr(payload, ?) > 0", refused.secret()));
            database.jdbi().useHandle(handle -> handle.execute("UPDATE outbox SET status = 'sent', "
                    + "sent_message_id = 78, sent_at = ? WHERE instr(payload, ?) > 0", clock.millis(), old.secret()));
            keys.recoverShownKeys();
            keys.forgetShownKeys();
            assertEquals(0, rowsHolding(database, refused.secret()));
            assertEquals(0, rowsHolding(database, old.secret()));

            clock.advance(Duration.ofHours(49));
            ApiKeys afterLongStop = keys(database, outbox, Map.of(), clock);
            afterLongStop.recoverShownKeys();
            try (LogCapture log = LogCapture.silencing(ApiKeys.class)) {
                afterLongStop.forgetShownKeys();
                assertTrue(log.messages(Level.WARN).get(0).contains("delete it by hand"), log.messages(Level.WARN).toString());
            }
            assertEquals(0, deletesQueued(database), "too late for Telegram: nothing to queue");
            assertTrue(outbox.awaitingDeletion().isEmpty(), "and nothing left to try again");
        }
    }

    @Test
    void textThatOnlyLooksLikeAKeyIsLeftAsItIsAfterARestart() {
        MutableClock clock = MutableClock.frozenAt("2026-12-01T00:00:00Z");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Outbox outbox = new Outbox(database.jdbi(), clock);
            Notifications notifications = new Notifications(outbox, () -> { }, () -> { });
            ApiKeys.Created.Key key = (ApiKeys.Created.Key) keys(database, outbox, Map.of(), clock)
                    .create("website", Set.of(Scope.READ), ADMIN);
            String lookalike = "fgw_" + "x".repeat(43);
            long delegate = 7201;
            database.jdbi().useTransaction(handle -> {
                notifications.reply(handle, new OutgoingMessage.Send(delegate,
                        "Your badge code: " + lookalike, Keyboard.NONE, false));
                // The real key, quoted to someone else than the administrator who created it.
                notifications.reply(handle, new OutgoingMessage.Send(delegate,
                        "Quoted: " + key.secret(), Keyboard.NONE, false));
            });
            database.jdbi().useHandle(handle -> handle.execute(
                    "UPDATE outbox SET status = 'sent', sent_message_id = 80, sent_at = ?", clock.millis()));

            ApiKeys afterRestart = keys(database, outbox, Map.of(), clock);
            afterRestart.recoverShownKeys();
            afterRestart.forgetShownKeys();
            clock.advance(ApiKeys.SHOWN_FOR);
            afterRestart.forgetShownKeys();
            assertEquals(1, rowsHolding(database, lookalike));
            assertEquals(1, rowsHolding(database, key.secret()));
            assertEquals(0, deletesQueued(database), "nothing is deleted from the delegate's chat");
        }
    }

    private static int deletesQueued(Database database) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE method = 'delete'").mapTo(Integer.class).one());
    }

    private static ApiKeys keys(Database database, Outbox outbox, Map<String, String> configured, Clock clock) {
        return new ApiKeys(database.jdbi(), outbox, new Notifications(outbox, () -> { }), configured, clock);
    }

    @Test
    void aKeyCreatedInChatCanBeRevokedAfterAConfiguredKeyTookItsName() {
        MutableClock clock = MutableClock.frozenAt("2026-12-01T00:00:00Z");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Outbox outbox = new Outbox(database.jdbi(), clock);
            ApiKeys.Created.Key fromChat = (ApiKeys.Created.Key) keys(database, outbox, Map.of(), clock)
                    .create("website", Set.of(Scope.READ), ADMIN);
            String configuredKey = "website-key-from-api-keys-0123456789abcdef";
            ApiKeys later;
            try (LogCapture log = LogCapture.silencing(ApiKeys.class)) {
                later = keys(database, outbox, Map.of("website", configuredKey), clock);
                assertEquals(1, log.messages(Level.WARN).size(), "said at start: " + log.messages(Level.WARN));
                assertTrue(log.messages(Level.WARN).get(0).contains("API_KEYS names 'website'"));
                assertFalse(log.messages(Level.WARN).get(0).contains(configuredKey), "never the key");
            }

            assertEquals(ApiKeys.Revoked.REVOKED, later.revoke("website"));
            assertTrue(later.authenticate(fromChat.secret()).isEmpty(), "the chat key stops");
            assertTrue(later.authenticate(configuredKey).isPresent(), "the configured key stays");
            assertEquals(ApiKeys.Revoked.CONFIGURED, later.revoke("website"));
        }
    }

    @Test
    void aKeyRememberedFromItsEarlierRequestsStopsAtOnceWhenRevoked() {
        MutableClock clock = MutableClock.frozenAt("2026-12-01T00:00:00Z");
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            ApiKeys keys = keys(database, new Outbox(database.jdbi(), clock), Map.of(), clock);
            ApiKeys.Created.Key website = (ApiKeys.Created.Key) keys.create("website", Set.of(Scope.READ), ADMIN);
            ApiKeys.Created.Key registration = (ApiKeys.Created.Key) keys.create("registration", Scope.ALL, ADMIN);
            assertEquals("website", keys.authenticate(website.secret()).orElseThrow().name());
            assertEquals("registration", keys.authenticate(registration.secret()).orElseThrow().name());

            assertEquals(ApiKeys.Revoked.REVOKED, keys.revoke("website"));
            assertTrue(keys.authenticate(website.secret()).isEmpty(), "the revoked key stops");
            assertEquals("registration", keys.authenticate(registration.secret()).orElseThrow().name());
        }
    }

    private static int rowsHolding(Database database, String secret) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE instr(payload, :secret) > 0").bind("secret", secret)
                .mapTo(Integer.class).one());
    }
}

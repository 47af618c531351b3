package org.forumgateway.delivery;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.OlderDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one way in: named notifications, queued in the caller's transaction, the engine woken after commit. */
class NotificationsTest {
    @TempDir
    Path folder;
    private final AtomicInteger wakes = new AtomicInteger();

    @Test
    void queueingTheSameNotificationTwiceAddsNothingAndWakesOnlyForNewMessages() {
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Notifications notifications = notifications(database);
            Notifications.Queued first = database.jdbi().inTransaction(handle -> notifications.queue(handle,
                    NotificationKind.REMINDER, "24h/plenary", List.of(message(1), message(2))));
            Notifications.Queued again = database.jdbi().inTransaction(handle -> notifications.queue(handle,
                    NotificationKind.REMINDER, "24h/plenary", List.of(message(2), message(3))));

            assertEquals(2, first.added());
            assertEquals(first.notificationId(), again.notificationId(), "one name, one notification");
            assertEquals(1, again.added(), "only the recipient not queued before is added");
            assertEquals(3, count(database, "outbox"));
            assertEquals(2, wakes.get());
        }
    }

    @Test
    void aRolledBackTransactionQueuesNothingAndWakesNobody() {
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Notifications notifications = notifications(database);
            assertThrows(IllegalStateException.class, () -> database.jdbi().useTransaction(handle -> {
                notifications.reply(handle, new OutgoingMessage.Send(1, "Hello", Keyboard.NONE));
                notifications.queue(handle, NotificationKind.ANNOUNCEMENT, "7", List.of(message(1)));
                throw new IllegalStateException("the change failed");
            }));

            assertEquals(0, count(database, "outbox"));
            assertEquals(0, count(database, "notifications"));
            assertEquals(0, wakes.get());
        }
    }

    @Test
    void migrationKeepsOlderNotificationsThatShareANameApart() {
        Path path = folder.resolve("old.db");
        // A database as version 6 left it: a reminder queued in two chunks made two notifications of one name.
        OlderDatabase.migratedUpTo(path, "6").useHandle(handle -> handle.execute("""
                INSERT INTO notifications (kind, reference, created_at) VALUES
                    ('reminder', 'reminder:24h/plenary', 1), ('reminder', 'reminder:24h/plenary', 2),
                    ('test', NULL, 3), ('test', NULL, 4)"""));

        try (Database database = Database.open(path)) {
            List<String> names = database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT kind || ' ' || reference FROM notifications ORDER BY id").mapTo(String.class).list());
            assertEquals(List.of("reminder reminder:24h/plenary", "reminder reminder:24h/plenary#2", "test ",
                    "test #4"), names);
        }
    }

    private Notifications notifications(Database database) {
        return new Notifications(new Outbox(database.jdbi(), Clock.systemUTC()), wakes::incrementAndGet);
    }

    private static Outbox.Addressed message(long chat) {
        return new Outbox.Addressed(chat, 0, new OutgoingMessage.Send(chat, "Reminder", Keyboard.NONE));
    }

    private static int count(Database database, String table) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + table)
                .mapTo(Integer.class).one());
    }
}

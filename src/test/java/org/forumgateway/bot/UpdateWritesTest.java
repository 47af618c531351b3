package org.forumgateway.bot;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The update's transaction tells the router it has committed before the delivery engine is woken for its replies:
 * the router's timing of "replies queued" must not include the time the woken engine takes the core.
 */
class UpdateWritesTest {
    @TempDir
    Path folder;
    private Database database;
    private final List<String> happened = new CopyOnWriteArrayList<>();
    private Notifications notifications;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        notifications = new Notifications(new Outbox(database.jdbi(), Clock.systemUTC()),
                () -> happened.add("delivery woken"), () -> happened.add("woken for replies"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void heldRepliesCommitThenTheRouterHearsThenTheEngineIsWoken() {
        UpdateWrites writes = new UpdateWrites(database.jdbi(), notifications, handle -> happened.add("done"),
                () -> happened.add("committed"));
        writes.reply(new OutgoingMessage.Send(42, "Hello", Keyboard.NONE));

        writes.finish();

        assertEquals(List.of("done", "committed", "woken for replies"), happened);
    }

    @Test
    void aChangesOwnMessagesAreWokenForAfterTheRouterHeardOfTheCommitToo() {
        UpdateWrites writes = new UpdateWrites(database.jdbi(), notifications, handle -> happened.add("done"),
                () -> happened.add("committed"));
        writes.reply(new OutgoingMessage.Send(42, "Going", Keyboard.NONE));

        writes.together(() -> database.jdbi().useHandle(handle -> notifications.queue(handle,
                NotificationKind.ANNOUNCEMENT, "moved up", List.of(new Outbox.Addressed(43, 0,
                        new OutgoingMessage.Send(43, "A seat is yours", Keyboard.NONE))))));
        writes.finish();

        assertEquals(List.of("done", "committed", "delivery woken", "woken for replies"), happened);
    }
}

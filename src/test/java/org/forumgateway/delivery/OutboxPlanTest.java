package org.forumgateway.delivery;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery engine claims rows many times a second inside the write lock, while a broadcast may have 20,000
 * rows waiting: its statements must find the claimed rows by their ids, not read the queue.
 */
class OutboxPlanTest {
    @TempDir
    Path folder;

    @Test
    void expiredRowsOfAClaimAreFoundByTheirIdsNotByReadingEveryPendingRow() {
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            Outbox outbox = new Outbox(database.jdbi(), MutableClock.frozenAt("2026-12-01T09:00:00Z"));
            List<Outbox.Addressed> broadcast = new ArrayList<>();
            for (long chat = 1; chat <= 2_000; chat++) {
                broadcast.add(new Outbox.Addressed(chat, 0, new OutgoingMessage.Send(chat, "Hall B", Keyboard.NONE)));
            }
            outbox.enqueueBulk(outbox.createNotification("test", null), broadcast);
            List<String> plan = database.jdbi().withHandle(handle -> handle.createQuery(
                            "EXPLAIN QUERY PLAN " + Outbox.CANCEL_EXPIRED)
                    .bindMap(Map.of("cancelled", "cancelled", "expired", "expired", "ids", "[1,2,3]",
                            "pending", "pending", "now", 0L))
                    .map((rs, ctx) -> rs.getString("detail")).list());
            assertTrue(plan.get(0).equals("SEARCH outbox USING INTEGER PRIMARY KEY (rowid=?)"), plan.toString());
        }
    }

    @Test
    void notificationsExpiredLatelyAreFoundInTheirIndexAndTheirWaitingRowsByNotification() {
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            List<String> plan = database.jdbi().withHandle(handle -> handle.createQuery(
                            "EXPLAIN QUERY PLAN " + Outbox.EXPIRED_WITH_WAITING)
                    .bindMap(Map.of("since", 0L, "now", 1L, "pending", "pending"))
                    .map((rs, ctx) -> rs.getString("detail")).list());
            assertTrue(plan.get(0).startsWith("SEARCH n USING COVERING INDEX notifications_expiry (expires_at>? AND "
                    + "expires_at<?)"), plan.toString());
            assertTrue(plan.stream().anyMatch(step -> step.contains(
                    "USING COVERING INDEX outbox_notification (notification_id=? AND status=?)")), plan.toString());
        }
    }

    @Test
    void anotherFailedPartOfARecipientIsLookedUpInTheIndexNotAmongEveryFailure() {
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            List<String> plan = database.jdbi().withHandle(handle -> handle.createQuery(
                            "EXPLAIN QUERY PLAN " + Outbox.ANOTHER_PART_FAILED)
                    .bindMap(Map.of("notification", 1L, "failed", "failed", "id", 1L))
                    .map((rs, ctx) -> rs.getString("detail")).list());
            assertTrue(plan.stream().anyMatch(step -> step.contains(
                    "USING COVERING INDEX outbox_notification (notification_id=? AND status=? AND recipient=?)")),
                    plan.toString());
        }
    }
}

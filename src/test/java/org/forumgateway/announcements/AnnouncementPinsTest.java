package org.forumgateway.announcements;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.GroupMembership;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.Progress;
import org.forumgateway.groups.BotGroups;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.users.QuietHours;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins of announcements in groups, against a real SQLite outbox: what is queued, when, and what a recall does to
 * them and to other changes not sent yet.
 */
class AnnouncementPinsTest {
    private static final long GROUP = -1_001_000_000_001L;
    private static final long STAFF = 9001;
    private final MutableClock clock = MutableClock.frozenAt("2026-12-01T01:00:00Z");
    @TempDir
    Path folder;
    private Database database;
    private Outbox outbox;
    private AnnouncementService announcements;
    private AnnouncementPins pins;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        new UserService(database.jdbi(), Set.of(), clock)
                .recordSeen(new TelegramProfile(1, "Reader", Optional.empty(), Optional.empty(), Optional.of("en")));
        BotGroups groups = new BotGroups(database.jdbi(), clock);
        groups.changed(new GroupMembership(GROUP, "Forum delegates", true, true, true, true), true);
        outbox = new Outbox(database.jdbi(), clock);
        Notifications notifications = new Notifications(outbox, () -> { });
        AudienceResolver audiences = new AudienceResolver(database.jdbi(),
                MessageCatalog.load(Path.of("messages"), "en", List.of()), Set.of(),
                new QuietHours(22 * 60, 8 * 60), ZoneId.of("Asia/Seoul"), groups);
        announcements = new AnnouncementService(database.jdbi(), outbox, notifications, audiences,
                new AuditLog(database.jdbi(), clock), clock);
        pins = new AnnouncementPins(database.jdbi(), notifications);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Announcement started(boolean pin) {
        long id = announcements.createDraft(STAFF, AudienceTerms.parse("all,groups").terms().orElseThrow(),
                Optional.of("Agenda")).id();
        assertTrue(announcements.pinInGroups(id, pin, STAFF));
        return announcements.start(id, new OutgoingMessage.Send(STAFF, "Sending", Keyboard.NONE), false, STAFF)
                .orElseThrow();
    }

    private void accepted(Announcement announcement, int part, int messageId) {
        database.jdbi().useTransaction(handle -> pins.accepted(handle, announcement.notificationId().orElseThrow(),
                new Outbox.Sent(GROUP, part, GROUP, messageId, clock.instant())));
    }

    private List<Map<String, Object>> pinRows() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT chat_id, status, payload FROM outbox WHERE method = 'pin'").mapToMap().list());
    }

    @Test
    void theFirstMessageAcceptedInAGroupIsPinnedOnceWhenStaffChoseTo() {
        Announcement announcement = started(true);
        assertEquals(2, announcement.recipients().orElseThrow(), "the person and the group");
        accepted(announcement, 1, 78);
        assertTrue(pinRows().isEmpty(), "the second part of a long text is not pinned");
        accepted(announcement, 0, 77);
        accepted(announcement, 0, 77); // the same answer recorded again queues nothing twice
        List<Map<String, Object>> rows = pinRows();
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(GROUP, ((Number) rows.get(0).get("chat_id")).longValue());
        assertTrue(rows.get(0).get("payload").toString().contains("\"messageId\":77"), rows.toString());
        assertEquals(new AnnouncementPins.Counts(1, 0, 0, 0, false), announcements.pinCounts(announcement));
    }

    @Test
    void choosingToPinIsInTheAuditLogWithWhoChoseIt() {
        started(true);
        List<Map<String, Object>> logged = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT actor, action, detail FROM audit_log ORDER BY id").mapToMap().list());
        assertEquals("announcement.pin", logged.get(0).get("action"), logged.toString());
        assertEquals(STAFF, ((Number) logged.get(0).get("actor")).longValue());
        assertEquals("announcement.send", logged.get(1).get("action"), logged.toString());
    }

    @Test
    void nothingIsPinnedWhenStaffDidNotChooseIt() {
        accepted(started(false), 0, 77);
        assertTrue(pinRows().isEmpty());
    }

    @Test
    void aRecallCancelsPinsNotSentYet() {
        Announcement announcement = started(true);
        accepted(announcement, 0, 77);
        assertTrue(announcements.changes().recall(announcement.id(), STAFF,
                new OutgoingMessage.Send(STAFF, "Recalling", Keyboard.NONE)).isPresent());
        assertEquals("cancelled", pinRows().get(0).get("status"));
        assertTrue(outbox.findNotification(NotificationKind.ANNOUNCEMENT_PIN.code(),
                String.valueOf(announcement.id())).map(outbox::progress).orElseThrow().isFinished());
    }

    @Test
    void aRecallCancelsTheMessagesOfAnEditNotSentYet() {
        Announcement announcement = started(false);
        long notification = announcement.notificationId().orElseThrow();
        database.jdbi().useHandle(handle -> handle.execute("""
                UPDATE outbox SET status = 'sent', sent_message_id = 77, sent_at = ? WHERE notification_id = ?""",
                clock.millis(), notification));
        AnnouncementChanges changes = announcements.changes();
        long editId = changes.draftEdit(announcement.id(), STAFF).id();
        assertTrue(changes.setText(editId, Announcement.FALLBACK, "Agenda, corrected"));
        AnnouncementChanges.Change edit = changes.startEdit(editId,
                new OutgoingMessage.Send(STAFF, "Editing", Keyboard.NONE)).orElseThrow();
        assertEquals(2, outbox.progress(edit.notificationId().orElseThrow()).pending(), "the person and the group");

        assertTrue(changes.recall(announcement.id(), STAFF,
                new OutgoingMessage.Send(STAFF, "Recalling", Keyboard.NONE)).isPresent());
        Progress edits = outbox.progress(edit.notificationId().orElseThrow());
        assertEquals(2, edits.cancelled(), edits.toString());
        assertTrue(edits.isFinished());
    }

    @Test
    void aMessageTelegramAcceptsAfterTheRecallListedItsMessagesIsDeletedByTheRecallToo() {
        Announcement announcement = started(false);
        long notification = announcement.notificationId().orElseThrow();
        database.jdbi().useHandle(handle -> {
            handle.execute("""
                    UPDATE outbox SET status = 'sent', sent_message_id = 77, sent_at = ?
                    WHERE notification_id = ? AND chat_id = ?""", clock.millis(), notification, GROUP);
            handle.execute("UPDATE outbox SET status = 'in_flight' WHERE notification_id = ? AND chat_id = 1",
                    notification);
        });
        RecallStragglers stragglers = new RecallStragglers(database.jdbi(),
                new Notifications(outbox, () -> { }));
        database.jdbi().useTransaction(handle -> stragglers.accepted(handle, notification,
                new Outbox.Sent(1, 0, 1, 90, clock.instant())));
        assertEquals(List.of(), deletions(), "no recall yet: nothing to undo");

        AnnouncementChanges.Change recall = announcements.changes().recall(announcement.id(), STAFF,
                new OutgoingMessage.Send(STAFF, "Recalling", Keyboard.NONE)).orElseThrow();
        assertEquals(List.of(GROUP), deletions(), "the message on its way is not Telegram's yet");
        database.jdbi().useTransaction(handle -> stragglers.accepted(handle, notification,
                new Outbox.Sent(1, 0, 1, 91, clock.instant())));

        assertEquals(List.of(GROUP, 1L), deletions());
        assertTrue(database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT payload FROM outbox WHERE chat_id = 1 AND method = 'delete'").mapTo(String.class).one())
                .contains("\"messageId\":91"));
        assertEquals(2, outbox.progress(recall.notificationId().orElseThrow()).total(), "counted in the recall");
    }

    private List<Long> deletions() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT chat_id FROM outbox WHERE method = 'delete' ORDER BY id").mapTo(Long.class).list());
    }

    @Test
    void countsTellPinnedFromNoRightFromOtherFailures() {
        Progress progress = new Progress(5, 2, 0, 1, 2, 0, Map.of(
                "[400] Bad Request: not enough rights to manage pinned messages in the chat", 1,
                "[400] Bad Request: message to pin not found", 1));
        assertEquals(new AnnouncementPins.Counts(5, 2, 1, 2, true), AnnouncementPins.Counts.of(progress));
    }
}

package org.forumgateway.announcements;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled announcements wait out their recipients' quiet hours unless urgent; "Send now" never waits. */
class ScheduledAnnouncementQuietHoursTest {
    /** 23:00 in Seoul. */
    private final MutableClock clock = MutableClock.frozenAt("2026-12-01T14:00:00Z");
    @TempDir
    Path folder;
    private Database database;
    private AnnouncementService announcements;
    private Outbox outbox;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        UserService users = new UserService(database.jdbi(), Set.of(), clock);
        users.recordSeen(new TelegramProfile(1, "Night owl", Optional.empty(), Optional.empty(), Optional.of("en")));
        users.recordSeen(new TelegramProfile(2, "Always on", Optional.empty(), Optional.empty(), Optional.of("en")));
        users.setQuietHours(2, Optional.empty());
        outbox = new Outbox(database.jdbi(), clock);
        AudienceResolver audiences = new AudienceResolver(database.jdbi(),
                MessageCatalog.load(Path.of("messages"), "en", List.of()), Set.of(),
                new QuietHours(22 * 60, 8 * 60), ZoneId.of("Asia/Seoul"));
        announcements = new AnnouncementService(database.jdbi(), outbox, new Notifications(outbox, () -> { }), audiences,
                new AuditLog(database.jdbi(), clock), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Instant dueFor(long chat) {
        return Instant.ofEpochMilli(database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT next_attempt_at FROM outbox WHERE chat_id = :chat AND notification_id IS NOT NULL")
                .bind("chat", chat).mapTo(Long.class).one()));
    }

    private long draft() {
        return announcements.createDraft(9001, AudienceTerms.parse("all").terms().orElseThrow(),
                Optional.of("Good night")).id();
    }

    private OutgoingMessage.Send progress() {
        return new OutgoingMessage.Send(9001, "progress", Keyboard.NONE);
    }

    @Test
    void oneReturnedToTheDraftsIsNotStartedByItsTriggerButStaffMayStillSendIt() {
        long id = draft();
        Instant due = clock.instant().minus(Duration.ofHours(3));
        assertTrue(announcements.schedule(id, due, false, 9001));
        List<OutgoingMessage.Send> notice = List.of(new OutgoingMessage.Send(9001, "missed", Keyboard.NONE));
        assertTrue(announcements.returnMissed(id, 9001, due, notice));
        assertFalse(announcements.returnMissed(id, 9001, due, notice), "once");
        assertTrue(announcements.startScheduled(id, progress(), true, 9001).isEmpty(),
                "a trigger set before it was returned starts nothing");
        assertEquals(0, (int) database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE notification_id IS NOT NULL").mapTo(Integer.class).one()));
        assertTrue(announcements.start(id, progress(), true, 9001).isPresent(), "Send now, pressed by staff");
    }

    @Test
    void aScheduledOneWaitsUntilQuietHoursEnd() {
        announcements.start(draft(), progress(), true, 9001);
        assertEquals(Instant.parse("2026-12-01T23:00:00Z"), dueFor(1), "08:00 in Seoul");
        assertEquals(clock.instant(), dueFor(2), "quiet hours off: at once");
    }

    @Test
    void whatQuietHoursHoldIsCountedWithTheTimeTheLastGoes() {
        long id = draft();
        announcements.start(id, progress(), true, 9001);
        Announcement started = announcements.find(id).orElseThrow();
        assertEquals(new Outbox.Held(1, Optional.of(Instant.parse("2026-12-01T23:00:00Z"))),
                announcements.held(started), "the night owl, until 08:00 in Seoul; the other went at once");
        clock.set(Instant.parse("2026-12-01T23:00:00Z"));
        assertEquals(Outbox.Held.NONE, announcements.held(started), "due now: no longer held");
    }

    @Test
    void sendNowAndUrgentOnesDoNotWait() {
        announcements.start(draft(), progress(), false, 9001);
        assertEquals(clock.instant(), dueFor(1));
    }

    @Test
    void settledTextsArePurgedAfterAWeekButTheirFiguresStay() {
        long id = draft();
        announcements.start(id, progress(), false, 9001);
        database.jdbi().useHandle(handle -> handle.execute("UPDATE outbox SET status = 'sent'"));
        clock.advance(Duration.ofDays(8));
        // The two recipients' texts (9001, whom this bot never met, is sent no progress line).
        assertEquals(2, outbox.purgePayloads(clock.instant().minus(Duration.ofDays(7))));
        assertEquals(2, announcements.progress(announcements.find(id).orElseThrow()).orElseThrow().sent());
    }
}

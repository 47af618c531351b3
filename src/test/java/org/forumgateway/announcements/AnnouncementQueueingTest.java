package org.forumgateway.announcements;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.webhooks.WebhookEvents;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.users.QuietHours;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large audience is queued in chunks, delivery woken after the first so it starts at once, the chunks after the
 * first on the queueing thread; the announcement finishes only once every row is queued, and queueing a crash
 * interrupted is completed at the next start.
 */
class AnnouncementQueueingTest {
    private static final int AUDIENCE = 450;
    private final MutableClock clock = MutableClock.frozenAt("2026-12-01T03:00:00Z");
    @TempDir
    Path folder;
    private Database database;
    private AnnouncementService announcements;
    private final List<Integer> queuedAtEachWake = new ArrayList<>();

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        database.jdbi().useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO users (telegram_id, first_name, role, created_at, updated_at, last_seen_at)
                    VALUES (:id, 'Delegate', 'delegate', 0, 0, 0)""");
            for (long id = 1; id <= AUDIENCE; id++) {
                batch.bind("id", id).add();
            }
            batch.execute();
        });
        announcements = service(Runnable::run);
    }

    private AnnouncementService service(Executor queueing) {
        return service(queueing, () -> queuedAtEachWake.add(bulkRows()));
    }

    private AnnouncementService service(Executor queueing, Runnable betweenChunks) {
        AudienceResolver audiences = new AudienceResolver(database.jdbi(),
                MessageCatalog.load(Path.of("messages"), "en", List.of()), Set.of(),
                new QuietHours(22 * 60, 8 * 60), ZoneId.of("Asia/Seoul"));
        Outbox outbox = new Outbox(database.jdbi(), clock);
        return new AnnouncementService(database.jdbi(), outbox, new Notifications(outbox, () -> { }),
                audiences, new AuditLog(database.jdbi(), clock), clock, WebhookEvents.none(),
                betweenChunks, queueing);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private int bulkRows() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE notification_id IS NOT NULL").mapTo(Integer.class).one());
    }

    private Announcement started() {
        return startedBy(announcements);
    }

    private static Announcement startedBy(AnnouncementService announcements) {
        Announcement draft = announcements.createDraft(9001, AudienceTerms.parse("delegates").terms().orElseThrow(),
                Optional.of("The plenary starts at 10:00."));
        return announcements.start(draft.id(), new OutgoingMessage.Send(9001, "Sending…", Keyboard.NONE), false, 9001)
                .orElseThrow();
    }

    @Test
    void deliveryIsWokenAfterTheFirstChunkAndAgainAsTheRestIsQueued() {
        Announcement announcement = started();
        assertTrue(queuedAtEachWake.get(0) < AUDIENCE, "woken before everything was queued: " + queuedAtEachWake);
        assertEquals(AUDIENCE, (int) queuedAtEachWake.get(queuedAtEachWake.size() - 1));
        assertEquals(Optional.of(AUDIENCE), announcement.recipients());
        assertEquals(AUDIENCE, announcements.progress(announcement).orElseThrow().pending());
    }

    @Test
    void startReturnsOnceTheFirstRowsAreQueuedAndTheRestFollowsOnTheQueueingThread() {
        List<Runnable> queueing = new ArrayList<>();
        AnnouncementService later = service(queueing::add);

        Announcement announcement = startedBy(later);

        int first = bulkRows();
        assertTrue(first > 0 && first <= 30, "only the first recipients with the change of status: " + first);
        assertEquals(Optional.empty(), announcement.recipients(), "the count comes with the last chunk");
        assertEquals(AUDIENCE, later.progress(announcement).orElseThrow().total(),
                "the progress counts the whole audience from the start");
        assertEquals(AUDIENCE, later.progress(announcement).orElseThrow().pending());
        assertFalse(later.finish(announcement.id()), "not finished while the rest is still to be queued");
        assertEquals(1, queueing.size());

        queueing.forEach(Runnable::run);

        assertEquals(AUDIENCE, bulkRows());
        assertEquals(Optional.of(AUDIENCE), later.find(announcement.id()).orElseThrow().recipients());
        assertEquals(AUDIENCE, later.progress(announcement).orElseThrow().pending());
    }

    @Test
    void someoneErasedWhileTheRestIsQueuedIsNotWrittenBack() {
        List<Runnable> queueing = new ArrayList<>();
        AnnouncementService later = service(queueing::add);
        Announcement announcement = startedBy(later);
        // /forget's last step, between the start and the chunks that name them.
        database.jdbi().useHandle(handle -> handle.execute("DELETE FROM users WHERE telegram_id = 300"));

        queueing.forEach(Runnable::run);

        assertEquals(AUDIENCE - 1, bulkRows());
        assertEquals(0, (int) database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE recipient = 300").mapTo(Integer.class).one()));
        assertEquals(Optional.of(AUDIENCE - 1), later.find(announcement.id()).orElseThrow().recipients(),
                "counted among those it was sent to no more");
    }

    @Test
    void whoeverStartsItIsSentTheProgressLineUnlessErasedSince() {
        database.jdbi().useHandle(handle -> handle.execute("""
                INSERT INTO users (telegram_id, first_name, role, created_at, updated_at, last_seen_at)
                VALUES (9001, 'Staff', 'staff', 0, 0, 0)"""));
        started();
        assertEquals(1, progressLinesTo(9001));

        // Erased after scheduling one: at its time it goes out all the same, and nothing is sent to their chat.
        database.jdbi().useHandle(handle -> handle.execute("DELETE FROM users WHERE telegram_id = 9001"));
        Announcement second = started();
        assertEquals(1, progressLinesTo(9001), "no second line");
        assertEquals(Optional.of(AUDIENCE), second.recipients());
    }

    private int progressLinesTo(long chat) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE chat_id = :chat AND notification_id IS NULL")
                .bind("chat", chat).mapTo(Integer.class).one());
    }

    @Test
    void theLastChunkQueuedAfterTheFirstWereSentHoldsTheFinishBack() {
        List<Runnable> queueing = new ArrayList<>();
        AnnouncementService later = service(queueing::add);
        Announcement announcement = startedBy(later);
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE outbox SET status = 'sent' WHERE notification_id IS NOT NULL"));
        assertEquals(0, (int) database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE notification_id IS NOT NULL AND status <> 'sent'")
                .mapTo(Integer.class).one()), "the first rows are all out");
        assertFalse(later.progress(announcement).orElseThrow().isFinished(), "the rest of the audience waits");

        queueing.forEach(Runnable::run); // the last chunk, with the count, commits in between

        assertFalse(later.finish(announcement.id()), "the rest is still queued");
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE outbox SET status = 'sent' WHERE notification_id IS NOT NULL"));
        assertTrue(later.finish(announcement.id()));
    }

    @Test
    void queueingACrashLeftIsResumedOnTheQueueingThread() {
        List<Runnable> queueing = new ArrayList<>();
        AnnouncementService later = service(queueing::add);
        Announcement announcement = startedBy(later);
        queueing.clear(); // as a stop between chunks leaves it: the first rows, no count

        later.resumeInterrupted();
        assertEquals(1, queueing.size(), "handed over, not queued on the starting thread");
        assertEquals(Optional.empty(), later.find(announcement.id()).orElseThrow().recipients());
        queueing.forEach(Runnable::run);
        assertEquals(Optional.of(AUDIENCE), later.find(announcement.id()).orElseThrow().recipients());
        assertEquals(AUDIENCE, bulkRows());
    }

    @Test
    void queueingResumedAfterACrashSendsNowWhatAStaffMemberSentNowFromAScheduledOnesPreview() {
        clock.set(Instant.parse("2026-12-01T14:00:00Z")); // 23:00 in Seoul: everyone's quiet hours
        List<Runnable> queueing = new ArrayList<>();
        AnnouncementService later = service(queueing::add);
        Announcement draft = later.createDraft(9001, AudienceTerms.parse("delegates").terms().orElseThrow(),
                Optional.of("The plenary starts at 10:00."));
        assertTrue(later.schedule(draft.id(), Instant.parse("2026-12-02T01:00:00Z"), false, 9001));
        later.start(draft.id(), new OutgoingMessage.Send(9001, "Sending…", Keyboard.NONE), false, 9001)
                .orElseThrow();
        queueing.clear(); // a crash between chunks

        later.resumeInterrupted();
        queueing.forEach(Runnable::run);
        assertEquals(AUDIENCE, bulkRows());
        assertEquals(0, (int) database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM outbox WHERE notification_id IS NOT NULL AND next_attempt_at > ?")
                .bind(0, clock.millis()).mapTo(Integer.class).one()), "Send now goes now, quiet hours or not");
    }

    @Test
    void aRecallWhileTheRestIsBeingQueuedStopsTheQueueing() {
        List<Runnable> queueing = new ArrayList<>();
        AnnouncementService later = service(queueing::add);
        Announcement announcement = startedBy(later);
        int first = bulkRows();

        assertTrue(later.changes().recall(announcement.id(), 9002,
                new OutgoingMessage.Send(9002, "Recalling…", Keyboard.NONE)).isPresent());
        queueing.forEach(Runnable::run);

        var progress = later.progress(announcement).orElseThrow();
        assertEquals(first, progress.total(), "nobody queued after the recall");
        assertEquals(first, progress.cancelled());
        assertEquals(Optional.of(first), later.find(announcement.id()).orElseThrow().recipients(),
                "it reached those queued before the recall, and can finish");
        later.resumeInterrupted();
        assertEquals(first, later.progress(announcement).orElseThrow().total(), "nor at the next start");
    }

    @Test
    void queueingACrashInterruptedIsCompletedAtTheNextStartAndSendsNothingTwice() {
        Announcement announcement = started();
        // What a crash after the first chunk leaves: the first rows, the count not yet stored.
        database.jdbi().useHandle(handle -> {
            handle.execute("DELETE FROM outbox WHERE notification_id IS NOT NULL AND recipient > 100");
            handle.execute("UPDATE outbox SET status = 'sent' WHERE notification_id IS NOT NULL");
            handle.execute("UPDATE announcements SET recipients = NULL WHERE id = ?", announcement.id());
        });
        assertFalse(announcements.finish(announcement.id()), "not finished while rows are missing");

        announcements.resumeInterrupted();

        assertEquals(Optional.of(AUDIENCE), announcements.find(announcement.id()).orElseThrow().recipients());
        var progress = announcements.progress(announcement).orElseThrow();
        assertEquals(AUDIENCE, progress.total());
        assertEquals(100, progress.sent(), "rows queued before the crash are left as they were");
        announcements.resumeInterrupted();
        assertEquals(AUDIENCE, announcements.progress(announcement).orElseThrow().total(), "resuming twice adds nothing");
    }

    @Test
    void aChunkNeverEndsAmongOnePersonsPartsSoNobodyCountedAsReachedIsCountedAsWaitingAgain() {
        // Three parts each: chunks of 100 messages would end after a person's first part (33 people are 99 rows).
        String paragraph = "The plenary starts at 10:00 in Hall A. ".repeat(100);
        String text = String.join("\n\n", paragraph, paragraph, paragraph).trim();
        List<Integer> splitPeopleAtEachWake = new ArrayList<>();
        AnnouncementService split = service(Runnable::run, () -> splitPeopleAtEachWake.add(database.jdbi().withHandle(
                handle -> handle.createQuery("""
                                SELECT count(*) FROM (SELECT recipient FROM outbox WHERE notification_id IS NOT NULL
                                                      GROUP BY recipient HAVING count(*) <> 3)""")
                        .mapTo(Integer.class).one())));
        Announcement draft = split.createDraft(9001, AudienceTerms.parse("delegates").terms().orElseThrow(),
                Optional.of(text));
        Announcement announcement = split.start(draft.id(), new OutgoingMessage.Send(9001, "Sending…", Keyboard.NONE),
                false, 9001).orElseThrow();

        assertEquals(3 * AUDIENCE, bulkRows(), "three parts for each of the audience");
        assertTrue(splitPeopleAtEachWake.size() > 3, "queued in several chunks: " + splitPeopleAtEachWake);
        assertTrue(splitPeopleAtEachWake.stream().allMatch(count -> count == 0),
                "people with only some of their parts queued, after each chunk: " + splitPeopleAtEachWake);
        assertEquals(Optional.of(AUDIENCE), split.find(announcement.id()).orElseThrow().recipients());
    }
}

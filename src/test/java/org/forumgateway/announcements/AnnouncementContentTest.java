package org.forumgateway.announcements;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Media;
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
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Announcement variants with media, set through the composer-neutral seam, become the right outbox messages. */
class AnnouncementContentTest {
    private final MutableClock clock = MutableClock.frozenAt("2026-12-01T01:00:00Z");
    @TempDir
    Path folder;
    private Database database;
    private AnnouncementService announcements;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        UserService users = new UserService(database.jdbi(), Set.of(), clock);
        users.recordSeen(new TelegramProfile(1, "Reader", Optional.empty(), Optional.empty(), Optional.of("en")));
        users.recordSeen(new TelegramProfile(2, "Читатель", Optional.empty(), Optional.empty(), Optional.of("ru")));
        Outbox outbox = new Outbox(database.jdbi(), clock);
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

    @Test
    void eachLanguageGetsItsOwnMediaByReferenceWithItsCaption() {
        long id = announcements.createDraft(9001, AudienceTerms.parse("all").terms().orElseThrow(), Optional.empty()).id();
        Media poster = new Media(Media.Kind.PHOTO, "AgACposter");
        List<Media> album = List.of(new Media(Media.Kind.PHOTO, "https://kcaf.or.kr/1.jpg"),
                new Media(Media.Kind.VIDEO, "BAACvideo"));
        assertTrue(announcements.setContent(id, Announcement.FALLBACK, new Content("<b>Poster</b>", List.of(poster))));
        assertTrue(announcements.setContent(id, "ru", new Content("Альбом", album)));
        Announcement draft = announcements.find(id).orElseThrow();

        List<Outbox.Addressed> messages = AnnouncementService.messages(draft, announcements.recipients(draft),
                Optional.empty());
        Map<Long, OutgoingMessage> byRecipient = Map.of(messages.get(0).recipient(), messages.get(0).message(),
                messages.get(1).recipient(), messages.get(1).message());
        assertEquals(2, messages.size(), "one message each: media and caption travel together");
        assertEquals(new OutgoingMessage.SendMedia(1, poster, "<b>Poster</b>"), byRecipient.get(1L));
        assertEquals(new OutgoingMessage.SendAlbum(2, album, "Альбом"), byRecipient.get(2L));
    }

    @Test
    void aCaptionOverTheLimitIsRefusedAndTextOnlyContentSplitsAsBefore() {
        long id = announcements.createDraft(9001, AudienceTerms.parse("all").terms().orElseThrow(), Optional.empty()).id();
        Content tooLong = new Content("я".repeat(Content.MAX_CAPTION + 1), List.of(new Media(Media.Kind.DOCUMENT, "BQAC")));
        assertEquals(Optional.of(Content.MAX_CAPTION + 1), tooLong.captionLength());
        assertThrows(IllegalArgumentException.class, () -> announcements.setContent(id, "ru", tooLong));
        assertFalse(Content.text("я".repeat(Content.MAX_CAPTION + 1)).captionLength().isPresent(), "texts are no captions");

        String paragraph = "слово ".repeat(500).strip();
        Content text = Content.text(paragraph + "\n\n" + paragraph);
        assertEquals(2, text.parts());
        assertEquals(new OutgoingMessage.Send(5, paragraph, Keyboard.NONE), text.messages(5).get(0));
        assertEquals(new OutgoingMessage.Delete(5, 77, 2),
                new Content("", List.of(new Media(Media.Kind.PHOTO, "a"), new Media(Media.Kind.PHOTO, "b"))).delete(5, 77));
    }
}

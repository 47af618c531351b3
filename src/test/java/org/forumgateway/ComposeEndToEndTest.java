package org.forumgateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.StaffMembers;
import org.forumgateway.testing.TestSettings;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.forumgateway.testing.FakeTelegramApi.entity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staff compose announcements the way Telegram users write (toolbar formatting, photos, files, albums) and fix or
 * recall them after sending, through the real bot, the outbox and the delivery engine, against the fake Bot API.
 */
class ComposeEndToEndTest {
    private static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    private static final FakeUser KZ_DELEGATE = new FakeUser(7201, "Айгерим", "ru");
    private static final FakeUser UZ_DELEGATE = new FakeUser(7202, "Dilshod", "en");
    private static final FakeUser SUPPORTER = new FakeUser(7203, "지수", "ko");
    private static final long FIRST_SEEDED = 60_001;
    /** The languages prompt after the first text, which is everyone's who has no text in their own language. */
    private static final String SAVED = "Saved. Texts: Your first text (sent to everyone who has no text "
            + "in their own language).";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private FakeTelegramApi api;
    private Application bot;
    private Map<String, String> environment;

    @BeforeEach
    void start() {
        api = FakeTelegramApi.start();
        api.useClock(clock);
        environment = TestSettings.environment(api, folder);
        environment.put("ADMIN_IDS", String.valueOf(ADMIN.id()));
        environment.put("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 50)).toString());
        bot = Application.start(TestSettings.config(environment, folder), clock);
        for (FakeUser user : List.of(ADMIN, KZ_DELEGATE, UZ_DELEGATE, SUPPORTER)) {
            api.sendText(user, "/help");
            api.awaitMessageTo(user, "/about");
        }
        bot.database().jdbi().useHandle(handle -> {
            handle.execute("UPDATE users SET role = 'delegate', country = 'KZ' WHERE telegram_id = ?", KZ_DELEGATE.id());
            handle.execute("UPDATE users SET role = 'delegate', country = 'UZ' WHERE telegram_id = ?", UZ_DELEGATE.id());
            handle.execute("UPDATE users SET role = 'supporter', cohort_number = 10 WHERE telegram_id = ?", SUPPORTER.id());
        });
    }

    @AfterEach
    void stop() {
        bot.close();
        api.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void press(FakeUser user, RecordedRequest message, String label) {
        api.pressButton(user, message.messageId(), message.button(label).callbackData());
    }

    private RecordedRequest previewSummary() {
        return api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #"));
    }

    /** /announce, the audience typed, then the draft's text step. */
    private void startGuided(String audience) {
        api.sendText(ADMIN, "/announce");
        api.awaitMessageTo(ADMIN, "New announcement");
        api.sendText(ADMIN, audience);
        api.awaitMessageTo(ADMIN, "Send the text, formatted as you like");
    }

    /** Adds an entity over the first occurrence of {@code fragment}: Java counts UTF-16 units, as Telegram does. */
    private static ObjectNode over(ArrayNode entities, String text, String type, String fragment) {
        int offset = text.indexOf(fragment);
        assertTrue(offset >= 0, fragment);
        return entity(entities, type, offset, fragment.length());
    }

    private void seedDelegates(int count) {
        bot.database().jdbi().useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO users (telegram_id, first_name, telegram_language, role, created_at, updated_at,
                                       last_seen_at)
                    VALUES (:id, :name, 'en', 'delegate', 0, 0, 0)""");
            for (long id = FIRST_SEEDED; id < FIRST_SEEDED + count; id++) {
                batch.bind("id", id).bind("name", "Delegate " + id).add();
            }
            batch.execute();
        });
    }

    private List<String> auditActions() {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT action FROM audit_log ORDER BY id").mapTo(String.class).list());
    }

    /** Sends a one-line announcement to the two delegates and waits for its report; returns what each got. */
    private Map<Long, RecordedRequest> announceToDelegates(String html) {
        api.sendText(ADMIN, "/announce delegates " + html);
        press(ADMIN, previewSummary(), "Send now");
        api.awaitMessageTo(ADMIN, "done</b>");
        return List.of(KZ_DELEGATE, UZ_DELEGATE).stream().collect(Collectors.toMap(FakeUser::chatId,
                user -> api.awaitMessageTo(user, html)));
    }

    // ---- formatting ----------------------------------------------------------------------------------------

    @Test
    void formattingFromTheToolbarReachesEveryoneExactlyAsTypedInRussianAndKorean() {
        startGuided("delegates,supporters");
        String russian = "🎉 Форум «Центральная Азия – Корея» 2026 🇰🇿\n"
                + "Пленарное заседание в 10:00 <Сеул> & кофе\nкод\nцитата\nподробности 👍\nАйгерим";
        ArrayNode entities = api.entities();
        over(entities, russian, "bold", "Форум «Центральная Азия – Корея»");
        over(entities, russian, "italic", "Центральная Азия");
        over(entities, russian, "underline", "Корея» 2026");
        over(entities, russian, "code", "2026");
        over(entities, russian, "strikethrough", "10:00");
        over(entities, russian, "text_link", "Сеул")
                .put("url", "https://kcaf.or.kr/seoul");
        over(entities, russian, "spoiler", "кофе");
        over(entities, russian, "pre", "код").put("language", "text");
        over(entities, russian, "blockquote", "цитата");
        over(entities, russian, "expandable_blockquote", "подробности 👍");
        over(entities, russian, "custom_emoji", "👍")
                .put("custom_emoji_id", "5368324170671202286");
        over(entities, russian, "text_mention", "Айгерим")
                .putObject("user").put("id", KZ_DELEGATE.id()).put("is_bot", false).put("first_name", "Айгерим");
        api.sendFormatted(ADMIN, russian, entities);
        RecordedRequest languages = api.awaitMessageTo(ADMIN, SAVED);
        press(ADMIN, languages, "한국어");
        api.awaitMessageTo(ADMIN, "Send the text in 한국어.");
        String korean = "📢 한-중앙아 <협력> 포럼 & 서포터즈 1기";
        ArrayNode koreanEntities = api.entities();
        over(koreanEntities, korean, "bold", "한-중앙아 <협력> 포럼");
        over(koreanEntities, korean, "spoiler", "<협력>");
        over(koreanEntities, korean, "italic", "포럼 & 서포터즈");
        api.sendFormatted(ADMIN, korean, koreanEntities);
        press(ADMIN, api.awaitMessageTo(ADMIN, "Texts: Your first text (sent to everyone who has no "
                + "text in their own language), 한국어."), "Preview");

        String russianHtml = "🎉 <b>Форум «<i>Центральная Азия</i> – <u>Корея»</u></b><u> <code>2026</code></u> 🇰🇿\n"
                + "Пленарное заседание в <s>10:00</s> &lt;<a href=\"https://kcaf.or.kr/seoul\">Сеул</a>&gt; &amp; "
                + "<tg-spoiler>кофе</tg-spoiler>\n<pre><code class=\"language-text\">код</code></pre>\n"
                + "<blockquote>цитата</blockquote>\n<blockquote expandable>подробности "
                + "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji></blockquote>\n"
                + "<a href=\"tg://user?id=7201\">Айгерим</a>";
        String koreanHtml = "📢 <b>한-중앙아 <tg-spoiler>&lt;협력&gt;</tg-spoiler> <i>포럼</i></b><i> &amp; 서포터즈</i> 1기";
        api.await("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.accepted() && m.text().equals(russianHtml));
        api.await("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.accepted() && m.text().equals(koreanHtml));
        press(ADMIN, previewSummary(), "Send now");

        RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(report.text().contains("Delivered: 3 of 3"), report.text());
        assertTrue(api.messagesTo(KZ_DELEGATE).stream().anyMatch(m -> m.accepted() && m.text().equals(russianHtml)));
        assertTrue(api.messagesTo(UZ_DELEGATE).stream().anyMatch(m -> m.accepted() && m.text().equals(russianHtml)));
        assertTrue(api.messagesTo(SUPPORTER).stream().anyMatch(m -> m.accepted() && m.text().equals(koreanHtml)));
    }

    @Test
    void theOneLineFormStillReadsTagsWhileTheGuidedFlowTakesThemAsText() {
        api.sendText(ADMIN, "/announce delegates <b>Tags</b> work here");
        api.awaitMessageTo(ADMIN, "<b>Tags</b> work here");
        startGuided("delegates");
        api.sendText(ADMIN, "Typed <b> stays visible & safe");
        api.awaitMessageTo(ADMIN, "Saved.");
        press(ADMIN, api.awaitMessageTo(ADMIN, "Saved."), "Preview");
        api.awaitMessageTo(ADMIN, "Typed &lt;b&gt; stays visible &amp; safe");
    }

    @Test
    void aLongTextTheAppSentInTwoMessagesIsOneText() {
        startGuided("delegates");
        // What Telegram's apps do with a text over 4096 characters: the first part near the limit, then the rest.
        String first = "Programme of the forum, day by day. ".repeat(113).strip();
        api.sendText(ADMIN, first);
        api.awaitMessageTo(ADMIN, "Saved.");
        api.sendText(ADMIN, "The closing session starts at 17:00.");
        RecordedRequest continued = api.awaitMessageTo(ADMIN, "Added to the text as its continuation");
        assertTrue(continued.text().contains("sent as 2 messages"), continued.text());
        RecordedRequest saved = api.awaitAll("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("Saved."), 2).get(1);
        press(ADMIN, saved, "Preview");
        assertTrue(previewSummary().text().contains("Messages per recipient: 2"));
        api.awaitMessageTo(ADMIN, "The closing session starts at 17:00.");
    }

    @Test
    void aLongOneLineAnnouncementTheAppSentInTwoMessagesIsOneTextAndReadsTagsInBoth() {
        String first = "/announce delegates " + "Programme of the forum, day by day. ".repeat(113).strip();
        api.sendText(ADMIN, first);
        assertTrue(previewSummary().text().contains("Messages per recipient: 1"));
        api.sendText(ADMIN, "The closing session starts at <b>17:00</b>.");
        RecordedRequest continued = api.awaitMessageTo(ADMIN, "Added to the text as its continuation");
        assertTrue(continued.text().contains("sent as 2 messages"), continued.text());
        RecordedRequest summary = api.awaitAll("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #1</b>"), 2).get(1);
        assertTrue(summary.text().contains("Messages per recipient: 2"), summary.text());
        press(ADMIN, summary, "Send now");
        api.awaitMessageTo(KZ_DELEGATE, "The closing session starts at <b>17:00</b>.");
    }

    @Test
    void aTranslationTypedAfterAColleagueSentTheSharedDraftIsAnsweredNotDropped() {
        startGuided("delegates");
        api.sendText(ADMIN, "The plenary starts at 10:00.");
        RecordedRequest saved = api.awaitMessageTo(ADMIN, "Saved.");
        press(ADMIN, saved, "Preview");
        RecordedRequest summary = previewSummary();
        press(ADMIN, saved, "+ Русский");
        api.awaitMessageTo(ADMIN, "Send the text in Русский");
        FakeUser colleague = new FakeUser(9002, "Colleague", "en");
        StaffMembers.make(api, bot, colleague);
        press(colleague, summary, "Send now");
        api.awaitMessageTo(KZ_DELEGATE, "The plenary starts at 10:00.");

        api.sendText(ADMIN, "Пленарное заседание начнётся в 10:00.");
        api.awaitMessageTo(ADMIN, "Announcement #1 was already sent or cancelled.");
    }

    @Test
    void aDraftWhoseAudienceEmptiedMeanwhileTakesAnotherAudienceAndKeepsItsText() {
        startGuided("country:KZ");
        api.sendText(ADMIN, "Visa desk opens at 09:00.");
        RecordedRequest saved = api.awaitMessageTo(ADMIN, "Saved.");
        int blocked = api.blockBot(KZ_DELEGATE);
        HandledUpdates.await(bot, blocked);
        press(ADMIN, saved, "Preview");
        api.awaitMessageTo(ADMIN, "Nobody is in that audience right now");

        api.sendText(ADMIN, "country:UZ");
        RecordedRequest summary = previewSummary();
        assertTrue(summary.text().contains("Recipients: 1"), summary.text());
        press(ADMIN, summary, "Send now");
        api.awaitMessageTo(UZ_DELEGATE, "Visa desk opens at 09:00.");
    }

    @Test
    void aStaffMemberWhoseFirstTextIsInAnotherLanguageCanAddTheirOwn() {
        startGuided("delegates");
        api.sendText(ADMIN, "Визовая поддержка: пишите в Секретариат.");
        press(ADMIN, api.awaitMessageTo(ADMIN, "Saved."), "+ English");
        api.awaitMessageTo(ADMIN, "Send the text in English.");
        api.sendText(ADMIN, "Visa support: write to the secretariat.");
        RecordedRequest texts = api.awaitMessageTo(ADMIN, "in their own language), English.");
        press(ADMIN, texts, "Preview");
        press(ADMIN, previewSummary(), "Send now");

        api.awaitMessageTo(UZ_DELEGATE, "Visa support: write to the secretariat.");
        api.awaitMessageTo(KZ_DELEGATE, "Визовая поддержка: пишите в Секретариат.");
    }

    @Test
    void aShortTextIsNotContinuedByTheNextMessage() {
        startGuided("delegates");
        api.sendText(ADMIN, "The plenary starts at 10:00.");
        api.awaitMessageTo(ADMIN, "Saved.");
        api.sendText(ADMIN, "Another thought");
        api.awaitMessageTo(ADMIN, "Use the buttons above to go on");
    }

    // ---- media ---------------------------------------------------------------------------------------------

    @Nested
    class Media {
        @Test
        void aPhotoWithAFormattedCaptionReachesAHundredRecipientsByFileIdAndItsCaptionCanBeEdited() {
            seedDelegates(100);
            startGuided("delegates");
            String caption = "🎉 Программа форума: 15 ноября, Сеул";
            ArrayNode entities = api.entities();
            over(entities, caption, "bold", "Программа форума");
            api.sendMedia(ADMIN, "photo", "AgACAgIAAxkBAAIBposter", caption, entities, Optional.empty());
            press(ADMIN, api.awaitMessageTo(ADMIN, SAVED), "Preview");
            String captionHtml = "🎉 <b>Программа форума</b>: 15 ноября, Сеул";
            RecordedRequest preview = api.await("sendPhoto", m -> m.chatId() == ADMIN.chatId());
            assertEquals("AgACAgIAAxkBAAIBposter", preview.body().path("photo").asText(), "the largest size, by id");
            assertEquals(captionHtml, preview.caption());
            press(ADMIN, previewSummary(), "Send now");

            RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
            assertTrue(report.text().contains("Delivered: 102 of 102"), report.text());
            List<RecordedRequest> photos = api.requests("sendPhoto").stream()
                    .filter(m -> m.accepted() && m.chatId() != ADMIN.chatId()).toList();
            assertEquals(102, photos.size());
            assertTrue(photos.stream().allMatch(m -> m.body().path("photo").asText().equals("AgACAgIAAxkBAAIBposter")
                    && m.caption().equals(captionHtml)), "by file_id, never uploaded; the caption as typed");

            api.sendText(ADMIN, "/announcements edit 1");
            api.awaitMessageTo(ADMIN, "Editing announcement #1");
            String fixed = "🎉 Программа форума: 16 ноября, Сеул";
            ArrayNode fixedEntities = api.entities();
            over(fixedEntities, fixed, "bold", "16 ноября");
            api.sendFormatted(ADMIN, fixed, fixedEntities);
            RecordedRequest editReport = api.awaitMessageTo(ADMIN, "Edit of announcement #1 done");
            assertTrue(editReport.text().contains("Edited: 102 of 102"), editReport.text());
            Map<Long, Integer> sentIds = photos.stream().collect(Collectors.toMap(RecordedRequest::chatId,
                    RecordedRequest::messageId));
            List<RecordedRequest> edits = api.requests("editMessageCaption").stream().filter(RecordedRequest::accepted)
                    .toList();
            assertEquals(102, edits.size());
            assertTrue(edits.stream().allMatch(edit -> edit.caption().equals("🎉 Программа форума: <b>16 ноября</b>, Сеул")
                    && sentIds.get(edit.chatId()) == edit.body().path("message_id").asInt()));
        }

        @Test
        void aTranslationTypedForAPhotoIsItsCaptionForThatLanguagesReaders() {
            startGuided("delegates");
            api.sendMedia(ADMIN, "photo", "AgACAgIAAxkBAAIBposter", "Forum programme", api.entities(),
                    Optional.empty());
            press(ADMIN, api.awaitMessageTo(ADMIN, SAVED), "+ Русский");
            api.awaitMessageTo(ADMIN, "Send the text in Русский");
            // A text the app split in three: its first part is refused, and the parts after it are not taken for the
            // translation.
            String part = "Программа форума. " + "Подробности ниже. ".repeat(200);
            api.sendText(ADMIN, part);
            api.awaitMessageTo(ADMIN, "this one has 3,617");
            api.sendText(ADMIN, part);
            api.sendText(ADMIN, "Конец длинного текста.");
            api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("may be its end"), 2);
            // Shortened by hand, which takes longer than the parts of a split text take to arrive: read as a text.
            clock.advance(Duration.ofSeconds(30));
            api.sendText(ADMIN, "Программа форума. " + "Подробности ниже. ".repeat(60));
            api.awaitMessageTo(ADMIN, "this one has 1,097");
            api.sendText(ADMIN, "Программа форума");
            RecordedRequest saved = api.await("sendMessage", m -> m.chatId() == ADMIN.chatId()
                    && m.text().startsWith("Saved.") && m.text().contains("Русский"));
            press(ADMIN, saved, "Preview");
            press(ADMIN, previewSummary(), "Send now");
            api.awaitMessageTo(ADMIN, "done</b>");

            RecordedRequest russian = api.await("sendPhoto", m -> m.chatId() == KZ_DELEGATE.chatId() && m.accepted());
            assertEquals("AgACAgIAAxkBAAIBposter", russian.body().path("photo").asText());
            assertEquals("Программа форума", russian.caption());
            RecordedRequest english = api.await("sendPhoto", m -> m.chatId() == UZ_DELEGATE.chatId() && m.accepted());
            assertEquals("Forum programme", english.caption());
            assertTrue(api.messagesTo(KZ_DELEGATE).stream().noneMatch(m -> m.text().contains("Программа")),
                    "the translation is the photo's caption, not a text of its own");
        }

        @Test
        void anAlbumArrivingAsSeveralUpdatesGoesOutAsOneAlbumAndIsRecalledWhole() throws IOException {
            startGuided("delegates");
            String caption = "Фотографии открытия";
            ArrayNode entities = api.entities();
            over(entities, caption, "italic", "открытия");
            api.sendMedia(ADMIN, "photo", "photo-1", caption, entities, Optional.of("album-77"));
            api.awaitMessageTo(ADMIN, SAVED);
            api.sendMedia(ADMIN, "photo", "photo-2", "", api.entities(), Optional.of("album-77"));
            // A caption typed on a later item too: the album's one caption holds both, in order.
            api.sendMedia(ADMIN, "video", "video-3", "Второй день", api.entities(), Optional.of("album-77"));
            // Updates of one chat are handled in order: the press comes after the album's last item.
            RecordedRequest prompt = api.await("sendMessage", m -> m.chatId() == ADMIN.chatId()
                    && m.text().startsWith(SAVED));
            press(ADMIN, prompt, "Preview");
            RecordedRequest preview = api.await("sendMediaGroup", m -> m.chatId() == ADMIN.chatId());
            assertEquals(List.of("photo-1", "photo-2", "video-3"), items(preview).stream()
                    .map(item -> item.path("media").asText()).toList());
            assertEquals("Фотографии <i>открытия</i>\n\nВторой день", items(preview).get(0).path("caption").asText());
            press(ADMIN, previewSummary(), "Send now");
            api.awaitMessageTo(ADMIN, "done</b>");
            RecordedRequest toKz = api.await("sendMediaGroup", m -> m.chatId() == KZ_DELEGATE.chatId() && m.accepted());
            assertEquals(3, items(toKz).size());
            assertEquals(1, api.requests("sendMediaGroup").stream().filter(m -> m.chatId() == UZ_DELEGATE.chatId())
                    .count());

            api.sendText(ADMIN, "/announcements delete 1");
            press(ADMIN, api.awaitMessageTo(ADMIN, "Recall announcement #1?"), "Recall it");
            api.awaitMessageTo(ADMIN, "Recall of announcement #1 done");
            int first = toKz.messageId();
            assertTrue(api.messagesStillIn(KZ_DELEGATE.chatId()).stream()
                    .noneMatch(id -> id >= first && id < first + 3), "every item of the album is gone");
        }

        @Test
        void aLaterItemsCaptionThatWouldTakeTheAlbumsOverTheLimitIsLeftOutAndSaid() {
            startGuided("delegates");
            String first = "Фото. ".repeat(170).strip(); // 1,019 characters: with the next one, 1,032
            api.sendMedia(ADMIN, "photo", "photo-1", first, api.entities(), Optional.of("album-78"));
            api.awaitMessageTo(ADMIN, SAVED);
            api.sendMedia(ADMIN, "photo", "photo-2", "Второй день", api.entities(), Optional.of("album-78"));
            api.awaitMessageTo(ADMIN, "this item's caption did not fit and was left out");
            press(ADMIN, api.await("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().startsWith(SAVED)),
                    "Preview");
            RecordedRequest preview = api.await("sendMediaGroup", m -> m.chatId() == ADMIN.chatId());
            assertEquals(2, items(preview).size(), "the item is in the album");
            assertEquals(first, items(preview).get(0).path("caption").asText());
        }

        @Test
        void aCaptionOverTheLimitIsRefusedBeforeSendingWithTheReason() {
            startGuided("delegates");
            api.sendMedia(ADMIN, "document", "BQACAgIAAxkBAAIBprogramme", "Программа. ".repeat(100), api.entities(),
                    Optional.empty());
            RecordedRequest refusal = api.awaitMessageTo(ADMIN, "A caption may have at most 1,024 characters");
            assertTrue(refusal.text().contains("this one has 1,099"), refusal.text());
            api.sendMedia(ADMIN, "document", "BQACAgIAAxkBAAIBprogramme", "Программа форума (PDF)", api.entities(),
                    Optional.empty());
            press(ADMIN, api.awaitMessageTo(ADMIN, SAVED), "Preview");
            RecordedRequest preview = api.await("sendDocument", m -> m.chatId() == ADMIN.chatId());
            assertEquals("BQACAgIAAxkBAAIBprogramme", preview.body().path("document").asText());
        }

        private List<JsonNode> items(RecordedRequest album) {
            try {
                JsonNode media = album.body().path("media");
                JsonNode items = media.isTextual() ? JSON.readTree(media.asText()) : media;
                List<JsonNode> list = new ArrayList<>();
                items.forEach(list::add);
                return list;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    // ---- edit and recall -----------------------------------------------------------------------------------

    @Test
    void anEditReachesEveryRecipientInPlaceAndAfter48HoursIsCountedAsTooOld() {
        Map<Long, RecordedRequest> sent = announceToDelegates("Plenary at <b>10:00</b>");
        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitMessageTo(ADMIN, "Editing announcement #1</b> · Your first text (sent to everyone who "
                + "has no text in their own language) (1 of 1).");
        api.awaitMessageTo(ADMIN, "Plenary at <b>10:00</b>");
        String fixed = "Plenary at 11:00 🕚";
        ArrayNode entities = api.entities();
        over(entities, fixed, "bold", "11:00");
        api.sendFormatted(ADMIN, fixed, entities);
        api.awaitMessageTo(ADMIN, "Editing announcement #1 in every chat that got it");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "Edit of announcement #1 done");
        assertTrue(report.text().contains("Edited: 2 of 2") && report.text().contains("left as they were: 0"),
                report.text());
        for (FakeUser user : List.of(KZ_DELEGATE, UZ_DELEGATE)) {
            RecordedRequest edit = api.await("editMessageText", m -> m.chatId() == user.chatId() && m.accepted()
                    && m.text().equals("Plenary at <b>11:00</b> 🕚"));
            assertEquals(sent.get(user.chatId()).messageId(), edit.body().path("message_id").asInt());
        }

        clock.advance(Duration.ofHours(49));
        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("Editing announcement #1</b>"), 2);
        api.sendText(ADMIN, "Plenary at 12:00");
        RecordedRequest late = api.await("sendMessage", m -> m.chatId() == ADMIN.chatId()
                && m.text().contains("Edit of announcement #1 done") && m.text().contains("left as they were: 2"));
        assertTrue(late.text().contains("Edited: 0 of 2"), late.text());
        assertTrue(api.requests("editMessageText").stream().noneMatch(m -> m.text().contains("12:00")));
        assertEquals(List.of("announcement.send", "announcement.edit", "announcement.edit"), auditActions());
    }

    @Test
    void anEditKeepsALanguageAtAPressAndEditsOnlyTheMessagesWhoseTextChanged() {
        startGuided("all");
        api.sendText(ADMIN, "The plenary starts at 10:00.");
        press(ADMIN, api.awaitMessageTo(ADMIN, "Saved."), "한국어");
        api.awaitMessageTo(ADMIN, "Send the text in 한국어.");
        api.sendText(ADMIN, "본회의는 10시에 시작합니다.");
        press(ADMIN, api.awaitMessageTo(ADMIN, "text in their own language), 한국어."), "Preview");
        press(ADMIN, previewSummary(), "Send now");
        api.awaitMessageTo(ADMIN, "done</b>");

        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitMessageTo(ADMIN, "(1 of 2)");
        RecordedRequest english = api.await("sendMessage", m -> m.chatId() == ADMIN.chatId()
                && m.buttons().stream().anyMatch(button -> button.text().equals("Keep this text")));
        assertEquals("The plenary starts at 10:00.", english.text(), "the text as it reads now");
        press(ADMIN, english, "Keep this text");
        api.awaitMessageTo(ADMIN, "(2 of 2)");
        api.sendText(ADMIN, "본회의는 11시에 시작합니다.");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "Edit of announcement #1 done");
        assertTrue(report.text().contains("Edited: 1 of 1"), report.text());
        assertEquals(List.of(SUPPORTER.chatId()), api.requests("editMessageText").stream()
                .filter(m -> m.chatId() != ADMIN.chatId()).map(RecordedRequest::chatId).toList(),
                "only the Korean reader's message changed");
    }

    @Test
    void anEditMustKeepTheNumberOfMessagesAndOnlyStaffMayEdit() {
        announceToDelegates("Short text");
        api.sendText(KZ_DELEGATE, "/announcements edit 1");
        api.awaitMessageTo(KZ_DELEGATE, "Эта функция доступна только сотрудникам Секретариата.");
        api.sendText(ADMIN, "/announcements edit 99");
        api.awaitMessageTo(ADMIN, "There is no announcement #99.");
        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitMessageTo(ADMIN, "Editing announcement #1");
        api.sendText(ADMIN, "word ".repeat(1000));
        api.awaitMessageTo(ADMIN, "The new text makes 2 messages; the sent one made 1.");
        assertTrue(api.requests("editMessageText").stream().noneMatch(m -> m.text().startsWith("word")));
    }

    @Test
    void anAnnouncementOfTwoMessagesIsShownAndEditedAsTwoMessagesTheAppSplitTheNewTextInto() {
        String day = "Programme of the forum, day by day. ".repeat(113).strip();
        api.sendText(ADMIN, "/announce delegates " + day);
        api.sendText(ADMIN, "The closing session starts at 17:00.");
        RecordedRequest summary = api.awaitAll("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #1</b>"), 2).get(1);
        press(ADMIN, summary, "Send now");
        api.awaitMessageTo(ADMIN, "done</b>");
        RecordedRequest secondPart = api.awaitMessageTo(KZ_DELEGATE, "The closing session starts at 17:00.");

        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitMessageTo(ADMIN, "Editing announcement #1");
        RecordedRequest shownLast = api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.accepted() && message.text().contains("closing session starts at 17:00")
                && message.buttons().stream().anyMatch(button -> button.text().equals("Keep this text")));
        assertTrue(shownLast.text().length() < 100, "the text as it went out, message by message");

        api.sendText(ADMIN, day.replace("day by day", "one by one"));
        api.awaitMessageTo(ADMIN, "of the new text so far; the sent one made 2 messages. Send the rest");
        api.sendText(ADMIN, "The closing session starts at 17:30.");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "Edit of announcement #1 done");
        assertTrue(report.text().contains("Edited: 2 of 2"), "people, as the announcement's report: " + report.text());
        RecordedRequest edited = api.await("editMessageText", edit -> edit.chatId() == KZ_DELEGATE.chatId()
                && edit.body().path("message_id").asInt() == secondPart.messageId());
        assertEquals("The closing session starts at 17:30.", edited.text());
        assertTrue(api.requests("editMessageText").stream().anyMatch(edit -> edit.chatId() == KZ_DELEGATE.chatId()
                && edit.text().startsWith("Programme of the forum, one by one.")));
    }

    @Test
    void aNewTextWhoseLastMessageIsFullIsTakenOnlyOnceStaffSayItIsWholeAndOneTooLongIsRefused() {
        String day = "Programme of the forum, day by day. ".repeat(113).strip();
        api.sendText(ADMIN, "/announce delegates " + day);
        api.sendText(ADMIN, "The closing session starts at 17:00.");
        press(ADMIN, api.awaitAll("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #1</b>"), 2).get(1), "Send now");
        api.awaitMessageTo(ADMIN, "done</b>");
        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitMessageTo(ADMIN, "Editing announcement #1");

        String full = "Programme of the forum, one by one. ".repeat(113).strip();
        api.sendText(ADMIN, full);
        api.awaitMessageTo(ADMIN, "of the new text so far; the sent one made 2 messages");
        api.sendText(ADMIN, full);
        RecordedRequest whole = api.awaitMessageTo(ADMIN, "as the sent one. Telegram's apps send a long text in parts");
        api.sendText(ADMIN, "And a third message. ".repeat(5).strip()); // more than the second message has room for
        api.awaitMessageTo(ADMIN, "The new text makes 3 messages; the sent one made 2.");
        assertTrue(api.requests("editMessageText").stream().noneMatch(edit -> edit.chatId() == KZ_DELEGATE.chatId()));
        press(ADMIN, whole, "That is the whole text");
        api.await("answerCallbackQuery", answer -> answer.body().path("text").asText().equals("This button has expired."));

        api.sendText(ADMIN, full);
        api.sendText(ADMIN, full);
        press(ADMIN, api.awaitAll("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().contains("as the sent one."), 2).get(1), "That is the whole text");
        api.awaitMessageTo(ADMIN, "Edit of announcement #1 done");
        assertEquals(2, api.requests("editMessageText").stream().filter(edit -> edit.chatId() == KZ_DELEGATE.chatId()
                && edit.text().startsWith("Programme of the forum, one by one.")).count());
    }

    @Test
    void aRecallDeletesItFromEveryChatAfterConfirmation() {
        Map<Long, RecordedRequest> sent = announceToDelegates("Wrong room: 301");
        api.sendText(ADMIN, "/announcements delete 1");
        RecordedRequest confirm = api.awaitMessageTo(ADMIN, "Recall announcement #1?");
        assertTrue(confirm.text().contains("the 2 chats"), confirm.text());
        assertTrue(api.requests("deleteMessage").isEmpty(), "nothing before the confirmation");
        press(ADMIN, confirm, "Recall it");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "Recall of announcement #1 done");
        assertTrue(report.text().contains("Deleted: 2 of 2"), report.text());
        for (FakeUser user : List.of(KZ_DELEGATE, UZ_DELEGATE)) {
            assertFalse(api.messagesStillIn(user.chatId()).contains(sent.get(user.chatId()).messageId()));
        }
        assertTrue(auditActions().contains("announcement.delete"));

        press(ADMIN, confirm, "Recall it");
        api.awaitMessageTo(ADMIN, "Announcement #1 was recalled; there is nothing left to change.");
        press(ADMIN, confirm, "Keep it");
        api.await("editMessageText", edit -> edit.chatId() == ADMIN.chatId()
                && edit.text().equals("Announcement #1 was recalled; there is nothing left to change."));
        assertTrue(api.requests("editMessageText").stream().noneMatch(edit -> edit.text().contains("stays as it is")));
        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("was recalled"), 2);
        assertEquals(2, api.requests("deleteMessage").size(), "recalled once");
        api.sendText(ADMIN, "/announcements");
        assertTrue(api.awaitMessageTo(ADMIN, "#1 · recalled · ").text().contains("Delegates"));
    }

    @Test
    void aMessageOnItsWayWhenStaffRecallTheAnnouncementIsDeletedOnceTelegramAcceptsIt() {
        FakeTelegramApi.Hold onItsWay = api.hold(UZ_DELEGATE.chatId());
        api.sendText(ADMIN, "/announce delegates Wrong room: 301");
        press(ADMIN, previewSummary(), "Send now");
        onItsWay.awaitArrival();
        api.sendText(ADMIN, "/announcements delete 1");
        press(ADMIN, api.awaitMessageTo(ADMIN, "Recall announcement #1?"), "Recall it");
        api.awaitMessageTo(ADMIN, "Recalling announcement #1");
        onItsWay.release();

        RecordedRequest accepted = api.awaitMessageTo(UZ_DELEGATE, "Wrong room: 301");
        RecordedRequest deleted = api.await("deleteMessage", delete -> delete.chatId() == UZ_DELEGATE.chatId()
                && delete.body().path("message_id").asInt() == accepted.messageId());
        assertFalse(api.messagesStillIn(UZ_DELEGATE.chatId()).contains(accepted.messageId()));
        RecordedRequest report = api.awaitMessageTo(ADMIN, "Recall of announcement #1 done");
        List<RecordedRequest> requests = api.requests();
        assertTrue(requests.indexOf(deleted) < requests.indexOf(report), "the report waits for the late deletion");
        assertTrue(report.text().matches("(?s).*Deleted: (\\d+) of \\1\\n.*"), report.text());
    }

    @Test
    void anEditFinishedAfterSomeoneRecalledTheAnnouncementChangesNothing() {
        announceToDelegates("Wrong room: 301");
        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitMessageTo(ADMIN, "Editing announcement #1</b>");
        FakeUser colleague = new FakeUser(9002, "Colleague", "en");
        StaffMembers.make(api, bot, colleague);
        api.sendText(colleague, "/announcements delete 1");
        press(colleague, api.awaitMessageTo(colleague, "Recall announcement #1?"), "Recall it");
        api.awaitMessageTo(colleague, "Recall of announcement #1 done");

        api.sendText(ADMIN, "Right room: 302");
        api.awaitMessageTo(ADMIN, "Announcement #1 was recalled; there is nothing left to change.");
        assertTrue(api.requests("editMessageText").stream().noneMatch(m -> m.text().contains("302")));
        assertFalse(auditActions().contains("announcement.edit"), auditActions().toString());
    }

    @Test
    void aRecallAfter48HoursCountsWhatTelegramNoLongerLetsTheBotDelete() {
        announceToDelegates("Old news");
        clock.advance(Duration.ofHours(49));
        api.sendText(ADMIN, "/announcements delete 1");
        press(ADMIN, api.awaitMessageTo(ADMIN, "Recall announcement #1?"), "Recall it");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "Recall of announcement #1 done");
        assertTrue(report.text().contains("Deleted: 0 of 2") && report.text().contains("left as they were: 2"),
                report.text());
        assertTrue(api.requests("deleteMessage").isEmpty());
    }

    @Test
    void anEditStoppedMidwayIsFinishedAfterRestartLosingAndDoublingNothingBeyondWhatWasInFlight() {
        bot.close();
        // Slow enough that the 47 edits left after the first 15 (about 8 s) outlast a stop on a busy machine.
        environment.put("DELIVERY_MAX_PER_SECOND", "6");
        api.latency(Duration.ofMillis(30));
        bot = Application.start(TestSettings.config(environment, folder), clock);
        seedDelegates(60);
        announceToDelegates("Crash-safe edit v1");
        api.sendText(ADMIN, "/announcements edit 1");
        api.awaitMessageTo(ADMIN, "Editing announcement #1</b>");
        api.sendText(ADMIN, "Crash-safe edit v2");
        api.awaitAll("editMessageText", m -> m.accepted() && m.chatId() >= FIRST_SEEDED, 15);
        bot.close();
        Set<Long> inFlightAtStop;
        try (Database database = Database.open(folder.resolve("bot.db"))) {
            inFlightAtStop = Set.copyOf(database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT chat_id FROM outbox WHERE status = 'in_flight'").mapTo(Long.class).list()));
        }
        int editedBeforeStop = editsByChat().size();
        assertTrue(editedBeforeStop < 62, "stopped midway: " + editedBeforeStop);

        environment.put("DELIVERY_MAX_PER_SECOND", "15");
        bot = Application.start(TestSettings.config(environment, folder), clock);
        RecordedRequest report = api.awaitMessageTo(ADMIN, "Edit of announcement #1 done");
        assertTrue(report.text().contains("Edited: 62 of 62"), report.text());
        Map<Long, Long> edits = editsByChat();
        assertEquals(62, edits.size(), "every recipient's message edited");
        Set<Long> twice = edits.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertTrue(inFlightAtStop.containsAll(twice), "edited twice " + twice + ", in flight " + inFlightAtStop);
    }

    private Map<Long, Long> editsByChat() {
        return api.requests("editMessageText").stream()
                .filter(m -> m.accepted() && m.text().equals("Crash-safe edit v2"))
                .collect(Collectors.groupingBy(RecordedRequest::chatId, Collectors.counting()));
    }
}

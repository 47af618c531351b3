package org.forumgateway;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events and RSVPs through the real bot and the fake Bot API, pressing the buttons the bot sent. */
class EventsEndToEndTest {
    private static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    private static final FakeUser AIGUL = new FakeUser(7101, "Айгуль", "ru");
    private static final FakeUser JOHN = new FakeUser(7102, "John", "en");
    private static final FakeUser MIN = new FakeUser(7103, "민준", "ko");

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private FakeTelegramApi api;
    private Application bot;
    private Path eventsFile;
    private Map<String, String> environment;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        api = FakeTelegramApi.start();
        eventsFile = Schedules.write(folder, Schedules.oneEvent("plenary", 1) + extraEvents(6));
        environment = TestSettings.environment(api, folder);
        environment.put("ADMIN_IDS", String.valueOf(ADMIN.id()));
        environment.put("EVENTS_FILE", eventsFile.toString());
        environment.put("HTTP_PORT", String.valueOf(freePort()));
        bot = Application.start(TestSettings.config(environment, folder), clock);
    }

    @AfterEach
    void stop() {
        bot.close();
        api.close();
    }

    /** Public seminars on later days, so the list has a second page. */
    private static String extraEvents(int count) {
        return dailyEvents(count, "seminar", "Seminar", "15:00", "17:00", "");
    }

    /**
     * {@code count} events on 11, 12, … December in Seoul, keyed {@code key}-1, -2, … and titled "{@code title} 1",
     * …, each with the lines {@code more} (indented as a field) added.
     */
    private static String dailyEvents(int count, String key, String title, String from, String to, String more) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            yaml.append("""
                      - key: %s-%d
                        kind: secretariat
                        title: {en: "%s %d"}
                        timezone: Asia/Seoul
                        start: 2026-12-%02dT%s
                        end: 2026-12-%02dT%s
                    """.formatted(key, i, title, i, 10 + i, from, 10 + i, to)).append(more);
        }
        return yaml.toString();
    }

    private RecordedRequest openCard(FakeUser user, String key) {
        api.sendText(user, "/event " + key);
        return api.await("sendMessage", message -> message.chatId() == user.chatId()
                && message.buttons().stream().anyMatch(button -> button.callbackData().endsWith(":" + key)));
    }

    private RecordedRequest openCardInTashkent(FakeUser user, String key) {
        api.sendText(user, "/timezone Asia/Tashkent");
        api.awaitMessageTo(user, "Time zone set");
        return openCard(user, key);
    }

    private RecordedRequest press(FakeUser user, RecordedRequest message, String label) {
        int before = api.requests("answerCallbackQuery").size();
        api.pressButton(user, message.messageId(), message.button(label).callbackData());
        return api.awaitAll("answerCallbackQuery", answer -> true, before + 1).get(before);
    }

    @Test
    void cardShowsTheVenueTimeAndTheReadersOwnTime() {
        RecordedRequest card = openCardInTashkent(JOHN, "plenary");
        assertTrue(card.text().contains("🗓 Tuesday, December 8, 10:00–12:00 (Seoul)"), card.text());
        assertTrue(card.text().contains("🕒 In your time zone: Tuesday, December 8, 06:00–08:00 (Tashkent)"), card.text());
        assertTrue(card.text().contains("📍 Lotte Hotel Seoul, 30 Eulji-ro, Jung-gu, Seoul"), card.text());
        assertTrue(card.text().contains("1 seat left of 1"), card.text());
        assertTrue(card.text().contains("You have not replied yet."), card.text());
    }

    @Test
    void everyTimeShownSaysWhoseTimeItIs() {
        RecordedRequest card = openCardInTashkent(JOHN, "plenary");
        assertTrue(card.text().contains("Please reply by Friday, December 4, 14:00 (Tashkent)."), card.text());
        api.sendText(JOHN, "/events");
        RecordedRequest list = api.awaitMessageTo(JOHN, "Upcoming events");
        assertTrue(list.text().contains("Times in your time zone: Tashkent (UTC+5)"), list.text());
        assertTrue(list.text().contains("06:00 · Plenary"), list.text());
        press(JOHN, card, "Attending");
        api.sendText(JOHN, "/myevents");
        RecordedRequest mine = api.awaitMessageTo(JOHN, "Your upcoming events");
        assertTrue(mine.text().contains("Times in your time zone: Tashkent (UTC+5)"), mine.text());
        assertTrue(mine.text().contains("Tuesday, December 8, 06:00 · Plenary"), mine.text());
    }

    @Test
    void aSeoulReaderSeesOneTimeOnly() {
        RecordedRequest card = openCard(MIN, "plenary");
        assertTrue(card.text().contains("🗓 12월 8일 화요일 10:00–12:00 (서울)"), card.text());
        assertFalse(card.text().contains("🕒"), card.text());
    }

    @Test
    void goingThenWaitlistedThenPromotedWhenTheSeatFrees() {
        RecordedRequest johnsCard = openCard(JOHN, "plenary");
        RecordedRequest answer = press(JOHN, johnsCard, "Attending");
        assertEquals("Your attendance is confirmed.", answer.body().path("text").asText());
        RecordedRequest redrawn = api.await("editMessageText", edit -> edit.chatId() == JOHN.chatId());
        assertEquals(johnsCard.messageId(), redrawn.messageId());
        assertTrue(redrawn.text().contains("Your reply: <b>Attending</b>"), redrawn.text());
        assertTrue(redrawn.button("Attending").text().startsWith("✓"));

        RecordedRequest aigulsCard = openCard(AIGUL, "plenary");
        assertTrue(aigulsCard.text().contains("Свободных мест нет"), aigulsCard.text());
        RecordedRequest waitlisted = press(AIGUL, aigulsCard, "Приму участие");
        assertEquals("Свободных мест нет: вы внесены в лист ожидания под номером 1.", waitlisted.body().path("text").asText());

        press(JOHN, redrawn, "Not attending");
        RecordedRequest promoted = api.awaitMessageTo(AIGUL, "Освободилось место");
        assertTrue(promoted.text().contains("<b>Пленарное заседание</b>"), promoted.text());
        api.sendText(AIGUL, "/myevents");
        api.awaitMessageTo(AIGUL, "Пленарное заседание — приму участие");
    }

    @Test
    void anAnswerGivenOnAReminderKeepsItAReminderAndAllEventsLeavesItInTheChat() throws IOException {
        Files.writeString(eventsFile, Files.readString(eventsFile).replace("    rsvp_deadline: 2026-12-04T18:00\n", ""));
        api.sendText(ADMIN, "/reload");
        api.awaitMessageTo(ADMIN, "Schedule reloaded");
        press(JOHN, openCard(JOHN, "plenary"), "Attending");
        clock.set(Instant.parse("2026-12-07T01:00:00Z")); // a day before the plenary: its first reminder
        RecordedRequest reminder = api.awaitMessageTo(JOHN, "<b>Reminder:</b>");
        String header = reminder.text().lines().findFirst().orElseThrow();

        press(JOHN, reminder, "Not attending");
        RecordedRequest redrawn = api.await("editMessageText", edit -> edit.messageId() == reminder.messageId());
        assertEquals(header, redrawn.text().lines().findFirst().orElseThrow(), redrawn.text());
        assertTrue(redrawn.text().contains("Your reply: <b>Not attending</b>"), redrawn.text());

        press(JOHN, redrawn, "All events");
        RecordedRequest list = api.awaitMessageTo(JOHN, "Upcoming events");
        assertTrue(list.messageId() != reminder.messageId(), "a message of its own");
        assertEquals(1, api.requests("editMessageText").stream()
                .filter(edit -> edit.messageId() == reminder.messageId()).count(), "the reminder stays in the chat");
    }

    @Test
    void someoneWaitingForAnEventNoLongerForThemGetsTheFreeSeatWhenTheyBecomeStaff() throws IOException {
        press(ADMIN, openCard(ADMIN, "plenary"), "Attending");
        press(AIGUL, openCard(AIGUL, "plenary"), "Приму участие");
        api.awaitMessageTo(AIGUL, "листе ожидания");
        Files.writeString(eventsFile, Files.readString(eventsFile)
                .replaceFirst("audience: public", "audience: delegates"));
        api.sendText(ADMIN, "/reload");
        api.awaitMessageTo(ADMIN, "Schedule reloaded");
        RecordedRequest declined = press(ADMIN, openCard(ADMIN, "plenary"), "Not attending");
        assertEquals("Your reply is noted: not attending.", declined.body().path("text").asText());
        // The plenary is for delegates now: not for her, a guest (ScheduleReloaderTest shows the seat stays free).

        api.sendText(ADMIN, "/staff add " + AIGUL.id());
        api.awaitMessageTo(ADMIN, "is now a member of the Secretariat staff");
        api.awaitMessageTo(AIGUL, "Освободилось место");
    }

    @Test
    void eventsAreListedFiveToAPageGroupedByDay() {
        api.sendText(JOHN, "/events");
        RecordedRequest list = api.awaitMessageTo(JOHN, "Upcoming events");
        assertTrue(list.text().contains("page 1 of 2"), list.text());
        assertTrue(list.text().contains("<b>Tuesday, December 8</b>\n10:00 · Plenary"), list.text());
        assertFalse(list.text().contains("Chief delegates"), "delegates-only events are invisible to guests");
        press(JOHN, list, "Next");
        RecordedRequest second = api.await("editMessageText", edit -> edit.text().contains("page 2 of 2"));
        assertTrue(second.text().contains("Seminar 6"), second.text());
        press(JOHN, second, "Seminar 6");
        api.awaitMessageTo(JOHN, "<b>Seminar 6</b>");
    }

    @Nested
    class ForgedAndOutdatedButtons {
        @Test
        void anRsvpToAHiddenEventIsRefusedAsExpired() {
            RecordedRequest card = openCard(JOHN, "plenary");
            api.pressButton(JOHN, card.messageId(), "rsvp:g:delegates-lunch");
            api.pressButton(JOHN, card.messageId(), "rsvp:x:plenary");
            api.pressButton(JOHN, card.messageId(), "evl:abc");
            List<RecordedRequest> answers = api.awaitAll("answerCallbackQuery", answer -> true, 3);
            answers.forEach(answer -> assertEquals("This button has expired.", answer.body().path("text").asText()));
            api.sendText(ADMIN, "/rsvps delegates-lunch");
            api.awaitMessageTo(ADMIN, "Attending: 0");
        }

        @Test
        void hiddenEventsDoNotExistForOthers() {
            api.sendText(JOHN, "/event delegates-lunch");
            api.awaitMessageTo(JOHN, "There is no event “delegates-lunch”");
            api.sendText(JOHN, "/start event-delegates-lunch");
            api.awaitAll("sendMessage", message -> message.chatId() == JOHN.chatId()
                    && message.text().contains("There is no event “delegates-lunch”"), 2);
        }

        @Test
        void staffAreToldWhichEventsTheFileNoLongerHasAndThatTheyStayAsTheyWere() throws IOException {
            Files.writeString(eventsFile, Schedules.oneEvent("plenary", 1) + extraEvents(5));
            api.sendText(ADMIN, "/reload");
            RecordedRequest missing = api.awaitMessageTo(ADMIN, "No longer in the events file");
            assertTrue(missing.text().contains(": seminar-6."), missing.text());
        }

        @Test
        void anOldCardOfACancelledEventRefusesAnswers() throws IOException {
            RecordedRequest card = openCard(JOHN, "plenary");
            Files.writeString(eventsFile, Files.readString(eventsFile)
                    .replace("    reminders: [24h, 1h]\n", "    reminders: [24h, 1h]\n    cancelled: true\n"));
            api.sendText(ADMIN, "/reload");
            api.awaitMessageTo(ADMIN, "Schedule reloaded");
            RecordedRequest answer = press(JOHN, card, "Attending");
            assertEquals("This event has been cancelled.", answer.body().path("text").asText());
        }

        @Test
        void aCancelledEventIsMarkedSoInMyEventsInsteadOfTheAnswer() throws IOException {
            press(JOHN, openCard(JOHN, "plenary"), "Attending");
            Files.writeString(eventsFile, Files.readString(eventsFile)
                    .replace("    reminders: [24h, 1h]\n", "    reminders: [24h, 1h]\n    cancelled: true\n"));
            api.sendText(ADMIN, "/reload");
            api.awaitMessageTo(ADMIN, "Schedule reloaded");
            api.sendText(JOHN, "/myevents");
            RecordedRequest mine = api.awaitMessageTo(JOHN, "Your upcoming events");
            assertTrue(mine.text().contains("Plenary — <b>cancelled</b>"), mine.text());
            assertFalse(mine.text().contains("Plenary — attending"), mine.text());
        }

        @Test
        void aMalformedDeepLinkIsExplained() {
            api.sendText(JOHN, "/start <script>");
            api.awaitMessageTo(JOHN, "This link is not valid");
        }
    }

    @Test
    void deepLinkOpensTheCard() {
        api.sendText(AIGUL, "/start event-plenary");
        api.awaitMessageTo(AIGUL, "<b>Пленарное заседание</b>");
    }

    @Test
    void aFirstContactThroughADeepLinkGetsTheCardThenBothPickers() {
        api.sendText(AIGUL, "/start event-plenary");
        assertEquals(List.of("card", "language", "time zone"), firstThree(AIGUL, "<b>Пленарное заседание</b>"));
    }

    @Test
    void aFirstContactThroughAnInviteGetsTheWelcomeThenBothPickers() {
        api.sendText(ADMIN, "/invite delegate KZ");
        String created = api.awaitMessageTo(ADMIN, "Invitation link for <b>Kazakhstan</b>").text();
        assertTrue(created.contains("December 15,"), "14 days from 1 December, valid that whole day: " + created);
        Matcher link = Pattern.compile("start=(inv-[a-z0-9]+)").matcher(created);
        assertTrue(link.find());
        api.sendText(AIGUL, "/start " + link.group(1));
        assertEquals(List.of("card", "language", "time zone"), firstThree(AIGUL, "делегат (страна: Казахстан)"));
        String logged = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT detail FROM audit_log WHERE action = 'invite.create'").mapTo(String.class).one());
        assertFalse(logged.contains(link.group(1).substring("inv-".length())), "a reader of the log cannot join: " + logged);
    }

    @Test
    void someoneWhoChoseBothGetsNoPickersFromADeepLink() {
        api.sendText(JOHN, "/language en");
        api.awaitMessageTo(JOHN, "Language set");
        api.sendText(JOHN, "/timezone Asia/Tashkent");
        api.awaitMessageTo(JOHN, "Time zone set");
        api.sendText(JOHN, "/start event-plenary");
        api.awaitMessageTo(JOHN, "<b>Plenary</b>");
        api.sendText(JOHN, "/help");
        api.awaitMessageTo(JOHN, "Available commands"); // handled after the deep link: its pickers would be queued by now
        assertTrue(api.messagesTo(JOHN).stream().noneMatch(message -> message.text().contains("Choose your language")
                || message.text().contains("Your time zone is")), api.summary());
    }

    /** The first three messages to {@code user}, named: the deep link's answer, then the pickers, in order. */
    private List<String> firstThree(FakeUser user, String answer) {
        List<RecordedRequest> messages = api.awaitAll("sendMessage", message -> message.chatId() == user.chatId(), 3);
        assertTrue(messages.get(0).text().contains(answer), messages.get(0).text());
        return List.of("card",
                messages.get(1).text().contains("Выберите язык") ? "language" : messages.get(1).text(),
                messages.get(2).text().contains("Ваш часовой пояс") ? "time zone" : messages.get(2).text());
    }

    @Test
    void inviteMakesADelegateWhoThenSeesDelegateEventsAndAppearsInTheExport() throws IOException {
        api.sendText(JOHN, "/invite delegate KZ");
        api.awaitMessageTo(JOHN, "This function is available to Secretariat staff only.");

        api.sendText(ADMIN, "/invite delegate KZ");
        RecordedRequest invite = api.awaitMessageTo(ADMIN, "Invitation link for <b>Kazakhstan</b>");
        Matcher link = Pattern.compile("https://t\\.me/" + FakeTelegramApi.BOT_USERNAME + "\\?start=(inv-[a-z0-9]+)")
                .matcher(invite.text());
        assertTrue(link.find(), invite.text());

        api.sendText(AIGUL, "/start " + link.group(1));
        api.awaitMessageTo(AIGUL, "Вы зарегистрированы как делегат (страна: Казахстан)");
        RecordedRequest card = openCard(AIGUL, "delegates-lunch");
        press(AIGUL, card, "Приму участие");
        api.await("editMessageText", edit -> edit.chatId() == AIGUL.chatId() && edit.text().contains("<b>Приму участие</b>"));
        press(ADMIN, openCard(ADMIN, "delegates-lunch"), "Attending");
        api.await("editMessageText", edit -> edit.chatId() == ADMIN.chatId() && edit.text().contains("<b>Attending</b>"));

        api.sendText(ADMIN, "/rsvps delegates-lunch");
        RecordedRequest summary = api.awaitMessageTo(ADMIN, "Attending: 2");
        assertTrue(summary.text().contains("Kazakhstan: 1"), summary.text());
        RecordedRequest file = api.await("sendDocument", document -> document.chatId() == ADMIN.chatId());
        assertEquals("delegates-lunch-rsvps.xlsx", file.documentName());
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(file.document()))) {
            List<Row> rows = workbook.getFirstSheet().read();
            assertEquals(List.of("Name", "Username", "Role", "Country", "Reply", "Last change (Seoul time)"),
                    IntStream.range(0, 6).mapToObj(rows.get(0)::getCellText).toList());
            assertEquals(List.of("Айгуль", "", "delegate", "Kazakhstan", "attending"),
                    IntStream.range(0, 5).mapToObj(rows.get(1)::getCellText).toList());
            assertEquals(LocalDateTime.of(2026, 12, 1, 9, 0), rows.get(1).getCellAsDate(5).orElseThrow());
            assertEquals("Secretariat staff", rows.get(2).getCellText(2), "an administrator from ADMIN_IDS");
        }
        assertEquals(List.of("rsvps.export by " + ADMIN.id() + ": delegates-lunch (2 in the file)"),
                bot.database().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT action || ' by ' || actor || ': ' || detail FROM audit_log WHERE action = 'rsvps.export'")
                        .mapTo(String.class).list()));
    }

    @Test
    void staffAreToldACohortThatHasEndedTakesNoInvitations() {
        clock.set(Instant.parse("2027-01-01T00:00:00Z")); // 1 January in Seoul: cohort 10 ended on 31 December
        api.sendText(ADMIN, "/invite cohort 10");
        RecordedRequest refused = api.awaitMessageTo(ADMIN, "10th Supporters");
        assertTrue(refused.text().contains("ended on Thursday, December 31: nobody can join it any more"),
                refused.text());
    }

    @Test
    void anUnknownInviteCodeIsExplained() {
        api.sendText(JOHN, "/start inv-doesnotexist");
        api.awaitMessageTo(JOHN, "This invitation link is not valid");
        api.awaitMessageTo(JOHN, "Choose your language"); // a first contact all the same
        api.awaitMessageTo(JOHN, "Your time zone is");
    }

    @Test
    void addToCalendarSendsAnIcsFileInTheVenuesZone() {
        RecordedRequest card = openCard(JOHN, "plenary");
        press(JOHN, card, "Add to calendar");
        RecordedRequest document = api.await("sendDocument", request -> request.chatId() == JOHN.chatId());
        assertEquals("plenary.ics", document.documentName());
        String ics = new String(document.document(), StandardCharsets.UTF_8);
        assertTrue(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul"), ics);
        assertTrue(ics.contains("DTSTART;TZID=Asia/Seoul:20261208T100000"), ics);
        assertTrue(ics.contains("LOCATION:Lotte Hotel Seoul\\, 30 Eulji-ro\\, Jung-gu\\, Seoul"), ics);
        assertTrue(ics.contains("BEGIN:VALARM") && ics.contains("TRIGGER:-PT1H"), ics);
        assertTrue(ics.contains("\r\nMETHOD:PUBLISH\r\n") && !ics.contains("X-WR-CALNAME"),
                "one event to add, not a calendar Outlook would create for it: " + ics);
    }

    @Test
    void aCalendarFileAddedAgainAfterAPromotionIsANewerVersionOfTheFirst() {
        press(JOHN, openCard(JOHN, "plenary"), "Attending");
        RecordedRequest card = openCard(AIGUL, "plenary");
        press(AIGUL, card, "Приму участие");
        press(AIGUL, card, "В календарь");
        String waiting = new String(api.await("sendDocument", document -> document.chatId() == AIGUL.chatId())
                .document(), StandardCharsets.UTF_8);
        assertTrue(waiting.contains("SUMMARY:Лист ожидания: Пленарное заседание"), waiting);

        press(JOHN, openCard(JOHN, "plenary"), "Not attending");
        api.awaitMessageTo(AIGUL, "Освободилось место");
        press(AIGUL, card, "В календарь");
        String going = new String(api.awaitAll("sendDocument", document -> document.chatId() == AIGUL.chatId(), 2)
                .get(1).document(), StandardCharsets.UTF_8);
        assertTrue(going.contains("SUMMARY:Пленарное заседание"), going);
        assertTrue(sequence(going) > sequence(waiting), "the same UID and a higher SEQUENCE: an update, which "
                + "replaces the waitlisted title in calendar apps that go by SEQUENCE");
    }

    @Test
    void theNoticeOfAMoveOffersTheCalendarFileThatUpdatesTheOneAddedBefore() throws IOException {
        press(JOHN, openCard(JOHN, "plenary"), "Attending");
        press(JOHN, openCard(JOHN, "plenary"), "Add to calendar");
        String added = new String(api.await("sendDocument", document -> document.chatId() == JOHN.chatId())
                .document(), StandardCharsets.UTF_8);
        Files.writeString(eventsFile, Files.readString(eventsFile).replaceFirst("start: 2026-12-08T10:00",
                "start: 2026-12-08T11:00"));
        api.sendText(ADMIN, "/reload");

        RecordedRequest notice = api.awaitMessageTo(JOHN, "has been rescheduled");
        press(JOHN, notice, "Add to calendar");
        String updated = new String(api.awaitAll("sendDocument", document -> document.chatId() == JOHN.chatId(), 2)
                .get(1).document(), StandardCharsets.UTF_8);
        assertTrue(updated.contains("DTSTART;TZID=Asia/Seoul:20261208T110000"), updated);
        assertTrue(sequence(updated) > sequence(added), "the same UID, newer: the calendar moves its copy");
    }

    private static int sequence(String ics) {
        Matcher matcher = Pattern.compile("\r\nSEQUENCE:(\\d+)\r\n").matcher(ics);
        assertTrue(matcher.find(), ics);
        return Integer.parseInt(matcher.group(1));
    }

    @Test
    void personalCalendarFeedFollowsAnswersAndCanBeRevoked() throws Exception {
        RecordedRequest card = openCard(JOHN, "plenary");
        press(JOHN, card, "Attending");
        api.await("editMessageText", edit -> edit.chatId() == JOHN.chatId());
        api.sendText(JOHN, "/calendar");
        String url = feedUrl(api.awaitMessageTo(JOHN, "personal calendar feed"));
        HttpResponse<String> feed = get(url);
        assertEquals(200, feed.statusCode());
        assertTrue(feed.headers().firstValue("Content-Type").orElseThrow().startsWith("text/calendar"));
        assertTrue(feed.body().contains("SUMMARY:Plenary"), feed.body());
        assertFalse(feed.body().contains("Seminar"), "only events the user answered");
        assertEquals("inline; filename=\"forum-events.ics\"",
                feed.headers().firstValue("Content-Disposition").orElseThrow(), "not the token as the file's name");
        String etag = feed.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> unchanged = get(url, etag);
        assertEquals(304, unchanged.statusCode(), "an app that asks again while nothing changed");
        assertEquals("", unchanged.body());
        press(JOHN, openCard(JOHN, "plenary"), "Tentative");
        api.awaitAll("editMessageText", edit -> edit.chatId() == JOHN.chatId(), 2);
        HttpResponse<String> changed = get(url, etag);
        assertEquals(200, changed.statusCode(), "a changed answer is a changed feed");
        assertTrue(changed.body().contains("STATUS:TENTATIVE"), changed.body());
        assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());

        api.sendText(JOHN, "/calendar reset");
        String newUrl = feedUrl(api.awaitMessageTo(JOHN, "no longer works"));
        assertEquals(404, get(url).statusCode());
        assertEquals(200, get(newUrl).statusCode());
    }

    @Test
    void waitlistedEventsAreInTheFeedAsTheCalendarMessageSays() throws Exception {
        press(JOHN, openCard(JOHN, "plenary"), "Attending");
        press(AIGUL, openCard(AIGUL, "plenary"), "Приму участие");
        api.awaitMessageTo(AIGUL, "листе ожидания");
        api.sendText(AIGUL, "/calendar");
        RecordedRequest message = api.awaitMessageTo(AIGUL, "Ссылка на ваш личный календарь");
        assertTrue(message.text().contains("а также те, в листе ожидания которых вы находитесь"), message.text());
        String feed = get(feedUrl(message)).body().replace("\r\n ", ""); // unfolded
        assertTrue(feed.contains("UID:plenary@") && feed.contains(".forum-gateway.invalid"),
                "a new installation's own domain, not the public URL's host: " + feed);
        // Not a firm appointment: a seat she does not have yet, and the title says why.
        assertTrue(feed.contains("SUMMARY:Лист ожидания: Пленарное заседание"), feed);
        assertTrue(feed.contains("STATUS:TENTATIVE") && !feed.contains("STATUS:CONFIRMED"), feed);
    }

    @Test
    void anAdministratorErasesAPersonOnceConfirmedAndTheirSeatGoesToTheFirstOneWaiting() throws Exception {
        // A member of the staff, so the audit log names him and his chat has a menu of its own.
        api.sendText(JOHN, "/help");
        api.awaitMessageTo(JOHN, "/about");
        api.sendText(ADMIN, "/staff add " + JOHN.id());
        api.await("setMyCommands", menu -> menu.scopeType().equals("chat") && menu.scopeChatId() == JOHN.id());
        press(JOHN, openCard(JOHN, "plenary"), "Attending");
        press(AIGUL, openCard(AIGUL, "plenary"), "Приму участие");
        api.awaitMessageTo(AIGUL, "листе ожидания");
        api.sendText(JOHN, "/calendar");
        String feed = feedUrl(api.awaitMessageTo(JOHN, "personal calendar feed"));
        api.sendText(AIGUL, "/forget " + JOHN.id());
        api.awaitMessageTo(AIGUL, "только администраторам");

        api.sendText(ADMIN, "/forget " + JOHN.id());
        RecordedRequest confirm = api.awaitMessageTo(ADMIN, "Erase everything the bot keeps about <b>John</b> (7102)?");
        assertEquals(0, count("SELECT count(*) FROM audit_log WHERE action = 'user.erase'"), "nothing before Erase");
        // Callback data is the client's: an administrator's id in a forged press erases nothing.
        api.pressButton(ADMIN, confirm.messageId(), "fgt:" + ADMIN.id());
        api.await("answerCallbackQuery", answer -> answer.body().path("text").asText().equals("This button has expired."));
        press(ADMIN, confirm, "Erase");
        api.await("editMessageText", edit -> edit.messageId() == confirm.messageId()
                && edit.text().startsWith("7102 is erased: only records that name their id remain"));

        api.awaitMessageTo(AIGUL, "Освободилось место");
        // No table names him any more, whichever column does (the outbox keeps rows without text, for the figures).
        List<String> columns = bot.database().jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
                        WHERE m.type = 'table' AND m.name NOT IN ('outbox', 'audit_log', 'inbox')
                          AND c.name IN ('user_id', 'telegram_id', 'used_by', 'recipient')""")
                .mapTo(String.class).list());
        assertTrue(columns.size() >= 9, columns.toString());
        for (String column : columns) {
            String[] parts = column.split("\\.");
            assertEquals(0, count("SELECT count(*) FROM " + parts[0] + " WHERE " + parts[1] + " = " + JOHN.id()),
                    column);
        }
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE recipient = " + JOHN.id() + " AND payload <> '{}' "
                + "AND method <> 'menu'"), "the texts he was sent are blanked; only the removal of his menu is queued");
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE recipient = " + JOHN.id()
                + " AND sent_message_id IS NOT NULL"), "which messages of his chat they became is forgotten too");
        assertEquals(1, count("SELECT count(*) FROM audit_log WHERE action = 'user.erase' AND detail = '7102'"));
        assertEquals(0, count("SELECT count(*) FROM audit_log WHERE detail LIKE '%John%'"), "his name is gone");
        assertEquals(1, count("SELECT count(*) FROM audit_log WHERE action = 'staff.add' AND detail = '7102'"));
        api.await("deleteMyCommands", menu -> menu.scopeType().equals("chat") && menu.scopeChatId() == JOHN.id());
        assertEquals(404, get(feed).statusCode());

        // He writes again: the bot meets him as someone new.
        api.sendText(JOHN, "/myevents");
        api.awaitMessageTo(JOHN, "None of your replies to upcoming events is “Attending” or “Tentative”.");
    }

    @Test
    void anAdministratorsFeedHoldsTheDelegatesOnlyEventTheyAnswered() throws Exception {
        press(ADMIN, openCard(ADMIN, "delegates-lunch"), "Attending");
        api.await("editMessageText", edit -> edit.chatId() == ADMIN.chatId());
        api.sendText(ADMIN, "/calendar");
        String feed = get(feedUrl(api.awaitMessageTo(ADMIN, "personal calendar feed"))).body();
        assertTrue(feed.contains("UID:delegates-lunch@") && feed.contains("STATUS:CONFIRMED"), feed);
    }

    @Test
    void staffAreToldThatLocalhostFeedLinksCannotBeOpenedAndOthersAreNot() {
        api.sendText(ADMIN, "/calendar");
        RecordedRequest note = api.awaitMessageTo(ADMIN, "Staff note");
        assertTrue(note.text().contains("http://localhost:") && note.text().contains("HTTP_PUBLIC_URL"), note.text());
        api.sendText(JOHN, "/calendar");
        api.awaitMessageTo(JOHN, "personal calendar feed");
        api.sendText(JOHN, "/help");
        api.awaitMessageTo(JOHN, "Available commands"); // handled after /calendar: its replies are all in
        assertTrue(api.messagesTo(JOHN).stream().noneMatch(message -> message.text().contains("Staff note")),
                api.summary());
    }

    @Test
    void startUpWarnsWhenFeedLinksPointAtLocalhostOnly() {
        bot.close();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Application.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            bot = Application.start(TestSettings.config(environment, folder), clock);
            assertTrue(lines.list.stream().anyMatch(line -> line.getLevel() == ch.qos.logback.classic.Level.WARN
                    && line.getFormattedMessage().contains("set HTTP_PUBLIC_URL")), lines.list.toString());
            bot.close();
            lines.list.clear();
            environment.put("HTTP_PUBLIC_URL", "https://forum.example.org");
            bot = Application.start(TestSettings.config(environment, folder), clock);
            assertTrue(lines.list.stream().noneMatch(line -> line.getFormattedMessage().contains("HTTP_PUBLIC_URL")),
                    lines.list.toString());
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void theCalendarFeedSpeaksTelegramsLanguageToThoseWhoNeverChoseOne() throws Exception {
        RecordedRequest card = openCard(AIGUL, "plenary");
        press(AIGUL, card, "Приму участие");
        api.await("editMessageText", edit -> edit.chatId() == AIGUL.chatId());
        api.sendText(AIGUL, "/calendar");
        RecordedRequest link = api.await("sendMessage", message -> message.chatId() == AIGUL.chatId()
                && message.text().contains("/calendar/"));
        String feed = get(feedUrl(link)).body();
        assertTrue(feed.contains("X-WR-CALNAME:Мероприятия форума"), feed);
        assertTrue(feed.contains("SUMMARY:Пленарное заседание"), feed);
    }

    @Test
    void aBrokenEventsFileIsRefusedAndTheScheduleStays() throws IOException {
        Files.writeString(eventsFile, "events:\n  - key: broken\n    kind: party\n");
        api.sendText(ADMIN, "/reload");
        RecordedRequest reply = api.awaitMessageTo(ADMIN, "The events file was not loaded");
        assertTrue(reply.text().contains("<code>events.yaml</code>, line 3, field <code>events[0] (broken).kind</code>: "
                + "“party” is not one of forum, session"), reply.text());
        openCard(JOHN, "plenary");
    }

    @Test
    void reloadErrorsAreShownInTheStaffMembersLanguage() throws IOException {
        Files.writeString(eventsFile, "events:\n  - key: broken\n    kind: forum\n    title: Plenary\n"
                + "    timezone: Asia/Nowhere\n");
        api.sendText(ADMIN, "/language ru");
        api.awaitMessageTo(ADMIN, "Язык изменён");
        api.sendText(ADMIN, "/reload");
        RecordedRequest russian = api.awaitMessageTo(ADMIN, "Файл мероприятий не загружен");
        assertTrue(russian.text().contains("<code>events.yaml</code>, строка 5, поле <code>events[0] (broken).timezone"
                + "</code>: «Asia/Nowhere» — не часовой пояс IANA"), russian.text());
        api.sendText(ADMIN, "/language kk");
        api.awaitMessageTo(ADMIN, "Тіл өзгертілді");
        api.sendText(ADMIN, "/reload");
        RecordedRequest kazakh = api.awaitMessageTo(ADMIN, "Іс-шаралар файлы жүктелмеді");
        assertTrue(kazakh.text().contains("5-жол"), kazakh.text());
    }

    @Test
    void cohortMembersSeeTheirCohort() throws IOException {
        api.sendText(ADMIN, "/invite cohort 10");
        RecordedRequest invite = api.awaitMessageTo(ADMIN, "10th Supporters");
        Matcher link = Pattern.compile("start=(inv-[a-z0-9]+)").matcher(invite.text());
        assertTrue(link.find());
        api.sendText(MIN, "/start " + link.group(1));
        api.awaitMessageTo(MIN, "활동 기간은"); // the cohort runs: the answer is its welcome, with its period
        assertTrue(api.messagesTo(MIN).stream().noneMatch(message -> message.text().contains("기수와 활동은")),
                "instead of the invite's short welcome: " + api.messagesTo(MIN));
        // Twelve activities of the cohort: ten are listed, the other two counted.
        Files.writeString(eventsFile, Files.readString(eventsFile)
                + dailyEvents(12, "briefing", "Briefing", "09:00", "10:00", "    audience: cohort:10\n"));
        api.sendText(ADMIN, "/reload");
        api.awaitMessageTo(ADMIN, "Schedule reloaded");
        api.sendText(MIN, "/cohort");
        RecordedRequest cohort = api.awaitMessageTo(MIN, "활동 기간:");
        assertTrue(cohort.text().contains("Briefing 10") && !cohort.text().contains("Briefing 11"), cohort.text());
        assertTrue(cohort.text().contains("…외 2건."), cohort.text());
        // Each listed activity opens its card, where it can be answered.
        assertEquals(10, cohort.buttons().size(), cohort.buttons().toString());
        api.pressButton(MIN, cohort.messageId(), cohort.button("Briefing 1").callbackData());
        RecordedRequest card = api.awaitMessageTo(MIN, "<b>Briefing 1</b>");
        assertTrue(card.buttons().stream().anyMatch(button -> button.callbackData().startsWith("rsvp:g:")),
                card.buttons().toString());
        api.sendText(ADMIN, "/cohorts");
        api.awaitMessageTo(ADMIN, "10. 10th Supporters · Sep 1, 2026 – Dec 31, 2026 · 1 member");
    }

    private int count(String sql) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Integer.class).one());
    }

    private static String feedUrl(RecordedRequest message) {
        Matcher matcher = Pattern.compile("(http://\\S+\\.ics)").matcher(message.text());
        assertTrue(matcher.find(), message.text());
        return matcher.group(1);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String ifNoneMatch) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("If-None-Match", ifNoneMatch).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

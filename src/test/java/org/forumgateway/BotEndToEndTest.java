package org.forumgateway;

import org.forumgateway.storage.Database;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole bot, wired as Main wires it, against the fake Bot API on loopback: real telegrambots client and
 * polling loop, real SQLite file.
 */
class BotEndToEndTest {
    private static final FakeUser ANNA = new FakeUser(7001, "Анна", "ru");
    private static final FakeUser MIN = new FakeUser(7002, "Min-jun", "ko");
    private static final FakeUser JOHN = new FakeUser(7003, "John", "en-US");
    private static final FakeUser STAFF = new FakeUser(9001, "Secretariat", "en");

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-03T01:00:00Z");
    private FakeTelegramApi api;
    private Application bot;

    @BeforeEach
    void startBot() {
        api = FakeTelegramApi.start();
        bot = start();
    }

    @AfterEach
    void stopBot() {
        bot.close();
        api.close();
    }

    private Application start() {
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("ADMIN_IDS", String.valueOf(STAFF.id()));
        return Application.start(TestSettings.config(environment, folder), clock);
    }

    @Test
    void russianSpeakerIsGreetedInRussianThenSwitchesToKoreanAndStaysKoreanAfterRestart() {
        api.sendText(ANNA, "/start");
        api.awaitMessageTo(ANNA, "Здравствуйте, Анна!");
        RecordedRequest languagePicker = api.awaitMessageTo(ANNA, "Выберите язык");

        api.pressButton(ANNA, languagePicker.messageId(), languagePicker.button("한국어").callbackData());
        RecordedRequest redrawn = api.await("editMessageText", edit -> edit.text().contains("언어"));
        assertEquals(languagePicker.messageId(), redrawn.messageId());
        assertTrue(redrawn.button("한국어").text().startsWith("✓"), "the chosen language is marked");
        api.await("answerCallbackQuery", answer -> answer.body().path("text").asText().contains("한국어"));

        bot.close();
        bot = start();

        api.sendText(ANNA, "/help");
        api.awaitMessageTo(ANNA, "사용할 수 있는 명령");
    }

    @Test
    void startOffersEveryLanguageAndTheConfiguredCities() {
        api.sendText(JOHN, "/start");
        RecordedRequest languages = api.awaitMessageTo(JOHN, "Choose your language");
        // Each language under its own name, in the configured order.
        assertEquals(List.of("한국어", "English", "Русский", "Қазақ тілі", "Oʻzbekcha", "Кыргызча", "Тоҷикӣ", "Türkmençe"),
                languages.buttons().stream().map(button -> button.text().replace("✓ ", "")).toList());
        RecordedRequest zones = api.awaitMessageTo(JOHN, "Your time zone is");
        assertEquals(List.of("Seoul · UTC+9", "Astana · UTC+5", "Tashkent · UTC+5", "Bishkek · UTC+6",
                        "Dushanbe · UTC+5", "Ashgabat · UTC+5", "Other…"),
                zones.buttons().stream().map(button -> button.text().replace("✓ ", "")).toList());
    }

    @Test
    void choosingATimeZoneShowsTheLocalTimeThereAndIsRemembered() {
        api.sendText(JOHN, "/timezone");
        RecordedRequest picker = api.awaitMessageTo(JOHN, "Your time zone is <b>Seoul</b>");
        api.pressButton(JOHN, picker.messageId(), picker.button("Tashkent").callbackData());
        // 01:00 UTC is 06:00 in Tashkent.
        api.await("editMessageText", edit -> edit.text().contains("<b>Tashkent</b> (UTC+5). The local time there is 06:00"));

        api.sendText(JOHN, "/timezone");
        api.awaitMessageTo(JOHN, "Your time zone is <b>Tashkent</b>");
    }

    @Test
    void typedTimeZoneIsAcceptedAndNonsenseIsExplained() {
        api.sendText(JOHN, "/timezone europe/berlin");
        api.awaitMessageTo(JOHN, "(UTC+1). The local time there is 02:00");
        api.sendText(JOHN, "/timezone Mars/Olympus");
        api.awaitMessageTo(JOHN, "“Mars/Olympus” is not a recognized time zone");
        // A fixed offset would be wrong half the year wherever clocks change: only region ids are taken.
        api.sendText(JOHN, "/timezone UTC+5");
        api.awaitMessageTo(JOHN, "“UTC+5” is not a recognized time zone");
    }

    @Test
    void commandMenuIsRegisteredPerLanguageAndByDefault() {
        List<RecordedRequest> menus = api.awaitAll("setMyCommands", request -> true, 9);
        Set<String> languages = menus.stream()
                .map(menu -> menu.body().path("language_code").asText("default"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("default", "ko", "en", "ru", "kk", "uz", "ky", "tg", "tk"), languages);
        RecordedRequest russian = menus.stream()
                .filter(menu -> menu.body().path("language_code").asText().equals("ru")).findFirst().orElseThrow();
        assertTrue(russian.body().toString().contains("Сменить язык"));
        assertFalse(russian.body().toString().contains("\"stats\""), "staff commands stay out of the public menu");
        RecordedRequest tajik = menus.stream()
                .filter(menu -> menu.body().path("language_code").asText().equals("tg")).findFirst().orElseThrow();
        assertTrue(tajik.body().toString().contains("Иваз кардани забон"), tajik.body().toString());
    }

    @Nested
    class AnythingElseGetsAHint {
        @Test
        void unknownCommand() {
            api.sendText(ANNA, "/dance <b>now</b>");
            api.awaitMessageTo(ANNA, "Команда /dance не распознана");
        }

        @Test
        void plainText() {
            api.sendText(MIN, "안녕하세요");
            api.awaitMessageTo(MIN, "명령을 입력하여 주십시오");
        }

        @Test
        void sticker() {
            api.sendSticker(JOHN);
            api.awaitMessageTo(JOHN, "Only text messages can be processed");
        }

        @Test
        void forgedButtonData() {
            api.pressButton(JOHN, 1, "lang:xx");
            api.pressButton(JOHN, 1, "nonsense");
            api.pressButton(JOHN, 1, "tz:Europe/Paris");
            List<RecordedRequest> answers = api.awaitAll("answerCallbackQuery", request -> true, 3);
            answers.forEach(answer -> assertEquals("This button has expired.", answer.body().path("text").asText()));
            assertTrue(api.requests("editMessageText").isEmpty(), "nothing is redrawn for a forged press");
        }

        @Test
        void userTextIsEscapedBeforeItIsFormatted() {
            api.sendText(JOHN, "/language <script>");
            RecordedRequest reply = api.awaitMessageTo(JOHN, "The language “&lt;script&gt;” is not available");
            assertTrue(reply.text().contains("&lt;script&gt;"), reply.text());
        }
    }

    @Nested
    class NoUpdateLostOrHandledTwice {
        @Test
        void anUpdateTelegramSendsAgainIsNotHandledTwice() {
            int update = api.sendText(JOHN, "/help");
            api.awaitMessageTo(JOHN, "Available commands");
            api.resend(update);
            api.sendText(JOHN, "/about");
            api.awaitMessageTo(JOHN, "Korea–Central Asia Cooperation Forum Secretariat");
            assertEquals(1, api.messagesTo(JOHN).stream().filter(m -> m.text().contains("Available commands")).count());
        }

        @Test
        void updatesACrashLeftUnhandledAreHandledAtStart() {
            bot.close();
            String update = """
                    {"update_id": 424242, "message": {"message_id": 77, "date": 1796000000,
                     "chat": {"id": 7003, "type": "private", "first_name": "John"},
                     "from": {"id": 7003, "is_bot": false, "first_name": "John", "language_code": "en"},
                     "text": "/about"}}""";
            try (Database database = Database.open(folder.resolve("bot.db"))) {
                database.jdbi().useHandle(handle -> handle.execute(
                        "INSERT INTO inbox (update_id, payload, received_at) VALUES (424242, ?, 0)", update));
            }
            bot = start();
            api.awaitMessageTo(JOHN, "Korea–Central Asia Cooperation Forum Secretariat");
        }
    }

    @Test
    void quietHoursAndDigestAreSetByCommand() {
        api.sendText(JOHN, "/quiet");
        api.awaitMessageTo(JOHN, "Your quiet hours: 22:00–08:00.");
        api.sendText(JOHN, "/quiet 23:30-06:45");
        api.awaitMessageTo(JOHN, "Quiet hours: 23:30–06:45 in your time zone.");
        api.sendText(JOHN, "/quiet 25:00-07:00");
        api.awaitMessageTo(JOHN, "send <code>/quiet 23:00-07:00</code>");
        api.sendText(JOHN, "/quiet off");
        api.awaitMessageTo(JOHN, "Quiet hours are off");
        api.sendText(JOHN, "/digest");
        api.awaitMessageTo(JOHN, "Every Monday at 09:00");
        api.sendText(JOHN, "/digest");
        api.awaitMessageTo(JOHN, "The weekly digest is turned off.");
        api.sendText(ANNA, "/quiet");
        api.awaitMessageTo(ANNA, "Ваши тихие часы: 22:00–08:00.");
    }

    @Test
    void quietHoursThatStartWhenTheyEndAreRefusedNotClaimedSet() {
        api.sendText(JOHN, "/quiet 23:00-23:00");
        api.awaitMessageTo(JOHN, "Quiet hours from 23:00 to 23:00 would be no quiet hours at all");
        api.sendText(JOHN, "/quiet");
        api.awaitMessageTo(JOHN, "Your quiet hours: 22:00–08:00.");
        assertTrue(api.messagesTo(JOHN).stream().noneMatch(message -> message.text().startsWith("Quiet hours: 23:00")),
                api.summary());
    }

    @Test
    void onlyRegionAndCityTimeZonesAreAccepted() {
        api.sendText(JOHN, "/timezone SystemV/EST5");
        api.awaitMessageTo(JOHN, "“SystemV/EST5” is not a recognized time zone");
        api.sendText(JOHN, "/timezone US/Eastern");
        api.awaitMessageTo(JOHN, "“US/Eastern” is not a recognized time zone");
        api.sendText(JOHN, "/timezone Etc/GMT+5");
        api.awaitMessageTo(JOHN, "“Etc/GMT+5” is not a recognized time zone");
        api.sendText(JOHN, "/timezone america/argentina/buenos_aires");
        api.awaitMessageTo(JOHN, "Time zone set to <b>Buenos Aires</b>");
    }

    @Nested
    class Groups {
        private static final long GROUP = -100123456789L;

        @Test
        void personalCommandsPointToAPrivateChatAndHelpWorks() {
            api.sendGroupText(STAFF, GROUP, "/stats");
            RecordedRequest pointer = api.await("sendMessage", message -> message.chatId() == GROUP
                    && message.text().contains("in a private chat only: https://t.me/" + FakeTelegramApi.BOT_USERNAME));
            // Following the link sends its payload to the bot in the private chat: a greeting, not a refusal.
            String payload = pointer.text().substring(pointer.text().indexOf("?start=") + "?start=".length()).strip();
            assertTrue(api.messagesTo(STAFF).stream().noneMatch(message -> message.text().contains("Welcome, ")));
            api.sendText(STAFF, "/start " + payload);
            api.awaitMessageTo(STAFF, "Welcome, ");
            api.sendGroupText(JOHN, GROUP, "/help@" + FakeTelegramApi.BOT_USERNAME);
            api.await("sendMessage", message -> message.chatId() == GROUP && message.text().contains("Available commands"));
        }

        @Test
        void helpInAGroupListsWhatAnyoneMayUseNeverTheSendersStaffCommands() {
            api.sendText(STAFF, "/help");
            RecordedRequest inPrivate = api.awaitMessageTo(STAFF, "Available commands");
            assertTrue(inPrivate.text().contains("/announce"), inPrivate.text());
            api.sendGroupText(STAFF, GROUP, "/help");
            RecordedRequest inGroup = api.await("sendMessage", message -> message.chatId() == GROUP
                    && message.text().contains("Available commands"));
            assertFalse(inGroup.text().contains("/announce"), inGroup.text());
            assertTrue(inGroup.text().contains("/events"), inGroup.text());
        }

        @Test
        void commandsForOtherBotsTextAndUnknownCommandsGetNoAnswer() {
            api.sendGroupText(JOHN, GROUP, "/help@some_other_bot");
            api.sendGroupText(JOHN, GROUP, "hello everyone");
            api.sendGroupText(JOHN, GROUP, "/dance");
            api.sendGroupText(JOHN, GROUP, "/about");
            api.await("sendMessage", message -> message.chatId() == GROUP && message.text().contains("Secretariat"));
            assertEquals(1, api.messagesToChat(GROUP).size(), api.summary());
        }
    }

    @Nested
    class Roles {
        @Test
        void staffCommandIsRefusedToOthersOnEveryCall() {
            api.sendText(JOHN, "/stats");
            api.awaitMessageTo(JOHN, "This function is available to Secretariat staff only.");
        }

        @Test
        void adminSeesStaffCommandsAndCountsInTheirLanguage() {
            api.sendText(ANNA, "/start");
            api.sendText(JOHN, "/start");
            api.awaitMessageTo(ANNA, "Здравствуйте, Анна!"); // each chat has its own worker: wait for both
            api.awaitMessageTo(JOHN, "Welcome, John");
            api.sendText(STAFF, "/help");
            assertTrue(api.awaitMessageTo(STAFF, "Available commands").text().contains("/stats"));
            api.sendText(STAFF, "/stats");
            RecordedRequest stats = api.awaitMessageTo(STAFF, "3 people use the bot.");
            assertTrue(stats.text().contains("Blocked the bot: 0\nNew in the past week: 3\nDelegates: 0\n"),
                    stats.text());
            assertTrue(stats.text().endsWith("Secretariat staff and administrators: 1\nNo role yet: 2"), stats.text());
            api.sendText(JOHN, "/help");
            api.await("sendMessage", reply -> reply.chatId() == JOHN.chatId() && reply.text().contains("Available commands")
                    && !reply.text().contains("/stats"));
        }

        @Test
        void staffAndAdministratorsGetTheirOwnMenuInTheirLanguageFollowingRoleChanges() {
            api.sendText(STAFF, "/start");
            RecordedRequest adminMenu = awaitChatMenu("setMyCommands", STAFF, 1);
            assertTrue(adminMenu.commandNames().containsAll(List.of("start", "announce", "stats", "staff")),
                    adminMenu.body().toString());
            api.sendText(JOHN, "/start");
            api.awaitMessageTo(JOHN, "Welcome, John");

            api.sendText(STAFF, "/staff add " + JOHN.id());
            RecordedRequest staffMenu = awaitChatMenu("setMyCommands", JOHN, 1);
            assertTrue(staffMenu.commandNames().containsAll(List.of("announce", "stats", "reload")));
            assertFalse(staffMenu.commandNames().contains("staff"), "administrators' commands stay theirs");
            assertTrue(staffMenu.body().toString().contains("How many people use the bot (staff)"));

            api.sendText(JOHN, "/language ru");
            RecordedRequest russian = awaitChatMenu("setMyCommands", JOHN, 2);
            assertTrue(russian.body().toString().contains("Сменить язык"), russian.body().toString());

            // A new version that changed John's commands or their texts: his menu is set again at start.
            bot.database().jdbi().useHandle(handle -> handle.execute(
                    "UPDATE chat_menus SET fingerprint = 'an older version' WHERE telegram_id = ?", JOHN.id()));
            bot.close();
            bot = start();
            awaitChatMenu("setMyCommands", JOHN, 3);

            api.sendText(STAFF, "/staff remove " + JOHN.id());
            // He chose Russian: everyone's commands in it, no longer staff's.
            RecordedRequest member = awaitChatMenu("setMyCommands", JOHN, 4);
            assertTrue(member.body().toString().contains("Сменить язык"), member.body().toString());
            assertFalse(member.commandNames().contains("announce"), member.body().toString());
            api.awaitMessageTo(STAFF, "is no longer a member of the Secretariat staff");
            assertEquals(1, chatMenus("setMyCommands", STAFF), "a menu that did not change is not set again");
        }

        @Test
        void staffWhoChoseNoLanguageGoBackToThePublicMenuWhenRemoved() {
            api.sendText(ANNA, "/help");
            api.awaitMessageTo(ANNA, "/myevents");
            api.sendText(STAFF, "/staff add " + ANNA.id());
            awaitChatMenu("setMyCommands", ANNA, 1);
            api.sendText(STAFF, "/staff remove " + ANNA.id());
            awaitChatMenu("deleteMyCommands", ANNA, 1);
        }

        @Test
        void someoneWhoChoseALanguageTelegramHasNoAppForGetsTheMenuInItAndOnlyWhenItChanges() {
            api.sendText(JOHN, "/start");
            api.awaitMessageTo(JOHN, "Welcome, John");
            api.sendText(JOHN, "/help");
            api.awaitMessageTo(JOHN, "Available commands");
            assertEquals(0, chatMenus("setMyCommands", JOHN), "the public menu, in his app's English");

            api.sendText(JOHN, "/language ky");
            RecordedRequest kyrgyz = awaitChatMenu("setMyCommands", JOHN, 1);
            assertTrue(kyrgyz.body().toString().contains("Тилди өзгөртүү"), kyrgyz.body().toString());
            assertTrue(kyrgyz.commandNames().containsAll(List.of("events", "myevents", "language")));
            assertFalse(kyrgyz.commandNames().contains("announce"), "staff commands stay out of it");

            api.sendText(JOHN, "/language ky");
            api.sendText(JOHN, "/help");
            api.awaitAll("sendMessage", reply -> reply.chatId() == JOHN.chatId()
                    && reply.text().contains("/myevents"), 2); // the help before and this one, in Kyrgyz
            assertEquals(1, chatMenus("setMyCommands", JOHN), "the same language again sets nothing");

            // Blocked, then unblocked: what was queued meanwhile was dropped, so his menu is set again.
            HandledUpdates.await(bot, api.blockBot(JOHN));
            api.unblockBot(JOHN);
            assertTrue(awaitChatMenu("setMyCommands", JOHN, 2).body().toString().contains("Тилди өзгөртүү"));

            // A new version changed the commands: his menu is set again at his first message after the start.
            bot.database().jdbi().useHandle(handle -> handle.execute(
                    "UPDATE chat_menus SET fingerprint = 'an older version' WHERE telegram_id = ?", JOHN.id()));
            bot.close();
            bot = start();
            api.sendText(JOHN, "/help");
            assertTrue(awaitChatMenu("setMyCommands", JOHN, 3).body().toString().contains("Тилди өзгөртүү"));
            api.sendText(JOHN, "/help");
            api.awaitAll("sendMessage", reply -> reply.chatId() == JOHN.chatId()
                    && reply.text().contains("/myevents"), 4);
            assertEquals(3, chatMenus("setMyCommands", JOHN), "checked once since the start");
        }

        @Test
        void removingSomeoneWhoIsNotStaffChangesNothingAndAFormerDelegateIsADelegateAgain() {
            api.sendText(JOHN, "/help");
            api.awaitMessageTo(JOHN, "/about");
            bot.database().jdbi().useHandle(handle -> handle.execute(
                    "UPDATE users SET role = 'delegate', country = 'KZ' WHERE telegram_id = ?", JOHN.id()));

            api.sendText(STAFF, "/staff remove " + JOHN.id());
            api.awaitMessageTo(STAFF, "is not a member of the Secretariat staff, so nothing was changed");
            assertEquals("delegate", roleOf(JOHN));

            api.sendText(STAFF, "/staff add " + JOHN.id());
            api.awaitMessageTo(STAFF, "is now a member of the Secretariat staff");
            api.sendText(STAFF, "/staff remove " + JOHN.id());
            api.awaitMessageTo(STAFF, "is no longer a member of the Secretariat staff");
            assertEquals("delegate", roleOf(JOHN), "back to what their country makes them");
        }

        private String roleOf(FakeUser user) {
            return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT role FROM users WHERE telegram_id = :id").bind("id", user.id()).mapTo(String.class).one());
        }

        /** How many menu requests of {@code method} were scoped to {@code user}'s chat so far. */
        private long chatMenus(String method, FakeUser user) {
            return api.requests(method).stream()
                    .filter(menu -> menu.scopeType().equals("chat") && menu.scopeChatId() == user.id()).count();
        }

        /** Waits for the {@code count}-th menu request of {@code method} scoped to {@code user}'s chat. */
        private RecordedRequest awaitChatMenu(String method, FakeUser user, int count) {
            return api.awaitAll(method, menu -> menu.scopeType().equals("chat") && menu.scopeChatId() == user.id(),
                    count).get(count - 1);
        }

        @Test
        void russianCountsUseRussianPluralRules() {
            api.sendText(STAFF, "/language ru");
            api.awaitMessageTo(STAFF, "Язык изменён");
            api.sendText(STAFF, "/stats");
            api.awaitMessageTo(STAFF, "Ботом пользуется 1 человек.");
            api.sendText(ANNA, "/help");
            api.awaitMessageTo(ANNA, "Доступные команды");
            api.sendText(STAFF, "/stats");
            api.awaitMessageTo(STAFF, "Ботом пользуются 2 человека.");
        }
    }

    @Test
    void aboutDescribesTheSecretariatFromTheConfigFile() {
        api.sendText(MIN, "/about");
        RecordedRequest about = api.awaitMessageTo(MIN, "한-중앙아협력포럼사무국");
        assertTrue(about.text().contains("을지로5길 26"), about.text());
    }

    @Nested
    class Concurrency {
        @Test
        void aSlowChatDoesNotHoldUpOtherChats() {
            FakeTelegramApi.Hold annas = api.hold(ANNA.chatId());
            api.sendText(ANNA, "/help");
            annas.awaitArrival();
            api.sendText(JOHN, "/help");
            api.awaitMessageTo(JOHN, "Available commands");
            assertTrue(api.messagesTo(ANNA).isEmpty(), "Anna's answer is still held by the server");
            annas.release();
            api.awaitMessageTo(ANNA, "Доступные команды");
        }

        @Test
        void aFailingUpdateDoesNotStopTheChatOrPolling() {
            api.failNext("sendMessage", 500, "Internal Server Error");
            api.sendText(JOHN, "/help");
            api.sendText(JOHN, "/about");
            api.awaitMessageTo(JOHN, "Korea–Central Asia Cooperation Forum Secretariat");
            api.sendText(MIN, "/help");
            api.awaitMessageTo(MIN, "사용할 수 있는 명령");
        }

        @Test
        void updatesFromOneChatAreHandledInOrder() {
            List<String> codes = List.of("ru", "ko", "en", "ru", "ko", "en", "ru", "ko", "en", "ru");
            codes.forEach(code -> api.sendText(JOHN, "/language " + code));
            List<RecordedRequest> replies = api.awaitAll("sendMessage", reply -> reply.chatId() == JOHN.chatId(), 10);
            List<String> expected = codes.stream().map(code -> switch (code) {
                case "ru" -> "Язык изменён";
                case "ko" -> "언어가";
                default -> "Language set";
            }).toList();
            for (int i = 0; i < codes.size(); i++) {
                assertTrue(replies.get(i).text().startsWith(expected.get(i)), i + ": " + replies.get(i).text());
            }
            api.sendText(JOHN, "/help");
            api.awaitMessageTo(JOHN, "Доступные команды");
        }
    }
}

package org.forumgateway;

import org.forumgateway.i18n.DurationText;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delegate or supporter of each of the eight languages, through the real bot and the fake Bot API: /start with
 * their Telegram language, /events, the card, an RSVP press and the reminder an hour before. Everything the bot says
 * to them is in their language's script and has no English fallback, apart from the names in the source data.
 */
class EightLanguagesEndToEndTest {
    /** The event, written in every language, as an operator would. */
    private static final String SCHEDULE = """
            events:
              - key: plenary
                kind: forum
                title: {ko: "본회의", en: "Plenary", ru: "Пленарное заседание", kk: "Пленарлық отырыс",
                        uz: "Yalpi majlis", ky: "Пленардык отурум", tg: "Ҷаласаи пленарӣ", tk: "Umumy mejlis"}
                description: {ko: "개회사", en: "Opening remarks", ru: "Вступительное слово", kk: "Кіріспе сөз",
                              uz: "Kirish soʻzi", ky: "Киришүү сөз", tg: "Сухани ифтитоҳӣ", tk: "Giriş sözi"}
                venue:
                  name: {ko: "롯데호텔 서울", en: "Lotte Hotel Seoul", ru: "Отель «Лотте», Сеул", kk: "«Лотте» қонақ үйі, Сеул",
                         uz: "“Lotte” mehmonxonasi, Seul", ky: "«Лотте» мейманканасы, Сеул", tg: "Меҳмонхонаи «Лотте», Сеул",
                         tk: "“Lotte” myhmanhanasy, Seul"}
                timezone: Asia/Seoul
                start: 2026-12-08T10:00
                end: 2026-12-08T12:00
                capacity: 50
                audience: public
                reminders: [1h]
            """;
    /** Names that are Latin in the source data (the Secretariat's building and street), in every language. */
    private static final Pattern SOURCE_NAMES = Pattern.compile("Mirae Asset Center1|Eulji-ro 5-gil|Jung-gu");
    /** Latin words a Cyrillic or Korean answer may contain: none, beyond commands and UTC offsets. */
    private static final Pattern LATIN_WORD = Pattern.compile("\\b[A-Za-z]{2,}\\b");

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private final MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", List.of());
    private FakeTelegramApi api;
    private Application bot;

    @BeforeEach
    void start() {
        api = FakeTelegramApi.start();
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("EVENTS_FILE", Schedules.write(folder, SCHEDULE).toString());
        bot = Application.start(TestSettings.config(environment, folder), clock);
    }

    @AfterEach
    void stop() {
        bot.close();
        api.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ko, 민준, HANGUL",
            "en, John, LATIN",
            "ru, Анна, CYRILLIC",
            "kk, Айгерім, CYRILLIC",
            "uz, Dilshod, LATIN",
            "ky, Айбек, CYRILLIC",
            "tg, Фирӯза, CYRILLIC",
            "tk, Merdan, LATIN"})
    void aWholeConversationIsInTheReadersLanguage(String locale, String name, Character.UnicodeScript script)
            throws IOException {
        FakeUser user = new FakeUser(7300, name, locale);
        Translator translator = catalog.translator(locale);
        assertEquals(locale, translator.locale());
        String title = titleIn(locale);

        api.sendText(user, "/start");
        api.awaitMessageTo(user, name);
        RecordedRequest languages = api.awaitMessageTo(user, translator.text("language.picker.prompt"));
        assertTrue(languages.buttons().get(0).text().contains("한국어"), "each language under its own name");
        api.awaitMessageTo(user, firstWords(translator.text("timezone.picker.prompt", "zone", "")));

        api.sendText(user, "/events");
        RecordedRequest list = api.awaitMessageTo(user, title);
        press(user, list, title);
        RecordedRequest card = api.await("sendMessage", message -> message.chatId() == user.chatId()
                && message.buttons().stream().anyMatch(button -> button.callbackData().startsWith("rsvp:")));
        assertTrue(card.text().contains(titleIn(locale)), card.text());

        RecordedRequest answer = press(user, card, translator.text("event.button.going"));
        assertEquals(translator.text("rsvp.going"), answer.body().path("text").asText());
        RecordedRequest redrawn = api.await("editMessageText", edit -> edit.chatId() == user.chatId());
        assertTrue(redrawn.text().contains(translator.text("event.card.answer.going")), redrawn.text());

        api.sendText(user, "/about");
        RecordedRequest about = api.awaitMessageTo(user, translator.text("about.heading.history"));
        assertTrue(about.text().contains(translator.text("country.KG")), about.text());
        assertTrue(about.text().contains(translator.text("about.heading.supporters")), about.text());

        // 09:05 in Seoul on the day: the reminder an hour before the start is due.
        clock.set(Instant.parse("2026-12-08T00:05:00Z"));
        String header = translator.text("reminder.header", "before", DurationText.format(Duration.ofHours(1), translator));
        RecordedRequest reminder = api.awaitMessageTo(user, header);
        assertTrue(reminder.text().contains(titleIn(locale)), reminder.text());

        List<String> said = new ArrayList<>();
        api.messagesTo(user).forEach(message -> {
            said.add(message.text());
            message.buttons().forEach(button -> said.add(button.text()));
        });
        api.requests("editMessageText").stream().filter(edit -> edit.chatId() == user.chatId())
                .forEach(edit -> said.add(edit.text()));
        api.requests("answerCallbackQuery").forEach(reply -> said.add(reply.body().path("text").asText()));

        Set<String> englishOnly = locale.equals("en") ? Set.of() : englishOnlyWords(locale);
        // The language picker names every language in its own name and script, on purpose.
        Set<String> languageNames = new TreeSet<>();
        catalog.locales().forEach(code -> languageNames.add(catalog.translator(code).text("language.name")));
        said.removeIf(text -> languageNames.contains(text.replace("✓ ", "")));
        for (String text : said) {
            String visible = visible(text, name);
            if (script != Character.UnicodeScript.LATIN) {
                assertTrue(visible.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == script) || visible.isBlank(),
                        locale + ": not in its script: " + text);
                assertTrue(LATIN_WORD.matcher(visible).results().findAny().isEmpty(), locale + ": Latin in " + text);
            }
            for (String word : words(visible)) {
                assertTrue(!englishOnly.contains(word), locale + ": English “" + word + "” in " + text);
            }
        }
    }

    private RecordedRequest press(FakeUser user, RecordedRequest message, String label) {
        int before = api.requests("answerCallbackQuery").size();
        api.pressButton(user, message.messageId(), message.button(label).callbackData());
        return api.awaitAll("answerCallbackQuery", answer -> true, before + 1).get(before);
    }

    private static String titleIn(String locale) {
        return Pattern.compile(locale + ": \"([^\"]+)\"").matcher(SCHEDULE).results().findFirst().orElseThrow().group(1);
    }

    private static String firstWords(String text) {
        return text.substring(0, Math.min(8, text.length()));
    }

    /** What a reader sees: no markup, commands, links, the reader's own name, UTC offsets or the address's names. */
    private static String visible(String text, String name) {
        return SOURCE_NAMES.matcher(text).replaceAll(" ").replaceAll("<[^>]+>", " ")
                .replaceAll("&[a-z]+;", " ")
                .replaceAll("https?://\\S+", " ")
                .replaceAll("/[a-z]+", " ")
                .replace(name, " ")
                .replaceAll("UTC[+-]\\d+", " ");
    }

    private static Set<String> words(String text) {
        Set<String> words = new TreeSet<>();
        for (String word : text.toLowerCase().split("[^\\p{L}]+")) {
            if (word.length() >= 3) {
                words.add(word);
            }
        }
        return words;
    }

    /** Words of the English messages that the locale's own messages never use: a sign of an English fallback. */
    private static Set<String> englishOnlyWords(String locale) throws IOException {
        Set<String> english = words(String.join(" ", values("en")));
        english.removeAll(words(String.join(" ", values(locale))));
        return english;
    }

    private static List<String> values(String locale) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("messages/messages_" + locale + ".properties"),
                StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties.values().stream().map(value -> visible((String) value, "\u0000")).toList();
    }
}

package org.forumgateway.i18n;

import org.forumgateway.config.ConfigException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCatalogTest {
    private static final Path MESSAGES = Path.of("messages");
    private static final String BASE = "en";

    private final MessageCatalog catalog = MessageCatalog.load(MESSAGES, BASE, List.of());

    @Nested
    class FilesDoNotDriftApart {
        @Test
        void everyLocaleHasExactlyTheKeysOfTheBaseLocale() {
            Set<String> baseKeys = catalog.patterns().get(BASE).keySet();
            catalog.patterns().forEach((locale, patterns) -> {
                Set<String> missing = new TreeSet<>(baseKeys);
                missing.removeAll(patterns.keySet());
                Set<String> extra = new TreeSet<>(patterns.keySet());
                extra.removeAll(baseKeys);
                assertTrue(missing.isEmpty(), "messages_" + locale + " lacks " + missing);
                assertTrue(extra.isEmpty(), "messages_" + locale + " has keys the base lacks: " + extra);
            });
        }

        @Test
        void everyMessageUsesThePlaceholdersOfTheBaseLocale() {
            Map<String, String> base = catalog.patterns().get(BASE);
            catalog.patterns().forEach((locale, patterns) -> patterns.forEach((key, pattern) ->
                    assertEquals(MessageCatalog.argumentNames(base.get(key)), MessageCatalog.argumentNames(pattern),
                            "placeholders of " + key + " in messages_" + locale)));
        }

        @Test
        void koreanEnglishAndRussianAreAllThere() {
            assertTrue(catalog.patterns().keySet().containsAll(Set.of("ko", "en", "ru")));
        }
    }

    @Test
    void anIdIsWrittenAsTheDigitsStaffTypeBackWhileACountIsGrouped() {
        assertEquals("Announcement #1234 is cancelled.", catalog.translator("en").text("announce.cancelled", "id", 1234L));
        assertEquals("Объявление №1234 отменено.", catalog.translator("ru").text("announce.cancelled", "id", 1234L));
        assertTrue(catalog.translator("en").text("stats.users", "count", 1234).startsWith("1,234 people"));
    }

    @Nested
    class Plurals {
        @Test
        void russianChoosesOneFewAndMany() {
            Translator russian = catalog.translator("ru");
            assertEquals("Ботом пользуется 1 человек.", russian.text("stats.users", "count", 1));
            assertEquals("Ботом пользуются 3 человека.", russian.text("stats.users", "count", 3));
            assertEquals("Ботом пользуются 5 человек.", russian.text("stats.users", "count", 5));
            assertEquals("Ботом пользуется 21 человек.", russian.text("stats.users", "count", 21));
            assertEquals("Ботом пользуются 22 человека.", russian.text("stats.users", "count", 22));
            assertEquals("Ботом пользуются 11 человек.", russian.text("stats.users", "count", 11));
        }

        @Test
        void englishChoosesOneAndOther() {
            Translator english = catalog.translator("en");
            assertEquals("1 person uses the bot.", english.text("stats.users", "count", 1));
            assertEquals("2 people use the bot.", english.text("stats.users", "count", 2));
        }
    }

    @Nested
    class Resolution {
        @Test
        void explicitChoiceWins() {
            assertEquals("ko", catalog.resolve(new LanguagePreference(Optional.of("ko"), Optional.of("ru"))));
        }

        @Test
        void telegramLanguageCountsWhenSupported() {
            assertEquals("ru", catalog.resolve(new LanguagePreference(Optional.empty(), Optional.of("ru"))));
            assertEquals("en", catalog.resolve(new LanguagePreference(Optional.empty(), Optional.of("en-GB"))));
        }

        @Test
        void unsupportedLanguageFallsBackToTheDefault() {
            assertEquals("en", catalog.resolve(new LanguagePreference(Optional.empty(), Optional.of("de"))));
            assertEquals("en", catalog.resolve(new LanguagePreference(Optional.of("xx"), Optional.empty())));
        }
    }

    @Test
    void stringArgumentsAreEscapedAndHtmlArgumentsAreNot() {
        Translator english = catalog.translator("en");
        assertEquals("<b>Available commands</b>\n<i>x</i> &amp; &lt;y&gt;",
                english.text("help.text", "commands", new Html("<i>x</i> " + Html.escape("& <y>"))));
        assertTrue(english.text("start.greeting", "name", "<b>Eve</b>").contains("&lt;b&gt;Eve&lt;/b&gt;"));
    }

    @Nested
    class AddingALocaleIsAddingAFile {
        @TempDir
        Path folder;

        @Test
        void aNewFileIsOfferedWhenNoListIsConfigured() throws IOException {
            for (String locale : List.of("en", "ru")) {
                Files.copy(MESSAGES.resolve("messages_" + locale + ".properties"),
                        folder.resolve("messages_" + locale + ".properties"));
            }
            Files.writeString(folder.resolve("messages_kk.properties"), "language.name=Қазақша\n");
            MessageCatalog withKazakh = MessageCatalog.load(folder, "en", List.of());
            assertEquals(List.of("en", "kk", "ru"), withKazakh.locales());
            Translator kazakh = withKazakh.translator("kk");
            assertEquals("Қазақша", kazakh.text("language.name"));
            assertEquals("This button has expired.", kazakh.text("button.expired"), "missing keys fall back");
        }

        @Test
        void aConfiguredLocaleWithoutAFileStopsStartUp() {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> MessageCatalog.load(MESSAGES, "en", List.of("en", "az")));
            assertTrue(error.getMessage().startsWith("LOCALE_SUPPORTED"), error.getMessage());
            assertFalse(error.getMessage().contains("\n"));
        }

        @Test
        void aMessagesFolderOfAnOlderVersionStopsStartUpNamingWhatItLacks() throws IOException {
            Files.write(folder.resolve("messages_en.properties"),
                    Files.readAllLines(MESSAGES.resolve("messages_en.properties"), StandardCharsets.UTF_8).stream()
                            .filter(line -> !line.startsWith("announce.caption.restRefused=")).toList(),
                    StandardCharsets.UTF_8);
            ConfigException error = assertThrows(ConfigException.class,
                    () -> MessageCatalog.load(folder, "en", List.of()));
            assertEquals("MESSAGES_DIR: " + folder.getFileName() + "/messages_en.properties lacks 1 of the messages "
                    + "this version uses (announce.caption.restRefused): copy the messages folder of this version "
                    + "beside the jar", error.getMessage());
        }

        @Test
        void aTranslationNamingAnArgumentItIsNotGivenStopsStartUpNamingTheKeyAndTheArgument() throws IOException {
            Files.copy(MESSAGES.resolve("messages_en.properties"), folder.resolve("messages_en.properties"));
            Files.writeString(folder.resolve("messages_ru.properties"),
                    "language.name=Русский\nrsvp.promoted=Место на «{titel}» освободилось.\n");
            ConfigException error = assertThrows(ConfigException.class,
                    () -> MessageCatalog.load(folder, "en", List.of()));
            assertTrue(error.getMessage().startsWith("MESSAGES_DIR: " + folder.getFileName()
                    + "/messages_ru.properties key 'rsvp.promoted' names {titel}, which this message is not given (it has: "),
                    error.getMessage());
            assertFalse(error.getMessage().contains("\n"));
        }

        @Test
        void aTranslationMayLeaveAnArgumentOut() throws IOException {
            Files.copy(MESSAGES.resolve("messages_en.properties"), folder.resolve("messages_en.properties"));
            Files.writeString(folder.resolve("messages_ru.properties"),
                    "language.name=Русский\nrsvp.promoted=Место освободилось.\n");
            Translator russian = MessageCatalog.load(folder, "en", List.of()).translator("ru");
            assertEquals("Место освободилось.", russian.text("rsvp.promoted", "title", "Форум"));
        }

        @Test
        void aBrokenPatternStopsStartUpNamingTheKey() throws IOException {
            Files.writeString(folder.resolve("messages_en.properties"), "greeting=Hello {name\n");
            ConfigException error = assertThrows(ConfigException.class,
                    () -> MessageCatalog.load(folder, "en", List.of()));
            assertTrue(error.getMessage().contains("'greeting'"), error.getMessage());
        }
    }
}

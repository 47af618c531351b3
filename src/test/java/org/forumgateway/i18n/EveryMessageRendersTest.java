package org.forumgateway.i18n;

import com.ibm.icu.text.MessagePattern;
import com.ibm.icu.text.PluralRules;
import com.ibm.icu.util.ULocale;
import org.forumgateway.rsvp.RsvpStatus;
import org.forumgateway.users.Role;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every message of every locale, formatted with sample values: it renders, every plural category ICU picks for the
 * language has its own branch, Korean shows no particle notation, and each language is written in its own script.
 */
class EveryMessageRendersTest {
    static final List<String> LOCALES = List.of("ko", "en", "ru", "kk", "uz", "ky", "tg", "tk");
    private static final long[] COUNTS = {0, 1, 2, 5, 11, 21, 101};
    private static final List<String> RAW_PARTICLES = List.of("(으)", "(를)", "(는)", "(가)", "(과)", "(을)", "(이)", "(와)",
            "(은)", "(로)");

    private final MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", LOCALES);

    @Test
    void theEightLanguagesAreOffered() {
        assertEquals(LOCALES, catalog.locales());
        assertEquals(Set.copyOf(LOCALES), catalog.patterns().keySet());
    }

    @Test
    void everyStoredRoleAndEveryAnswerHasItsSpreadsheetNameInEveryLocale() {
        for (String locale : LOCALES) {
            Map<String, String> patterns = catalog.patterns().get(locale);
            for (Role role : Role.values()) {
                // Administrators come from ADMIN_IDS and are never stored, so never exported.
                assertTrue(role == Role.ADMIN || patterns.containsKey("rsvps.sheet.role." + role.code()), locale + " " + role);
            }
            for (RsvpStatus status : RsvpStatus.values()) {
                assertTrue(patterns.containsKey("rsvps.sheet.status." + status.code()), locale + " " + status);
            }
        }
    }

    @Test
    void everyKeyRendersInEveryLocaleWithEverySampleCount() {
        for (String locale : LOCALES) {
            Translator translator = catalog.translator(locale);
            for (String key : new TreeSet<>(catalog.patterns().get("en").keySet())) {
                for (long count : COUNTS) {
                    String text = translator.text(key, samples(catalog.pattern(locale, key), count, "Seoul"));
                    assertFalse(text.contains("{") && !key.startsWith("eventsFile.problem.titleRequired"),
                            "unformatted placeholder in " + locale + " " + key + ": " + text);
                }
            }
        }
    }

    /**
     * A cohort's days are written the locale's short way, which in some languages ends with an abbreviation's period
     * ("31 янв. 2027 г.", "2027 ж. 31 қаң."): a sentence must not put its own period right after one.
     */
    @Test
    void noSentencePeriodRightAfterADayThatEndsWithOne() {
        java.time.Instant lastDay = java.time.Instant.parse("2027-01-31T00:00:00Z");
        for (String locale : LOCALES) {
            String day = DateTimes.day(lastDay, java.time.ZoneOffset.UTC, locale);
            Translator translator = catalog.translator(locale);
            for (String key : List.of("cohort.welcome", "cohort.extended", "cohort.text", "cohorts.item")) {
                Map<String, Object> values = samples(catalog.pattern(locale, key), 1, "Seoul");
                values.put("from", day);
                values.put("to", day);
                String text = translator.text(key, values);
                assertFalse(day.endsWith(".") && text.contains(day + "."), locale + " " + key + ": " + text);
            }
        }
    }

    @Test
    void everyPluralHasABranchForEachCategoryTheLanguagePicks() {
        for (String locale : LOCALES) {
            PluralRules rules = PluralRules.forLocale(new ULocale(locale));
            List<String> withPlurals = new ArrayList<>();
            catalog.patterns().get(locale).forEach((key, pattern) -> {
                if (!pluralSelectors(pattern).isEmpty()) {
                    withPlurals.add(key);
                }
                for (Set<String> selectors : pluralSelectors(pattern)) {
                    assertTrue(selectors.contains("other"), locale + " " + key + " has no 'other'");
                    for (long count : COUNTS) {
                        String category = rules.select(count);
                        assertTrue(selectors.contains(category) || selectors.contains("=" + count),
                                locale + " " + key + ": " + count + " is '" + category + "' in " + locale
                                        + " but the message only has " + selectors);
                    }
                    for (String selector : selectors) {
                        assertTrue(selector.startsWith("=") || rules.getKeywords().contains(selector),
                                locale + " " + key + ": '" + selector + "' is not a plural category of " + locale
                                        + " " + rules.getKeywords());
                    }
                }
            });
            // Guards the loop above: were the plurals no longer found, it would check nothing and pass. (Korean
            // needs few: its nouns do not change with a number.)
            assertTrue(withPlurals.size() >= (locale.equals("ko") ? 4 : 20), locale + ": only " + withPlurals);
        }
    }

    @Nested
    class Korean {
        @Test
        void noMessageShowsParticleNotationWhateverTheWordBefore() {
            Translator korean = catalog.translator("ko");
            // Words with and without a final consonant, with ㄹ, Latin, digits: every particle path.
            for (String word : List.of("서울", "아스타나", "한국어", "Europe/Berlin", "kcaf-2026", "본회의")) {
                for (String key : catalog.patterns().get("ko").keySet()) {
                    for (long count : COUNTS) {
                        String text = korean.text(key, samples(catalog.pattern("ko", key), count, word));
                        for (String raw : RAW_PARTICLES) {
                            assertFalse(text.contains(raw), "ko " + key + " shows " + raw + ": " + text);
                        }
                    }
                }
            }
        }

        @Test
        void particlesFollowTheWordsFinalConsonant() {
            Translator korean = catalog.translator("ko");
            assertEquals("언어가 한국어로 설정되었습니다.", korean.text("language.chosen", "language", "한국어"));
            assertEquals("언어가 English로 설정되었습니다.", korean.text("language.chosen", "language", "English"));
            assertEquals("언어가 Русский로 설정되었습니다.", korean.text("language.chosen", "language", "Русский"));
            assertEquals("공지 #1을 취소했습니다.", korean.text("announce.cancelled", "id", 1));
            assertEquals("공지 #2를 취소했습니다.", korean.text("announce.cancelled", "id", 2));
            assertTrue(korean.text("timezone.chosen", "zone", "아스타나", "offset", "UTC+5", "date", "d", "time", "t")
                    .startsWith("시간대가 <b>아스타나</b>로 설정되었습니다(UTC+5)."));
            assertTrue(korean.text("timezone.chosen", "zone", "서울", "offset", "UTC+9", "date", "d", "time", "t")
                    .startsWith("시간대가 <b>서울</b>로 설정되었습니다"), "ㄹ takes 로");
            assertTrue(korean.text("timezone.chosen", "zone", "타슈켄트", "offset", "UTC+5", "date", "d", "time", "t")
                    .startsWith("시간대가 <b>타슈켄트</b>로"));
            assertTrue(korean.text("hint.unknownCommand", "command", "/start").startsWith("/start는"),
                    korean.text("hint.unknownCommand", "command", "/start"));
            assertTrue(korean.text("invite.unknownCountry", "country", "XX", "countries", "KR")
                    .startsWith("“XX”는"));
        }

        @Test
        void theForumIsSpelledAsTheSeedsSpellIt() {
            catalog.patterns().get("ko").forEach((key, pattern) ->
                    assertFalse(pattern.contains("한-중앙아 협력") || pattern.contains("한중앙아"), key));
        }

        @Test
        void oneFormalRegisterThroughout() {
            Pattern informal = Pattern.compile("(하세요|주세요|보세요|쓰세요|고르세요|세요[.:!]|해요|돼요|이에요|예요|합니다만)");
            catalog.patterns().get("ko").forEach((key, pattern) ->
                    assertFalse(informal.matcher(pattern).find(), "ko " + key + " is not in the formal register: " + pattern));
        }
    }

    @Test
    void noCelebratoryEmojiInAnyLanguage() {
        for (String locale : LOCALES) {
            catalog.patterns().get(locale).forEach((key, pattern) -> {
                for (String emoji : List.of("🎉", "🙏", "😊", "👋", "✅", "🥳")) {
                    assertFalse(pattern.contains(emoji), locale + " " + key + " has " + emoji);
                }
            });
        }
    }

    @Test
    void russianNamesTheSupportersAsVolunteersAndTheSideMeetingWithTheForum() {
        Map<String, String> russian = catalog.patterns().get("ru");
        russian.forEach((key, pattern) -> {
            assertFalse(pattern.toLowerCase().contains("сторонник"), key);
            assertFalse(pattern.contains("Понедельничн"), key);
            assertFalse(pattern.contains("что-то пошло"), key);
            assertFalse(pattern.contains("идёте на"), key);
        });
        assertEquals("Встреча на полях форума", russian.get("event.kind.side-meeting"));
        assertEquals("Волонтёры", russian.get("audience.supporter"));
    }

    /**
     * Each language in its own script: the text a reader sees (markup, placeholders, commands and code left out)
     * has no Latin letters in Cyrillic and Korean locales, and no text of a Latin-script locale is the English one.
     */
    @Test
    void everyLanguageIsWrittenInItsOwnScript() {
        Map<String, String> english = catalog.patterns().get("en");
        List<String> problems = new ArrayList<>();
        for (String locale : List.of("ko", "ru", "kk", "ky", "tg")) {
            catalog.patterns().get(locale).forEach((key, pattern) -> {
                List<String> latin = LATIN_WORD.matcher(visibleText(pattern)).results().map(m -> m.group()).toList();
                if (!latin.isEmpty()) {
                    problems.add(locale + " " + key + " has Latin text " + latin);
                }
            });
        }
        for (String locale : List.of("uz", "tk")) {
            catalog.patterns().get(locale).forEach((key, pattern) -> {
                if (key.startsWith("timezone.city.") || key.startsWith("country.")) {
                    return; // names, some spelled alike in every Latin script
                }
                Set<String> englishWords = words(visibleText(english.get(key)));
                englishWords.retainAll(words(visibleText(pattern)));
                englishWords.removeAll(SHARED_WORDS);
                if (!englishWords.isEmpty()) {
                    problems.add(locale + " " + key + " has English words " + englishWords);
                }
            });
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Words that are the same in English and the Latin-script languages, or are names. */
    private static final Set<String> SHARED_WORDS = Set.of("forum", "telegram", "html", "yaml", "iana",
            "admin_ids", "events_file", "kcaf", "plenary", "administrator", "delegates", "supporters", "staff",
            "public", "session", "secretariat", "cohort", "side-meeting", "true", "false", "going", "maybe",
            "waitlisted", "all", "lang", "country", "event", "key", "asia", "seoul", "europe", "berlin", "moscow",
            "tokyo", "blockquote", "tg-spoiler", "code", "pre", "username", "pdf", "video");
    /** A run of two or more Latin letters: single letters are tag names or abbreviations in examples. */
    private static final Pattern LATIN_WORD = Pattern.compile("\\b[A-Za-z]{2,}\\b");
    /** Words a Cyrillic or Korean text may keep in Latin: product and technical names, example values. */
    private static final Pattern ALLOWED_LATIN = Pattern.compile(
            "Telegram|HTML|PDF|YAML|IANA|UTC|ADMIN_IDS|EVENTS_FILE|URL|ID|API"
                    + "|b, i, u, s, a, code, pre, blockquote, tg-spoiler"
                    + "|all, delegates, supporters, staff, cohort:N, country:XX, event:\\S+, event:\\S+:going, lang:xx"
                    + "|forum, session, secretariat, cohort, side-meeting|public, delegates, staff, cohort:"
                    + "|maybe, waitlisted|Asia/Seoul|true|false|en, ko, ru|href=\"https://…\"|\\d+[mhd]\\b|Europe/\\w+|Asia/\\w+");

    static String visibleText(String pattern) {
        String text = pattern
                .replaceAll("<code>.*?</code>", " ")
                .replaceAll("<[^>]+>", " ")
                .replaceAll("&(amp;)?[a-z]+;", " ")
                .replaceAll("/[a-z]+", " ")
                // Plural and select keywords first, so that the branch after them stays visible text.
                .replaceAll("(=\\d+|\\b[a-z]+)\\{", " ")
                .replaceAll("\\{[a-zA-Z]+(, (plural|select),)?", " ")
                .replaceAll("[{}]", " ");
        return ALLOWED_LATIN.matcher(text).replaceAll(" ");
    }

    private static Set<String> words(String text) {
        Set<String> words = new TreeSet<>();
        for (String word : text.toLowerCase().split("[^\\p{L}_-]+")) {
            if (word.length() >= 4) {
                words.add(word);
            }
        }
        return words;
    }

    /** Sample values for every argument of {@code pattern}: numbers for plurals, "yes" for selects, text otherwise. */
    static Map<String, Object> samples(String pattern, long count, String word) {
        MessagePattern parsed = new MessagePattern(pattern);
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < parsed.countParts(); i++) {
            MessagePattern.Part part = parsed.getPart(i);
            if (part.getType() == MessagePattern.Part.Type.ARG_START) {
                String name = parsed.getSubstring(parsed.getPart(i + 1));
                switch (part.getArgType()) {
                    case PLURAL, SELECTORDINAL -> values.put(name, count);
                    case SELECT -> values.put(name, "yes");
                    default -> values.putIfAbsent(name, name.equals("id") || name.equals("number")
                            || name.equals("position") || name.equals("line") ? count : word);
                }
            }
        }
        return values;
    }

    /** The selectors of each plural argument in {@code pattern}. */
    static List<Set<String>> pluralSelectors(String pattern) {
        MessagePattern parsed = new MessagePattern(pattern);
        List<Set<String>> found = new ArrayList<>();
        for (int i = 0; i < parsed.countParts(); i++) {
            MessagePattern.Part part = parsed.getPart(i);
            if (part.getType() == MessagePattern.Part.Type.ARG_START
                    && part.getArgType() == MessagePattern.ArgType.PLURAL) {
                Set<String> selectors = new LinkedHashSet<>();
                int limit = parsed.getLimitPartIndex(i);
                for (int j = i + 1; j < limit; j++) {
                    MessagePattern.Part inner = parsed.getPart(j);
                    if (inner.getType() == MessagePattern.Part.Type.MSG_START) {
                        j = parsed.getLimitPartIndex(j);
                    } else if (inner.getType() == MessagePattern.Part.Type.ARG_SELECTOR) {
                        selectors.add(parsed.getSubstring(inner));
                    }
                }
                found.add(selectors);
            }
        }
        return found;
    }
}

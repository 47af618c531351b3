package org.forumgateway.i18n;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.MessagePattern;
import com.ibm.icu.util.ULocale;
import org.forumgateway.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All user-facing text: one {@code messages_<locale>.properties} file per locale in the messages folder, ICU
 * MessageFormat patterns (CLDR plurals). Adding a locale is adding a file. Thread-safe; its messages never change.
 */
public final class MessageCatalog {
    /** The English file packaged with this version: its keys are the messages the code uses. */
    private static final String PACKAGED_MESSAGES = "/messages-of-this-version/messages_en.properties";
    private static final Pattern FILE_NAME = Pattern.compile("messages_([a-z]{2,3})\\.properties");

    private final Map<String, Map<String, String>> patternsByLocale;
    private final List<String> locales;
    private final String defaultLocale;
    /**
     * Parsed patterns by locale and key, built on first use: parsing a pattern (and setting up its number and
     * plural formats) costs several times what formatting with it does. Bounded by the catalog's keys.
     */
    private final ConcurrentMap<String, MessageFormat> formats = new ConcurrentHashMap<>();

    MessageCatalog(Map<String, Map<String, String>> patternsByLocale, List<String> locales, String defaultLocale) {
        this.patternsByLocale = Map.copyOf(patternsByLocale);
        this.locales = List.copyOf(locales);
        this.defaultLocale = defaultLocale;
    }

    /**
     * Reads every messages file in {@code directory}.
     *
     * @param supported the locales to offer, in picker order; empty offers every file found
     * @throws ConfigException when the folder, a file or the default locale's file is missing or unreadable
     */
    public static MessageCatalog load(Path directory, String defaultLocale, List<String> supported) {
        Map<String, Map<String, String>> found = readAll(directory);
        List<String> offered = supported.isEmpty() ? defaultFirst(found.keySet(), defaultLocale) : supported;
        for (String locale : offered) {
            if (!found.containsKey(locale)) {
                throw new ConfigException("LOCALE_SUPPORTED (locale.supported) names '" + locale + "' but "
                        + directory.getFileName() + "/messages_" + locale + ".properties does not exist");
            }
        }
        if (!found.containsKey(defaultLocale)) {
            throw new ConfigException("LOCALE_DEFAULT (locale.default) is '" + defaultLocale + "' but "
                    + directory.getFileName() + "/messages_" + defaultLocale + ".properties does not exist");
        }
        Map<String, String> used = messagesOfThisVersion();
        requireMessagesOfThisVersion(used, found.get(defaultLocale), directory.getFileName() + "/messages_"
                + defaultLocale + ".properties");
        // The files of the languages offered (and the default): another file left in the folder is never read.
        found.forEach((locale, patterns) -> {
            if (offered.contains(locale) || locale.equals(defaultLocale)) {
                requireKnownArguments(used, patterns, directory.getFileName() + "/messages_" + locale + ".properties");
            }
        });
        return new MessageCatalog(found, offered, defaultLocale);
    }

    /** The locales users may choose, in picker order. */
    public List<String> locales() {
        return locales;
    }

    public String defaultLocale() {
        return defaultLocale;
    }

    public boolean supports(String locale) {
        return locales.contains(locale);
    }

    /**
     * The locale to speak to someone in, in chat, in jobs and in their calendar feed alike: their explicit choice,
     * else Telegram's language_code when supported, else the default.
     */
    public String resolve(LanguagePreference preference) {
        return preference.chosen().filter(this::supports)
                .or(() -> preference.telegramLanguage().map(MessageCatalog::primaryLanguage).filter(this::supports))
                .orElse(defaultLocale);
    }

    /** A translator in the locale {@link #resolve} picks. */
    public Translator translatorFor(LanguagePreference preference) {
        return translator(resolve(preference));
    }

    public Translator translator(String locale) {
        return new Translator(this, supports(locale) ? locale : defaultLocale);
    }

    /** Every key of every locale: for checks that files do not drift apart. */
    public Map<String, Map<String, String>> patterns() {
        return patternsByLocale;
    }

    boolean has(String locale, String key) {
        return patternsByLocale.getOrDefault(locale, Map.of()).containsKey(key)
                || patternsByLocale.get(defaultLocale).containsKey(key);
    }

    String pattern(String locale, String key) {
        String pattern = patternsByLocale.getOrDefault(locale, Map.of()).get(key);
        if (pattern == null) {
            pattern = patternsByLocale.get(defaultLocale).get(key);
        }
        if (pattern == null) {
            throw new MissingMessageException(key);
        }
        return pattern;
    }

    /** The message {@code key} of {@code locale} (a supported one) formatted with {@code arguments}. */
    String format(String locale, String key, Map<String, Object> arguments) {
        MessageFormat format = formats.computeIfAbsent(locale + '\n' + key,
                ignored -> new MessageFormat(pattern(locale, key), new ULocale(locale)));
        // ICU formats are not thread-safe; formatting takes microseconds, so a lock per format costs nothing.
        synchronized (format) {
            return format.format(arguments);
        }
    }

    private static String primaryLanguage(String languageTag) {
        return Locale.forLanguageTag(languageTag.replace('_', '-')).getLanguage();
    }

    private static List<String> defaultFirst(Collection<String> all, String defaultLocale) {
        List<String> ordered = new ArrayList<>();
        ordered.add(defaultLocale);
        all.stream().filter(locale -> !locale.equals(defaultLocale)).sorted().forEach(ordered::add);
        return ordered;
    }

    /**
     * The messages the code of this version uses (the English file packaged with it), by key; none when the classes
     * run without the packaged file, and then nothing is checked against them.
     */
    private static Map<String, String> messagesOfThisVersion() {
        InputStream packaged = MessageCatalog.class.getResourceAsStream(PACKAGED_MESSAGES);
        if (packaged == null) {
            return Map.of();
        }
        Properties used = new Properties();
        try (Reader reader = new InputStreamReader(packaged, StandardCharsets.UTF_8)) {
            used.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> patterns = new HashMap<>();
        used.stringPropertyNames().forEach(key -> patterns.put(key, used.getProperty(key)));
        return patterns;
    }

    /**
     * Every message the code of this version uses is in the default locale's file, which every other locale falls
     * back to: a messages folder from an older version, left behind by an upgrade that copied only the jar, would
     * fail in chat at the first new message.
     */
    private static void requireMessagesOfThisVersion(Map<String, String> used, Map<String, String> defaults,
                                                     String fileName) {
        List<String> missing = used.keySet().stream().filter(key -> !defaults.containsKey(key)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new ConfigException("MESSAGES_DIR: " + fileName + " lacks " + missing.size() + " of the messages "
                    + "this version uses (" + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + (missing.size() > 3 ? ", …" : "") + "): copy the messages folder of this version beside the jar");
        }
    }

    /**
     * A message names only arguments the code gives it: an edited translation with a misspelt one ({@code {titel}})
     * would show the braces to every reader of that language instead of the title. Leaving one out is allowed (a
     * language may not need the count, say).
     */
    private static void requireKnownArguments(Map<String, String> used, Map<String, String> patterns,
                                              String fileName) {
        patterns.keySet().stream().filter(used::containsKey).sorted().forEach(key -> {
            Set<String> given = argumentNames(used.get(key));
            argumentNames(patterns.get(key)).stream().filter(name -> !given.contains(name)).findFirst()
                    .ifPresent(unknown -> {
                        throw new ConfigException("MESSAGES_DIR: " + fileName + " key '" + key + "' names {"
                                + unknown + "}, which this message is not given (it has: "
                                + (given.isEmpty() ? "none" : String.join(", ", given)) + ")");
                    });
        });
    }

    /** The names of the arguments a pattern formats, in plural and select branches too. */
    static Set<String> argumentNames(String pattern) {
        MessagePattern parsed = new MessagePattern(pattern);
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < parsed.countParts(); i++) {
            MessagePattern.Part part = parsed.getPart(i);
            if (part.getType() == MessagePattern.Part.Type.ARG_NAME) {
                names.add(parsed.getSubstring(part));
            }
        }
        return names;
    }

    private static Map<String, Map<String, String>> readAll(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ConfigException("MESSAGES_DIR: folder " + directory.getFileName()
                    + " does not exist (run from the repository root, or set MESSAGES_DIR)");
        }
        Map<String, Map<String, String>> found = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "messages_*.properties")) {
            for (Path file : files) {
                Matcher matcher = FILE_NAME.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    found.put(matcher.group(1), read(file));
                }
            }
        } catch (IOException e) {
            throw new ConfigException("MESSAGES_DIR: cannot list " + directory.getFileName());
        }
        return found;
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (CharacterCodingException e) {
            throw new ConfigException("MESSAGES_DIR: " + file.getFileName() + " is not valid UTF-8");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("MESSAGES_DIR: " + file.getFileName() + " cannot be read");
        }
        Map<String, String> patterns = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String pattern = properties.getProperty(key);
            try {
                new MessageFormat(pattern, ULocale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("MESSAGES_DIR: " + file.getFileName() + " key '" + key
                        + "' is not a valid message pattern");
            }
            patterns.put(key, pattern);
        }
        return patterns;
    }
}

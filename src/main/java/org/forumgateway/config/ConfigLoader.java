package org.forumgateway.config;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import org.forumgateway.delivery.DeliveryLimits;
import org.forumgateway.i18n.ZoneNames;
import org.forumgateway.telegram.Webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.forumgateway.config.ConfigKeys.*;

/**
 * Reads settings from the config file, {@code .env} and the environment (the environment wins over .env, .env
 * over the file) and validates them. This is the only class that reads them.
 */
public final class ConfigLoader {
    static final String DEFAULT_CONFIG_FILE = CONFIG_FILE.defaultValue();
    private static final Pattern TOKEN = Pattern.compile("\\d{3,20}:[A-Za-z0-9_-]{30,}");
    private static final Pattern API_KEY_NAME = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final Pattern API_KEY = Pattern.compile("[A-Za-z0-9_-]{32,512}");
    private static final Pattern LOCALE_CODE = Pattern.compile("[a-z]{2,3}");
    /** A line dotenv-java reads: its own pattern. */
    private static final Pattern DOTENV_LINE =
            Pattern.compile("^\\s*([\\w.\\-]+)\\s*(=)\\s*(['][^']*[']|[\"][^\"]*[\"]|[^#]*)?\\s*(#.*)?$");
    /** The setting a refused line meant to set: its first name, after an {@code export} if there is one. */
    private static final Pattern DOTENV_NAME = Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");
    private static final Pattern CLOCK_TIME = Pattern.compile("([0-9]{1,2}):([0-9]{2})");
    /** RFC 6750's token characters, and long enough not to be guessed. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{16,200}");
    private static final Pattern TIME_RANGE = Pattern.compile("([0-9]{1,2}:[0-9]{2})-([0-9]{1,2}:[0-9]{2})");

    private static final String LOG_LEVEL = "LOG_LEVEL";
    private static final List<String> LOG_LEVELS = List.of("ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private final Map<String, String> variables;
    private final Properties file;
    private final String fileName;

    private ConfigLoader(Map<String, String> variables, Properties file, String fileName) {
        this.variables = variables;
        this.file = file;
        this.fileName = fileName;
    }

    /**
     * Loads the configuration of a process started in {@code workingDirectory} with {@code environment}.
     *
     * @throws ConfigException naming the first setting that is missing or invalid
     */
    public static AppConfig load(Map<String, String> environment, Path workingDirectory) {
        requireLogLevel(environment.get(LOG_LEVEL));
        Map<String, String> variables = new HashMap<>(readDotEnv(workingDirectory));
        variables.putAll(environment);
        String configFile = Optional.ofNullable(blankToNull(variables.get(CONFIG_FILE.environmentName())))
                .orElse(DEFAULT_CONFIG_FILE);
        Path configPath = workingDirectory.resolve(configFile);
        return new ConfigLoader(variables, readConfigFile(configPath, configFile), configFile).build(workingDirectory);
    }

    /**
     * LOG_LEVEL is read by logback, from the process's environment only, and logback takes a level it does not know
     * for DEBUG: "WARNING", meant to log less, would log every update. Checked here, so that it stops the start.
     */
    private static void requireLogLevel(String level) {
        // Empty counts too: logback's default applies only when the variable is missing, and an empty level is DEBUG.
        if (level != null && !LOG_LEVELS.contains(level.strip().toUpperCase(Locale.ROOT))) {
            throw new ConfigException(LOG_LEVEL + " must be one of " + String.join(", ", LOG_LEVELS)
                    + (level.isBlank() ? ", or unset (INFO)" : "") + ": got '" + level.strip() + "'");
        }
    }

    private AppConfig build(Path workingDirectory) {
        rejectUnknownFileKeys();
        int port = intSetting(HTTP_PORT, 0, 65535);
        String token = token();
        URI apiUrl = apiUrl();
        TelegramSettings telegram = new TelegramSettings(token, apiUrl, intSetting(POLL_TIMEOUT, 1, 50),
                webhookUrl(port, token, apiUrl), webhookSecret());
        Path databasePath = workingDirectory.resolve(value(DATABASE_PATH));
        Path messagesDir = workingDirectory.resolve(value(MESSAGES_DIR));

        List<String> supported = list(LOCALE_SUPPORTED);
        supported.forEach(code -> requireLocaleCode(LOCALE_SUPPORTED, code));
        String defaultLocale = value(LOCALE_DEFAULT);
        requireLocaleCode(LOCALE_DEFAULT, defaultLocale);
        if (!supported.isEmpty() && !supported.contains(defaultLocale)) {
            throw ConfigException.invalid(LOCALE_DEFAULT, "is '" + defaultLocale + "', which is not in "
                    + LOCALE_SUPPORTED.describe() + " " + supported);
        }

        ZoneId defaultZone = zone(TIMEZONE_DEFAULT, value(TIMEZONE_DEFAULT));
        List<ZoneId> zoneChoices = list(TIMEZONE_CHOICES).stream().map(id -> zone(TIMEZONE_CHOICES, id)).toList();

        Duration busyTimeout = Duration.ofMillis(intSetting(DATABASE_BUSY_TIMEOUT, 100, 600_000));
        return new AppConfig(telegram, databasePath, busyTimeout, adminIds(), port == 0 ? Optional.empty() : Optional.of(port),
                httpHost(),
                messagesDir, defaultLocale, supported, defaultZone, zoneChoices,
                intSetting(WORKER_THREADS, 1, 64), organization(), schedule(workingDirectory, port),
                DeliveryLimits.telegramDefaults()
                        .withRates(doubleSetting(DELIVERY_MAX_PER_SECOND, 0.1, 10_000),
                                doubleSetting(DELIVERY_PER_CHAT_PER_SECOND, 0.01, 100),
                                doubleSetting(DELIVERY_GROUP_PER_MINUTE, 0.1, 6_000))
                        .withMaxInFlight(intSetting(DELIVERY_MAX_IN_FLIGHT, 1, 512)),
                automation(workingDirectory),
                WebhookSettings.read(this::text, file.stringPropertyNames(), variables.keySet()),
                new MetricsSettings(metricsToken()), gateway());
    }

    /** An address of this machine: a name that does not resolve, or one of another machine, would fail the bind. */
    private Optional<String> httpHost() {
        Optional<String> host = text(HTTP_HOST).map(String::strip);
        if (host.isPresent() && !isOwnAddress(host.get())) {
            throw ConfigException.invalid(HTTP_HOST, "must be an address of this machine, such as 127.0.0.1 "
                    + "(unset: every interface): got '" + host.get() + "'");
        }
        return host;
    }

    private static boolean isOwnAddress(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<String> metricsToken() {
        Optional<String> token = text(METRICS_TOKEN);
        if (token.isPresent() && !BEARER_TOKEN.matcher(token.get()).matches()) {
            // Never echo the value: it is a secret even when malformed.
            throw ConfigException.invalid(METRICS_TOKEN, "must be 16 to 200 letters, digits or -._~+/= "
                    + "(make one with: openssl rand -hex 32)");
        }
        return token;
    }

    private AppConfig.Gateway gateway() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String entry : list(API_KEYS)) {
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).strip();
            String key = colon < 0 ? "" : entry.substring(colon + 1).strip();
            // Never echo a key: only the name, or the position of the entry, may appear in the message.
            if (!API_KEY_NAME.matcher(name).matches()) {
                throw ConfigException.invalid(API_KEYS, "must be comma-separated name:key pairs; entry "
                        + (keys.size() + 1) + " has no valid name (1-40 of a-z, 0-9, _ and -)");
            }
            if (!API_KEY.matcher(key).matches()) {
                throw ConfigException.invalid(API_KEYS, "the key of '" + name
                        + "' must be at least 32 characters of A-Z, a-z, 0-9, _ and -");
            }
            if (keys.put(name, key) != null) {
                throw ConfigException.invalid(API_KEYS, "names the key '" + name + "' twice");
            }
        }
        return new AppConfig.Gateway(keys, doubleSetting(API_RATE_PER_SECOND, 0.1, 100_000),
                intSetting(API_BURST, 1, 100_000));
    }

    private AppConfig.Automation automation(Path workingDirectory) {
        List<Duration> offsets = list(REMINDER_OFFSETS).stream().map(text -> duration(REMINDER_OFFSETS, text)).toList();
        Duration nudge = duration(DEADLINE_NUDGE, value(DEADLINE_NUDGE));
        String quiet = value(QUIET_HOURS);
        Matcher range = TIME_RANGE.matcher(quiet);
        if (!range.matches()) {
            throw ConfigException.invalid(QUIET_HOURS, "must be a time range like 22:00-08:00: got '" + quiet + "'");
        }
        return new AppConfig.Automation(offsets, nudge,
                minutes(QUIET_HOURS, range.group(1)), minutes(QUIET_HOURS, range.group(2)),
                writableFolder(BACKUP_FOLDER, workingDirectory.resolve(value(BACKUP_FOLDER))),
                LocalTime.ofSecondOfDay(minutes(BACKUP_TIME, value(BACKUP_TIME)) * 60L),
                intSetting(BACKUP_KEEP, 1, 365));
    }

    /**
     * A folder this process may write into, or create: checked at start, since the nightly job that first writes
     * there would otherwise find out at 03:00 (a read-only path under systemd's ProtectSystem, say).
     */
    private static Path writableFolder(Setting setting, Path folder) {
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw ConfigException.invalid(setting, "must be a folder this process can write to, or create: "
                    + (existing == null ? folder : existing) + (existing != null && !Files.isDirectory(existing)
                    ? " is not a folder" : " is not writable"));
        }
        return folder;
    }

    private static Duration duration(Setting setting, String text) {
        return Durations.parse(text).orElseThrow(() -> ConfigException.invalid(setting,
                "must hold durations like 30m, 2h or 1d: got '" + text + "'"));
    }

    /** "08:30" as minutes after midnight. */
    private static int minutes(Setting setting, String text) {
        Matcher matcher = CLOCK_TIME.matcher(text.strip());
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) > 23 || Integer.parseInt(matcher.group(2)) > 59) {
            throw ConfigException.invalid(setting, "must be a time like 03:00: got '" + text + "'");
        }
        return Integer.parseInt(matcher.group(1)) * 60 + Integer.parseInt(matcher.group(2));
    }

    private AppConfig.Schedule schedule(Path workingDirectory, int port) {
        Path eventsFile = workingDirectory.resolve(value(EVENTS_FILE));
        URI publicUrl = publicUrl(port);
        List<String> countries = list(COUNTRIES).stream().map(code -> code.toUpperCase(Locale.ROOT)).toList();
        for (String code : countries) {
            if (!COUNTRY_CODE.matcher(code).matches()) {
                throw ConfigException.invalid(COUNTRIES, "must hold two-letter ISO country codes such as KZ: got '"
                        + code + "'");
            }
        }
        return new AppConfig.Schedule(eventsFile, publicUrl,
                Duration.ofDays(intSetting(INVITE_VALIDITY_DAYS, 1, 365)),
                intSetting(INVITE_MAX_USES, 1, 100_000),
                countries);
    }

    private URI publicUrl(int port) {
        String value = text(PUBLIC_URL).orElse("http://localhost:" + (port == 0 ? HTTP_PORT.defaultValue() : port));
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not http(s)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ConfigException.invalid(PUBLIC_URL, "must be the address users reach the HTTP server at, such as "
                    + "https://bot.example.org: got '" + value + "'");
        }
    }

    private String token() {
        String token = text(BOT_TOKEN).orElseThrow(() -> new ConfigException(BOT_TOKEN.environmentName()
                + " is not set: talk to @BotFather in Telegram (/newbot gives a token), then put it in .env as "
                + BOT_TOKEN.environmentName() + "=<token> or export it"));
        if (!TOKEN.matcher(token).matches()) {
            // Never echo the value: a nearly right token is still a secret.
            throw new ConfigException(BOT_TOKEN.environmentName() + " is malformed: expected the form "
                    + "<digits>:<35 letters, digits, '_' or '-'> that @BotFather gives (/token shows it again)");
        }
        return token;
    }

    private URI apiUrl() {
        String value = value(API_URL);
        String problem = "must be a Bot API server address such as https://api.telegram.org or http://localhost:8081"
                + " (scheme, host and port; no path): got '" + withoutToken(value) + "'";
        try {
            URI uri = new URI(value);
            boolean httpScheme = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath());
            if (!httpScheme || uri.getHost() == null || !noPath || uri.getRawQuery() != null) {
                throw ConfigException.invalid(API_URL, problem);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ConfigException.invalid(API_URL, problem);
        }
    }

    /** The base URL Telegram pushes to; the bot adds its own path. */
    private Optional<URI> webhookUrl(int port, String token, URI apiUrl) {
        Optional<String> text = text(WEBHOOK_URL);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.get().contains(token) || text.get().contains(token.substring(token.indexOf(':') + 1))) {
            // Proxies and Telegram log URLs; the value itself is not repeated here, since it holds the token.
            throw ConfigException.invalid(WEBHOOK_URL, "must not contain the bot token: the bot's own path and "
                    + "secret header already tell Telegram's pushes apart");
        }
        URI url;
        try {
            url = new URI(text.get().strip());
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null || url.getHost() == null || url.getQuery() != null || url.getFragment() != null
                || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
            throw ConfigException.invalid(WEBHOOK_URL, "must be the public base URL Telegram can reach, such as "
                    + "https://bot.example.org: got '" + withoutToken(text.get()) + "'");
        }
        if (url.getPath().replaceAll("/+$", "").endsWith(Webhook.PATH)) {
            // Taken as it is, Telegram would push to .../telegram/webhook/telegram/webhook, which answers 404.
            throw ConfigException.invalid(WEBHOOK_URL, "is the public base URL: the bot adds " + Webhook.PATH
                    + " itself, so leave it out: got '" + withoutToken(text.get()) + "'");
        }
        if (port == 0) {
            throw ConfigException.invalid(WEBHOOK_URL, "needs the HTTP server, which HTTP_PORT=0 turns off; set "
                    + "HTTP_PORT to the port your proxy forwards to");
        }
        if (TelegramSettings.isCloud(apiUrl)) {
            // Telegram refuses anything else with 400, and the bot would retry setWebhook for ever; a local Bot API
            // server (TELEGRAM_API_URL) has no such rules.
            int publicPort = url.getPort() != -1 ? url.getPort() : 443;
            if (!"https".equals(url.getScheme()) || !TelegramSettings.CLOUD_WEBHOOK_PORTS.contains(publicPort)) {
                throw ConfigException.invalid(WEBHOOK_URL, "must be https:// on port 443, 80, 88 or 8443, the only "
                        + "ones Telegram pushes to: got '" + withoutToken(text.get()) + "' (a local Bot API server, set "
                        + "in " + API_URL.environmentName() + ", may use others)");
            }
        }
        return Optional.of(url);
    }

    /**
     * Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -; at least 16 here: the secret is all that tells
     * Telegram's pushes from anyone's, and a push can claim to come from an administrator.
     */
    private Optional<String> webhookSecret() {
        Optional<String> secret = text(WEBHOOK_SECRET);
        if (secret.isPresent() && !secret.get().matches("[A-Za-z0-9_-]{16,256}")) {
            // The value itself is never repeated: it is a secret.
            throw ConfigException.invalid(WEBHOOK_SECRET, "must be 16-256 characters A-Z, a-z, 0-9, _ and - (make one "
                    + "with: openssl rand -hex 32)");
        }
        return secret;
    }

    private Set<Long> adminIds() {
        Set<Long> ids = new LinkedHashSet<>();
        for (String id : list(ADMIN_IDS)) {
            try {
                long parsed = Long.parseLong(id);
                if (parsed <= 0) {
                    throw new NumberFormatException();
                }
                ids.add(parsed);
            } catch (NumberFormatException e) {
                throw ConfigException.invalid(ADMIN_IDS, "must be comma-separated numeric Telegram user ids: '"
                        + id + "' is not one");
            }
        }
        return ids;
    }

    private OrganizationProfile organization() {
        Map<String, Map<String, String>> texts = new HashMap<>();
        for (String field : ORGANIZATION_TEXTS) {
            Map<String, String> byLocale = new HashMap<>();
            String prefix = ORGANIZATION_PREFIX + field + ".";
            for (String key : allKeysWithPrefix(prefix)) {
                String locale = key.substring(prefix.length());
                text(new Setting(key)).ifPresent(value -> byLocale.put(locale, value));
            }
            texts.put(field, byLocale);
        }
        return new OrganizationProfile(texts, text(ORGANIZATION_WEBSITE));
    }

    /** Keys of the file and of variables named like them (an operator may add a locale through the environment). */
    private Set<String> allKeysWithPrefix(String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        file.stringPropertyNames().stream().filter(key -> key.startsWith(prefix)).sorted().forEach(keys::add);
        String variablePrefix = new Setting(prefix).environmentName();
        variables.keySet().stream()
                .filter(name -> name.startsWith(variablePrefix))
                .map(name -> prefix + name.substring(variablePrefix.length()).toLowerCase(Locale.ROOT))
                .filter(key -> LOCALE_CODE.matcher(key.substring(prefix.length())).matches())
                .sorted()
                .forEach(keys::add);
        return keys;
    }

    private void rejectUnknownFileKeys() {
        for (String key : file.stringPropertyNames()) {
            boolean known = FILE_SETTINGS.stream().anyMatch(setting -> setting.key().equals(key))
                    || isOrganizationText(key)
                    || WebhookSettings.isKey(key);
            if (!known) {
                throw new ConfigException(fileName + ": unknown setting '" + key + "' (see the comments in "
                        + DEFAULT_CONFIG_FILE + " for the settings there are)");
            }
        }
    }

    private static boolean isOrganizationText(String key) {
        if (!key.startsWith(ORGANIZATION_PREFIX)) {
            return false;
        }
        String[] parts = key.substring(ORGANIZATION_PREFIX.length()).split("\\.");
        return parts.length == 2 && ORGANIZATION_TEXTS.contains(parts[0]) && LOCALE_CODE.matcher(parts[1]).matches();
    }

    private Optional<String> text(Setting setting) {
        String fromEnvironment = variables.get(setting.environmentName());
        String value = fromEnvironment != null ? fromEnvironment : file.getProperty(setting.key());
        return Optional.ofNullable(blankToNull(value)).map(String::strip);
    }

    /** The configured value, or the setting's default. */
    private String value(Setting setting) {
        return text(setting).orElse(setting.defaultValue());
    }

    /** The configured items, or the default's when nothing is configured. */
    private List<String> list(Setting setting) {
        return text(setting).or(setting::defaultText).map(value -> Arrays.stream(value.split(","))
                        .map(String::strip)
                        .filter(item -> !item.isEmpty())
                        .toList())
                .map(ArrayList::new)
                .orElseGet(ArrayList::new);
    }

    private int intSetting(Setting setting, int min, int max) {
        Optional<String> value = text(setting).or(setting::defaultText);
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(setting, "must be a whole number from " + min + " to " + max
                    + ": got '" + value.get() + "'");
        }
    }

    private double doubleSetting(Setting setting, double min, double max) {
        Optional<String> value = text(setting).or(setting::defaultText);
        try {
            double parsed = Double.parseDouble(value.get());
            if (!(parsed >= min && parsed <= max)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(setting, "must be a number from " + min + " to " + max
                    + ": got '" + value.get() + "'");
        }
    }

    private static void requireLocaleCode(Setting setting, String code) {
        if (!LOCALE_CODE.matcher(code).matches()) {
            throw ConfigException.invalid(setting, "must hold language codes such as en, ko, ru: got '" + code + "'");
        }
    }

    private static ZoneId zone(Setting setting, String id) {
        return ZoneNames.known(id).orElseThrow(() -> ConfigException.invalid(setting,
                "must hold IANA time-zone ids such as Asia/Seoul: got '" + id + "'"));
    }

    private static Map<String, String> readDotEnv(Path workingDirectory) {
        Path file = workingDirectory.resolve(".env");
        if (Files.exists(file) && !Files.isReadable(file)) {
            throw new ConfigException(".env cannot be read by the user running the bot (permission denied): make it "
                    + "that user's, mode 600");
        }
        if (startsWithByteOrderMark(file)) {
            // dotenv would call line 1 malformed, which looks fine in any editor.
            throw new ConfigException(".env starts with a byte-order mark (saved as 'UTF-8 with BOM'): save it as "
                    + "plain UTF-8");
        }
        try {
            Dotenv dotenv = Dotenv.configure()
                    .directory(workingDirectory.toString())
                    .filename(".env")
                    .ignoreIfMissing()
                    .load();
            Map<String, String> entries = new HashMap<>();
            for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                entries.put(entry.getKey(), entry.getValue());
            }
            return entries;
        } catch (DotenvException e) {
            // Not dotenv's message: it repeats the whole line, and the line may hold the bot token.
            throw new ConfigException(".env cannot be read: " + malformedLine(workingDirectory.resolve(".env"))
                    + " is not NAME=value (no 'export' in front)");
        }
    }

    private static boolean startsWithByteOrderMark(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(3);
            return start.length == 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB
                    && (start[2] & 0xFF) == 0xBF;
        } catch (IOException e) {
            return false; // dotenv reports it
        }
    }

    /** The first line of a .env file dotenv-java would refuse, by number and setting name, never by its text. */
    private static String malformedLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                boolean ignored = line.isBlank() || line.strip().startsWith("#");
                if (!ignored && !DOTENV_LINE.matcher(line).matches()) {
                    Matcher name = DOTENV_NAME.matcher(line);
                    return "line " + (i + 1) + (name.lookingAt() ? " (" + name.group(1) + ")" : "");
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Reported without the line number.
        }
        return "a line";
    }

    private static Properties readConfigFile(Path path, String name) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(CONFIG_FILE.environmentName() + ": " + name + " does not exist (run from the "
                    + "repository root, or set " + CONFIG_FILE.environmentName() + " to the settings file)");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return properties;
        } catch (CharacterCodingException e) {
            throw new ConfigException(name + " is not valid UTF-8");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(name + " cannot be read: " + firstLine(e.getMessage()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A value quoted in an error, with anything shaped like a bot token (any bot's) left out. */
    private static String withoutToken(String value) {
        return TOKEN.matcher(value).replaceAll("<token>");
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse("unknown error");
    }
}

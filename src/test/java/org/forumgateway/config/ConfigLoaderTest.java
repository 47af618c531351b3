package org.forumgateway.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.forumgateway.webhooks.WebhookEndpoint;
import org.forumgateway.webhooks.WebhookEventType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String TOKEN = "123456789:AAFakeTokenForForumGatewayTests_0123";

    @TempDir
    Path folder;
    private final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void shipTheConfigFile() throws IOException {
        Files.createDirectories(folder.resolve("config"));
        Files.copy(Path.of(ConfigLoader.DEFAULT_CONFIG_FILE), folder.resolve(ConfigLoader.DEFAULT_CONFIG_FILE));
        environment.put("TELEGRAM_BOT_TOKEN", TOKEN);
    }

    private AppConfig load() {
        return ConfigLoader.load(environment, folder);
    }

    private String failure() {
        String message = assertThrows(ConfigException.class, this::load).getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertFalse(message.contains(TOKEN), "never the token: " + message);
        return message;
    }

    @Test
    void aFixedOffsetIsNotATimeZone() {
        environment.put("TIMEZONE_DEFAULT", "UTC+9");
        assertTrue(failure().startsWith("TIMEZONE_DEFAULT (timezone.default) must hold IANA time-zone ids such as "
                + "Asia/Seoul: got 'UTC+9'"), failure());
        environment.put("TIMEZONE_DEFAULT", "UTC");
        assertEquals(ZoneId.of("UTC"), load().defaultTimeZone());
    }

    @Test
    void aLogLevelLogbackDoesNotKnowStopsTheStartInsteadOfLoggingEverything() {
        environment.put("LOG_LEVEL", "WARNING");
        assertEquals("LOG_LEVEL must be one of ALL, TRACE, DEBUG, INFO, WARN, ERROR, OFF: got 'WARNING'", failure());
        environment.put("LOG_LEVEL", ""); // logback would take it for DEBUG too
        assertEquals("LOG_LEVEL must be one of ALL, TRACE, DEBUG, INFO, WARN, ERROR, OFF, or unset (INFO): got ''",
                failure());
        environment.put("LOG_LEVEL", "warn");
        load();
    }

    @Test
    void theHttpServerListensOnAnAddressOfThisMachineOrOnEveryInterface() throws Exception {
        assertEquals(Optional.empty(), load().httpHost());
        environment.put("HTTP_HOST", "127.0.0.1");
        assertEquals(Optional.of("127.0.0.1"), load().httpHost());
        environment.put("HTTP_HOST", "0.0.0.0");
        assertEquals(Optional.of("0.0.0.0"), load().httpHost());
        String elsewhere = notOurs();
        environment.put("HTTP_HOST", elsewhere);
        assertEquals("HTTP_HOST must be an address of this machine, such as 127.0.0.1 (unset: every interface): "
                + "got '" + elsewhere + "'", failure());
    }

    /** An address of the documentation ranges (RFC 5737) that this machine does not have. */
    private static String notOurs() throws java.net.SocketException, java.net.UnknownHostException {
        for (String candidate : List.of("203.0.113.77", "198.51.100.77", "192.0.2.77")) {
            if (java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName(candidate)) == null) {
                return candidate;
            }
        }
        throw new IllegalStateException("this machine has every candidate address");
    }

    @Test
    void aWebhookUrlWithTheBotsOwnPathIsRefused() {
        environment.put("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram/webhook/");
        assertTrue(failure().startsWith("TELEGRAM_WEBHOOK_URL (telegram.webhook-url) is the public base URL: the bot "
                + "adds /telegram/webhook itself"));
        environment.put("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/forum/");
        environment.put("TELEGRAM_WEBHOOK_SECRET", "a-secret-of-at-least-16");
        assertEquals("https://bot.example.org/forum/", load().telegram().webhookUrl().orElseThrow().toString());
    }

    @Test
    void defaultsMakeAWorkingConfiguration() {
        AppConfig config = load();
        assertEquals("https://api.telegram.org", config.telegram().apiUrl().toString());
        assertEquals(folder.resolve("data/forum-gateway.db"), config.databasePath());
        assertEquals(Optional.of(8080), config.httpPort());
        assertEquals("en", config.defaultLocale());
        assertEquals(List.of("ko", "en", "ru", "kk", "uz", "ky", "tg", "tk"), config.supportedLocales());
        assertEquals(ZoneId.of("Asia/Seoul"), config.defaultTimeZone());
        assertEquals(6, config.timeZoneChoices().size());
        assertEquals(50, config.telegram().pollTimeoutSeconds());
        assertTrue(config.organization().text("name", "ru", "en").startsWith("Секретариат"));
        assertTrue(config.organization().text("name", "uz", "en").startsWith("“Markaziy Osiyo"));
    }

    /** Every text of the /about profile is written per language, and the shipped file has all eight for each. */
    @Test
    void everyOrganizationTextIsLocalizableAndTheShippedFileHasEveryLanguage() {
        AppConfig config = load();
        for (String field : List.of("name", "summary", "history", "functions", "supporters", "address")) {
            for (String locale : config.supportedLocales()) {
                assertFalse(config.organization().text(field, locale, "xx").isBlank(), field + "." + locale);
            }
        }
        environment.put("ORGANIZATION_HISTORY_TK", "Taryh");
        assertEquals("Taryh", load().organization().text("history", "tk", "en"));
    }

    @Test
    void theTokenNeverShowsInTheConfigsText() {
        assertFalse(load().toString().contains(TOKEN));
    }

    @Nested
    class Token {
        @Test
        void missingTokenNamesTheVariableAndBotFather() {
            environment.remove("TELEGRAM_BOT_TOKEN");
            String message = failure();
            assertTrue(message.startsWith("TELEGRAM_BOT_TOKEN is not set"), message);
            assertTrue(message.contains("@BotFather"), message);
        }

        @Test
        void malformedTokenIsRefusedWithoutEchoingIt() {
            environment.put("TELEGRAM_BOT_TOKEN", "12345:short-secret");
            String message = failure();
            assertTrue(message.startsWith("TELEGRAM_BOT_TOKEN is malformed"), message);
            assertFalse(message.contains("short-secret"), message);
        }

        @Test
        void aWebhookUrlHoldingTheTokenIsRefusedWithoutEchoingIt() {
            environment.put("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/" + TOKEN.substring(TOKEN.indexOf(':') + 1));
            String message = failure();
            assertTrue(message.startsWith("TELEGRAM_WEBHOOK_URL (telegram.webhook-url) must not contain the bot token"),
                    message);
            assertFalse(message.contains(TOKEN.substring(TOKEN.indexOf(':') + 1)), message);
        }

        @Test
        void aWebhookUrlTelegramWouldRefuseStopsTheStartInsteadOfBeingRetriedForEver() {
            environment.remove("TELEGRAM_API_URL");
            for (String refused : List.of("http://bot.example.org", "https://bot.example.org:8080")) {
                environment.put("TELEGRAM_WEBHOOK_URL", refused);
                assertTrue(failure().startsWith("TELEGRAM_WEBHOOK_URL (telegram.webhook-url) must be https:// on port "
                        + "443, 80, 88 or 8443"), refused);
            }
            environment.put("TELEGRAM_API_URL", "https://API.Telegram.org");
            assertTrue(failure().startsWith("TELEGRAM_WEBHOOK_URL (telegram.webhook-url) must be https://"),
                    "a host name is case-insensitive");
            environment.remove("TELEGRAM_API_URL");
            environment.put("TELEGRAM_WEBHOOK_URL", "https://bot.example.org:8443");
            assertEquals(8443, load().telegram().webhookUrl().orElseThrow().getPort());
            environment.put("TELEGRAM_WEBHOOK_SECRET", "short-secret");
            String tooShort = failure();
            assertTrue(tooShort.startsWith("TELEGRAM_WEBHOOK_SECRET must be 16-256 characters"), tooShort);
            assertFalse(tooShort.contains("short-secret"), "never repeated: " + tooShort);
            environment.remove("TELEGRAM_WEBHOOK_SECRET");
            // A local Bot API server pushes wherever it is told.
            environment.put("TELEGRAM_API_URL", "http://localhost:8081");
            environment.put("TELEGRAM_WEBHOOK_URL", "http://127.0.0.1:8080");
            assertEquals("http", load().telegram().webhookUrl().orElseThrow().getScheme());
        }
    }

    @Nested
    class Precedence {
        @Test
        void dotEnvIsRead() throws IOException {
            environment.remove("TELEGRAM_BOT_TOKEN");
            Files.writeString(folder.resolve(".env"), "TELEGRAM_BOT_TOKEN=" + TOKEN + "\nHTTP_PORT=9090\n");
            AppConfig config = load();
            assertEquals(TOKEN, config.telegram().token());
            assertEquals(Optional.of(9090), config.httpPort());
        }

        @Test
        void environmentWinsOverDotEnvWhichWinsOverTheFile() throws IOException {
            Files.writeString(folder.resolve(".env"), "LOCALE_DEFAULT=ru\nHTTP_PORT=9090\n");
            environment.put("HTTP_PORT", "9191");
            AppConfig config = load();
            assertEquals("ru", config.defaultLocale(), ".env over the file");
            assertEquals(Optional.of(9191), config.httpPort(), "environment over .env");
            environment.put("HTTP_PORT", "");
            assertEquals(Optional.of(8080), load().httpPort(), "an empty value is set too: the default, as the "
                    + "README says");
        }

        @Test
        void anyFileSettingCanBeOverridden() {
            environment.put("TIMEZONE_CHOICES", "Asia/Tashkent, Asia/Seoul");
            environment.put("ORGANIZATION_NAME_UZ", "Koreya–Markaziy Osiyo hamkorlik forumi kotibiyati");
            AppConfig config = load();
            assertEquals(List.of(ZoneId.of("Asia/Tashkent"), ZoneId.of("Asia/Seoul")), config.timeZoneChoices());
            assertTrue(config.organization().text("name", "uz", "en").startsWith("Koreya"));
        }

        @Test
        void portZeroTurnsTheHttpServerOff() {
            environment.put("HTTP_PORT", "0");
            assertEquals(Optional.empty(), load().httpPort());
        }

        @Test
        void adminIdsAreParsed() {
            environment.put("ADMIN_IDS", "1001, 1002,1003");
            assertEquals(Set.of(1001L, 1002L, 1003L), load().adminIds());
        }
    }

    @Nested
    class BadValuesStopStartUpWithOneLine {
        @Test
        void apiUrlWithAPath() {
            environment.put("TELEGRAM_API_URL", "https://api.telegram.org/bot123");
            assertTrue(failure().startsWith("TELEGRAM_API_URL"));
        }

        @Test
        void apiUrlThatIsNotHttp() {
            environment.put("TELEGRAM_API_URL", "ftp://example.org");
            assertTrue(failure().startsWith("TELEGRAM_API_URL"));
        }

        @Test
        void adminIdThatIsNotANumber() {
            environment.put("ADMIN_IDS", "1001,@staff");
            String message = failure();
            assertTrue(message.startsWith("ADMIN_IDS") && message.contains("'@staff'"), message);
        }

        @Test
        void apiKeyTooShortNamesApiKeysAndNeverEchoesTheKey() {
            environment.put("API_KEYS", "crm:short-secret-value");
            String message = failure();
            assertTrue(message.startsWith("API_KEYS") && message.contains("'crm'"), message);
            assertTrue(!message.contains("short-secret-value"), message);
        }

        @Test
        void apiKeysWithoutANameOrTwice() {
            environment.put("API_KEYS", "0123456789abcdef0123456789abcdef01");
            assertTrue(failure().startsWith("API_KEYS"));
            environment.put("API_KEYS", "a:0123456789abcdef0123456789abcdef01,a:0123456789abcdef0123456789abcdef02");
            assertTrue(failure().contains("twice"));
        }

        @Test
        void portOutOfRange() {
            environment.put("HTTP_PORT", "70000");
            assertTrue(failure().startsWith("HTTP_PORT"));
        }

        @Test
        void unknownTimeZone() {
            environment.put("TIMEZONE_DEFAULT", "Asia/Astana");
            String message = failure();
            assertTrue(message.startsWith("TIMEZONE_DEFAULT (timezone.default)"), message);
        }

        @Test
        void defaultLocaleNotAmongTheSupported() {
            environment.put("LOCALE_DEFAULT", "az");
            assertTrue(failure().startsWith("LOCALE_DEFAULT (locale.default)"));
        }

        @Test
        void typoInTheConfigFile() throws IOException {
            Files.writeString(folder.resolve(ConfigLoader.DEFAULT_CONFIG_FILE), "locale.defualt=en\n");
            String message = failure();
            assertTrue(message.contains("unknown setting 'locale.defualt'"), message);
        }

        @Test
        void missingConfigFile() {
            environment.put("CONFIG_FILE", "config/nowhere.properties");
            assertTrue(failure().startsWith("CONFIG_FILE"));
        }

        @Test
        void pollTimeoutOutOfRange() {
            environment.put("POLLING_TIMEOUT_SECONDS", "600");
            assertTrue(failure().startsWith("POLLING_TIMEOUT_SECONDS (polling.timeout-seconds)"));
        }

        @Test
        void brokenDotEnv() throws IOException {
            Files.writeString(folder.resolve(".env"), "THIS LINE IS NOT A SETTING\n");
            assertTrue(failure().startsWith(".env cannot be read: line 1 is not NAME=value"), failure());
        }

        @Test
        void aDotEnvSavedWithAByteOrderMarkIsNamedAsSuch() throws IOException {
            // A Windows editor's "UTF-8 with BOM": dotenv would call the comment on line 1 malformed.
            Files.writeString(folder.resolve(".env"), "\uFEFF# the bot\nTELEGRAM_BOT_TOKEN=" + TOKEN + "\n");
            assertEquals(".env starts with a byte-order mark (saved as 'UTF-8 with BOM'): save it as plain UTF-8",
                    failure());
        }

        @Test
        void aBackupFolderThatCannotBeCreated() throws IOException {
            Files.writeString(folder.resolve("data-file"), "not a folder");
            environment.put("BACKUP_FOLDER", "data-file/backups");
            assertTrue(failure().startsWith("BACKUP_FOLDER (backup.folder) must be a folder this process can write "
                    + "to, or create: "), failure());
            assertTrue(failure().endsWith("data-file is not a folder"), failure());
        }

        @Test
        void aDotEnvLineThatHoldsTheTokenIsNamedNotRepeated() throws IOException {
            Files.writeString(folder.resolve(".env"), "# the bot\nexport TELEGRAM_BOT_TOKEN=" + TOKEN + "\n");
            assertTrue(failure().startsWith(".env cannot be read: line 2 (TELEGRAM_BOT_TOKEN) is not NAME=value (no "
                    + "'export' in front"), failure());
        }

        @Test
        void aMistypedAddressHoldingTheTokenIsQuotedWithoutIt() {
            environment.put("TELEGRAM_API_URL", "https://api.telegram.org/bot" + TOKEN + "/");
            assertTrue(failure().startsWith("TELEGRAM_API_URL"), failure());
            assertTrue(failure().contains("got 'https://api.telegram.org/bot<token>/'"), failure());
            environment.remove("TELEGRAM_API_URL");
            environment.put("HTTP_PORT", "8080");
            environment.put("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/?t=" + TOKEN);
            assertTrue(failure().startsWith("TELEGRAM_WEBHOOK_URL (telegram.webhook-url) must not contain the bot token"),
                    failure());
        }
    }

    @Nested
    class Webhooks {
        private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        private String failureWithoutSecret() {
            String message = failure();
            assertFalse(message.contains(SECRET.substring(6)), "never the secret: " + message);
            return message;
        }

        private void appendToFile(String lines) throws IOException {
            Path file = folder.resolve(ConfigLoader.DEFAULT_CONFIG_FILE);
            Files.writeString(file, Files.readString(file) + lines);
        }

        @Test
        void noneByDefault() {
            assertEquals(List.of(), load().webhooks());
        }

        @Test
        void oneEndpointFromTheEnvironmentReceivesEveryEvent() {
            environment.put("WEBHOOK_URL", "https://crm.example.org/hooks");
            environment.put("WEBHOOK_SECRET", SECRET);
            WebhookEndpoint endpoint = load().webhooks().get(0);
            assertEquals("default", endpoint.name());
            assertEquals(URI.create("https://crm.example.org/hooks"), endpoint.url());
            assertEquals(EnumSet.allOf(WebhookEventType.class), endpoint.events());
            assertFalse(load().toString().contains(SECRET), "the config's text never shows a secret");
        }

        @Test
        void severalEndpointsFromTheFileWithTheirSecretsFromTheEnvironment() throws IOException {
            appendToFile("""
                    webhooks.crm.url=https://crm.example.org/hooks
                    webhooks.crm.events=user.linked, rsvp.changed
                    webhooks.web-site.url=http://localhost:9000/events
                    webhooks.web-site.secret=%s
                    """.formatted(SECRET));
            environment.put("WEBHOOKS_CRM_SECRET", SECRET);
            List<WebhookEndpoint> endpoints = load().webhooks();
            assertEquals(List.of("crm", "web-site"), endpoints.stream().map(WebhookEndpoint::name).toList());
            assertEquals(Set.of(WebhookEventType.USER_LINKED, WebhookEventType.RSVP_CHANGED), endpoints.get(0).events());
            assertEquals(EnumSet.allOf(WebhookEventType.class), endpoints.get(1).events());
        }

        @Test
        void anEndpointCanLiveInTheEnvironmentAlone() {
            environment.put("WEBHOOKS_ARCHIVE_URL", "https://archive.example.org/in");
            environment.put("WEBHOOKS_ARCHIVE_SECRET", SECRET);
            assertEquals("archive", load().webhooks().get(0).name());
        }

        @Test
        void aUrlThatIsNotHttpNamesTheSetting() {
            environment.put("WEBHOOK_URL", "ftp://crm.example.org/hooks");
            environment.put("WEBHOOK_SECRET", SECRET);
            assertTrue(failureWithoutSecret().startsWith("WEBHOOK_URL (webhook.url) must be an http or https address"));
        }

        @Test
        void aRefusedUrlIsShownWithoutItsPathQueryOrUser() {
            // The space makes it invalid; the receiver's own token must not reach the log.
            environment.put("WEBHOOK_URL", "https://robot:hunter2@crm.example.org/h?token=abc def");
            environment.put("WEBHOOK_SECRET", SECRET);
            String failure = failureWithoutSecret();
            assertTrue(failure.endsWith("got 'https://crm.example.org/…'"), failure);
            assertFalse(failure.contains("abc") || failure.contains("hunter2"), failure);
        }

        @Test
        void aSecretWithoutItsPrefixIsRefusedWithoutEchoingIt() {
            environment.put("WEBHOOK_URL", "https://crm.example.org/hooks");
            environment.put("WEBHOOK_SECRET", SECRET.substring(6));
            assertTrue(failureWithoutSecret().startsWith("WEBHOOK_SECRET (webhook.secret) is malformed"));
        }

        @Test
        void aSecretTooShortOrNotBase64IsRefused() {
            environment.put("WEBHOOK_URL", "https://crm.example.org/hooks");
            environment.put("WEBHOOK_SECRET", "whsec_c2hvcnQ=");
            assertTrue(failureWithoutSecret().startsWith("WEBHOOK_SECRET (webhook.secret) is malformed"));
            environment.put("WEBHOOK_SECRET", "whsec_not base64 at all!!");
            assertTrue(failureWithoutSecret().startsWith("WEBHOOK_SECRET (webhook.secret) is malformed"));
        }

        @Test
        void aMissingSecretNamesTheSetting() throws IOException {
            appendToFile("webhooks.crm.url=https://crm.example.org/hooks\n");
            assertTrue(failure().startsWith("WEBHOOKS_CRM_SECRET (webhooks.crm.secret) is not set"));
        }

        @Test
        void aSecretWithoutAUrlNamesTheSetting() {
            environment.put("WEBHOOK_SECRET", SECRET);
            assertTrue(failureWithoutSecret().startsWith("WEBHOOK_SECRET (webhook.secret) is set but WEBHOOK_URL"));
        }

        @Test
        void anUnknownEventTypeNamesTheSettingAndTheTypes() throws IOException {
            appendToFile("webhooks.crm.url=https://crm.example.org/hooks\nwebhooks.crm.events=rsvp.changed,user.deleted\n");
            environment.put("WEBHOOKS_CRM_SECRET", SECRET);
            String message = failureWithoutSecret();
            assertTrue(message.startsWith("WEBHOOKS_CRM_EVENTS (webhooks.crm.events) must list event types among "
                    + "message.completed, delivery.failed, user.linked, user.blocked, rsvp.changed, user.erased: got 'user.deleted'"),
                    message);
        }

        @Test
        void anUnknownWebhookKeyIsATypo() throws IOException {
            appendToFile("webhooks.crm.uri=https://crm.example.org/hooks\n");
            assertTrue(failure().contains("unknown setting 'webhooks.crm.uri'"));
        }
    }

    @Nested
    class MetricsToken {
        @Test
        void withoutItMetricsAreOpen() {
            assertEquals(Optional.empty(), load().metrics().bearerToken());
        }

        @Test
        void aWellFormedTokenIsKeptAndNeverShownInTheConfigsText() {
            environment.put("METRICS_TOKEN", "scrape-8f3a1c9e2b7d4f60a5e1");
            AppConfig config = load();
            assertEquals(Optional.of("scrape-8f3a1c9e2b7d4f60a5e1"), config.metrics().bearerToken());
            assertFalse(config.toString().contains("scrape-8f3a1c9e2b7d4f60a5e1"), config.toString());
        }

        @Test
        void aShortOrOddTokenIsRefusedWithoutEchoingIt() {
            for (String token : List.of("short-secret", "with space inside it 1234567890", "quote\"token-123456789")) {
                environment.put("METRICS_TOKEN", token);
                String message = failure();
                assertTrue(message.startsWith("METRICS_TOKEN must be 16 to 200"), message);
                assertFalse(message.contains(token), message);
            }
        }

        @Test
        void itIsASecretSoTheConfigFileCannotHoldIt() throws IOException {
            Files.writeString(folder.resolve(ConfigLoader.DEFAULT_CONFIG_FILE),
                    "metrics.token=abcdefghijklmnopqrstuvwxyz\n");
            assertTrue(failure().contains("unknown setting 'metrics.token'"));
        }
    }
}

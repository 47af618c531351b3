package org.forumgateway.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
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
    void defaultsMakeAWorkingConfiguration() {
        AppConfig config = load();
        assertEquals("https://api.telegram.org", config.telegram().apiUrl().toString());
        assertEquals(folder.resolve("data/forum-gateway.db"), config.databasePath());
        assertEquals(Optional.of(8080), config.httpPort());
        assertEquals("en", config.defaultLocale());
        assertEquals(List.of("ko", "en", "ru"), config.supportedLocales());
        assertEquals(ZoneId.of("Asia/Seoul"), config.defaultTimeZone());
        assertEquals(6, config.timeZoneChoices().size());
        assertEquals(50, config.telegram().pollTimeoutSeconds());
        assertTrue(config.organization().text("name", "ru", "en").startsWith("Секретариат"));
        assertTrue(config.organization().text("name", "uz", "en").startsWith("Korea–Central Asia"));
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
            environment.put("LOCALE_DEFAULT", "uz");
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
            assertTrue(failure().startsWith(".env"));
        }
    }
}

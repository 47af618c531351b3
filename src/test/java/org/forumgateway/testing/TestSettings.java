package org.forumgateway.testing;

import org.forumgateway.config.AppConfig;
import org.forumgateway.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Configurations for tests: the shipped config file and messages, a database in the test's own folder, and a
 * working directory without a developer's .env.
 */
public final class TestSettings {
    private TestSettings() {
    }

    /** The repository root: tests run there. */
    public static Path repositoryRoot() {
        return Path.of("").toAbsolutePath();
    }

    /** The environment a test bot starts with; callers add or replace entries. */
    public static Map<String, String> environment(FakeTelegramApi api, Path folder) {
        return environment(api.url(), folder);
    }

    /** The environment of a test bot whose Bot API is at {@code apiUrl}, which need not answer yet. */
    public static Map<String, String> environment(String apiUrl, Path folder) {
        Map<String, String> environment = new HashMap<>();
        environment.put("TELEGRAM_BOT_TOKEN", FakeTelegramApi.TOKEN);
        environment.put("TELEGRAM_API_URL", apiUrl);
        environment.put("DATABASE_PATH", folder.resolve("bot.db").toString());
        environment.put("HTTP_PORT", "0");
        environment.put("CONFIG_FILE", repositoryRoot().resolve("config/forum-gateway.properties").toString());
        environment.put("MESSAGES_DIR", repositoryRoot().resolve("messages").toString());
        environment.put("POLLING_TIMEOUT_SECONDS", "2");
        // Conversations in tests are quicker than people; the delivery tests set Telegram's real limits.
        environment.put("DELIVERY_PER_CHAT_PER_SECOND", "50");
        // An empty schedule rather than none: a missing events file is logged as the operator's error.
        environment.put("EVENTS_FILE", emptySchedule(folder).toString());
        return environment;
    }

    private static Path emptySchedule(Path folder) {
        try {
            return Files.writeString(folder.resolve("empty-schedule.yaml"), "events: []\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AppConfig config(Map<String, String> environment, Path folder) {
        return ConfigLoader.load(environment, folder);
    }
}

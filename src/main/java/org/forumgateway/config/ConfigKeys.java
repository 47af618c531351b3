package org.forumgateway.config;

import org.forumgateway.delivery.DeliveryLimits;

import java.util.LinkedHashSet;
import java.util.Set;

/** Every setting forum-gateway reads. A config file key that is not here is a typo and stops start-up. */
final class ConfigKeys {
    static final Setting BOT_TOKEN = new Setting("telegram.bot-token");
    static final Setting API_URL = new Setting("telegram.api-url", "https://api.telegram.org");
    static final Setting WEBHOOK_URL = new Setting("telegram.webhook-url");
    static final Setting WEBHOOK_SECRET = new Setting("telegram.webhook-secret");
    static final Setting DATABASE_PATH = new Setting("database.path", "data/forum-gateway.db");
    static final Setting DATABASE_BUSY_TIMEOUT = new Setting("database.busy-timeout-ms", "10000");
    static final Setting ADMIN_IDS = new Setting("admin.ids");
    static final Setting HTTP_PORT = new Setting("http.port", "8080");
    /** Unset: every interface (as a container needs); behind a proxy on the same machine, 127.0.0.1. */
    static final Setting HTTP_HOST = new Setting("http.host");
    static final Setting CONFIG_FILE = new Setting("config.file", "config/forum-gateway.properties");
    static final Setting MESSAGES_DIR = new Setting("messages.dir", "messages");
    static final Setting METRICS_TOKEN = new Setting("metrics.token");

    static final Setting LOCALE_DEFAULT = new Setting("locale.default", "en");
    static final Setting LOCALE_SUPPORTED = new Setting("locale.supported");
    static final Setting TIMEZONE_DEFAULT = new Setting("timezone.default", "Asia/Seoul");
    static final Setting TIMEZONE_CHOICES = new Setting("timezone.choices",
            "Asia/Seoul,Asia/Almaty,Asia/Tashkent,Asia/Bishkek,Asia/Dushanbe,Asia/Ashgabat");
    static final Setting POLL_TIMEOUT = new Setting("polling.timeout-seconds", "50");
    /**
     * Handlers do no remote I/O (every reply goes through the outbox), so threads beyond a few per core only compete
     * for the CPU with the intake of updates: 4 answered webhook pushes faster than 8 on two cores (WebhookBenchmark).
     */
    static final Setting WORKER_THREADS = new Setting("chat.worker-threads", "4");
    static final Setting ORGANIZATION_WEBSITE = new Setting("organization.website");
    static final Setting EVENTS_FILE = new Setting("events.file", "config/events.yaml");
    static final Setting PUBLIC_URL = new Setting("http.public-url");
    static final Setting INVITE_VALIDITY_DAYS = new Setting("invite.validity-days", "14");
    static final Setting INVITE_MAX_USES = new Setting("invite.max-uses", "50");
    static final Setting COUNTRIES = new Setting("delegates.countries", "KR,KZ,KG,TJ,TM,UZ");
    // Telegram's own limits are written once, in DeliveryLimits.
    static final Setting DELIVERY_MAX_PER_SECOND = new Setting("delivery.max-per-second",
            number(DeliveryLimits.telegramDefaults().perSecond()));
    static final Setting DELIVERY_PER_CHAT_PER_SECOND = new Setting("delivery.per-chat-per-second",
            number(DeliveryLimits.telegramDefaults().perChatPerSecond()));
    static final Setting DELIVERY_GROUP_PER_MINUTE = new Setting("delivery.group-per-minute",
            number(DeliveryLimits.telegramDefaults().groupPerMinute()));
    static final Setting DELIVERY_MAX_IN_FLIGHT = new Setting("delivery.max-in-flight",
            number(DeliveryLimits.telegramDefaults().maxInFlight()));
    static final Setting REMINDER_OFFSETS = new Setting("reminders.default-offsets", "24h,1h");
    static final Setting DEADLINE_NUDGE = new Setting("reminders.deadline-nudge", "24h");
    static final Setting QUIET_HOURS = new Setting("quiet-hours.default", "22:00-08:00");
    static final Setting BACKUP_FOLDER = new Setting("backup.folder", "data/backups");
    static final Setting BACKUP_TIME = new Setting("backup.time", "03:00");
    static final Setting BACKUP_KEEP = new Setting("backup.keep", "7");
    static final Setting API_KEYS = new Setting("api.keys");
    static final Setting API_RATE_PER_SECOND = new Setting("api.rate-per-second", "20");
    static final Setting API_BURST = new Setting("api.burst", "40");

    /** Localized organization texts: {@code organization.<field>.<locale>}. */
    static final String ORGANIZATION_PREFIX = "organization.";
    static final Set<String> ORGANIZATION_TEXTS =
            Set.of("name", "summary", "history", "functions", "supporters", "address");

    /** Settings that are read from the environment and .env only: secrets and where to find the rest. */
    static final Set<Setting> ENVIRONMENT_ONLY =
            Set.of(BOT_TOKEN, API_URL, WEBHOOK_SECRET, DATABASE_PATH, DATABASE_BUSY_TIMEOUT, ADMIN_IDS, HTTP_PORT,
                    HTTP_HOST, CONFIG_FILE, MESSAGES_DIR, METRICS_TOKEN, API_KEYS);

    static final Set<Setting> FILE_SETTINGS = Set.of(
            LOCALE_DEFAULT, LOCALE_SUPPORTED, TIMEZONE_DEFAULT, TIMEZONE_CHOICES, POLL_TIMEOUT, WEBHOOK_URL,
            WORKER_THREADS,
            ORGANIZATION_WEBSITE, EVENTS_FILE, PUBLIC_URL, INVITE_VALIDITY_DAYS, INVITE_MAX_USES, COUNTRIES,
            DELIVERY_MAX_PER_SECOND, DELIVERY_PER_CHAT_PER_SECOND, DELIVERY_GROUP_PER_MINUTE, DELIVERY_MAX_IN_FLIGHT,
            REMINDER_OFFSETS, DEADLINE_NUDGE, QUIET_HOURS, BACKUP_FOLDER, BACKUP_TIME, BACKUP_KEEP,
            API_RATE_PER_SECOND, API_BURST);

    /** Every setting of the config file or the environment, for the README check. */
    static Set<Setting> all() {
        Set<Setting> all = new LinkedHashSet<>(ENVIRONMENT_ONLY);
        all.addAll(FILE_SETTINGS);
        return all;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private ConfigKeys() {
    }
}

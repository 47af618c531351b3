package org.forumgateway.config;

import java.util.Set;

/** Every setting forum-gateway reads. A config file key that is not here is a typo and stops start-up. */
final class ConfigKeys {
    static final Setting BOT_TOKEN = new Setting("telegram.bot-token");
    static final Setting API_URL = new Setting("telegram.api-url");
    static final Setting DATABASE_PATH = new Setting("database.path");
    static final Setting ADMIN_IDS = new Setting("admin.ids");
    static final Setting HTTP_PORT = new Setting("http.port");
    static final Setting CONFIG_FILE = new Setting("config.file");
    static final Setting MESSAGES_DIR = new Setting("messages.dir");

    static final Setting LOCALE_DEFAULT = new Setting("locale.default");
    static final Setting LOCALE_SUPPORTED = new Setting("locale.supported");
    static final Setting TIMEZONE_DEFAULT = new Setting("timezone.default");
    static final Setting TIMEZONE_CHOICES = new Setting("timezone.choices");
    static final Setting POLL_TIMEOUT = new Setting("polling.timeout-seconds");
    static final Setting WORKER_THREADS = new Setting("chat.worker-threads");
    static final Setting ORGANIZATION_WEBSITE = new Setting("organization.website");
    static final Setting EVENTS_FILE = new Setting("events.file");
    static final Setting PUBLIC_URL = new Setting("http.public-url");
    static final Setting INVITE_VALIDITY_DAYS = new Setting("invite.validity-days");
    static final Setting INVITE_MAX_USES = new Setting("invite.max-uses");
    static final Setting COUNTRIES = new Setting("delegates.countries");
    static final Setting DELIVERY_MAX_PER_SECOND = new Setting("delivery.max-per-second");
    static final Setting DELIVERY_PER_CHAT_PER_SECOND = new Setting("delivery.per-chat-per-second");
    static final Setting DELIVERY_GROUP_PER_MINUTE = new Setting("delivery.group-per-minute");
    static final Setting DELIVERY_MAX_IN_FLIGHT = new Setting("delivery.max-in-flight");
    static final Setting REMINDER_OFFSETS = new Setting("reminders.default-offsets");
    static final Setting DEADLINE_NUDGE = new Setting("reminders.deadline-nudge");
    static final Setting QUIET_HOURS = new Setting("quiet-hours.default");
    static final Setting BACKUP_FOLDER = new Setting("backup.folder");
    static final Setting BACKUP_TIME = new Setting("backup.time");
    static final Setting BACKUP_KEEP = new Setting("backup.keep");
    static final Setting API_KEYS = new Setting("api.keys");
    static final Setting API_RATE_PER_SECOND = new Setting("api.rate-per-second");
    static final Setting API_BURST = new Setting("api.burst");

    /** Localized organization texts: {@code organization.<field>.<locale>}. */
    static final String ORGANIZATION_PREFIX = "organization.";
    static final Set<String> ORGANIZATION_TEXTS = Set.of("name", "summary", "functions", "address");

    /** Settings that are read from the environment and .env only: secrets and where to find the rest. */
    static final Set<Setting> ENVIRONMENT_ONLY =
            Set.of(BOT_TOKEN, API_URL, DATABASE_PATH, ADMIN_IDS, HTTP_PORT, CONFIG_FILE, MESSAGES_DIR, API_KEYS);

    static final Set<Setting> FILE_SETTINGS = Set.of(
            LOCALE_DEFAULT, LOCALE_SUPPORTED, TIMEZONE_DEFAULT, TIMEZONE_CHOICES, POLL_TIMEOUT, WORKER_THREADS,
            ORGANIZATION_WEBSITE, EVENTS_FILE, PUBLIC_URL, INVITE_VALIDITY_DAYS, INVITE_MAX_USES, COUNTRIES,
            DELIVERY_MAX_PER_SECOND, DELIVERY_PER_CHAT_PER_SECOND, DELIVERY_GROUP_PER_MINUTE, DELIVERY_MAX_IN_FLIGHT,
            REMINDER_OFFSETS, DEADLINE_NUDGE, QUIET_HOURS, BACKUP_FOLDER, BACKUP_TIME, BACKUP_KEEP,
            API_RATE_PER_SECOND, API_BURST);

    private ConfigKeys() {
    }
}

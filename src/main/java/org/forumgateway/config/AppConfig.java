package org.forumgateway.config;

import org.forumgateway.delivery.DeliveryLimits;
import org.forumgateway.webhooks.WebhookEndpoint;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything forum-gateway is configured with, validated. Built by {@link ConfigLoader}; immutable.
 *
 * @param supportedLocales locale codes offered to users; empty means every locale that has a messages file
 * @param httpPort         port of the HTTP server; empty when it is turned off
 * @param httpHost         the address it listens on; empty for every interface
 * @param webhooks         endpoints that receive outgoing webhooks; empty when none is configured
 * @param metrics          who may read GET /metrics
 * @param databaseBusyTimeout how long a write waits for another writer's lock before it fails
 */
public record AppConfig(
        TelegramSettings telegram,
        Path databasePath,
        Duration databaseBusyTimeout,
        Set<Long> adminIds,
        Optional<Integer> httpPort,
        Optional<String> httpHost,
        Path messagesDir,
        String defaultLocale,
        List<String> supportedLocales,
        ZoneId defaultTimeZone,
        List<ZoneId> timeZoneChoices,
        int workerThreads,
        OrganizationProfile organization,
        Schedule schedule,
        DeliveryLimits delivery,
        Automation automation,
        List<WebhookEndpoint> webhooks,
        MetricsSettings metrics,
        Gateway gateway) {

    public AppConfig {
        webhooks = List.copyOf(webhooks);
        adminIds = Set.copyOf(adminIds);
        supportedLocales = List.copyOf(supportedLocales);
        timeZoneChoices = List.copyOf(timeZoneChoices);
    }

    /**
     * The HTTP API for other systems.
     *
     * @param apiKeys      keys from API_KEYS by name: secrets, never logged; they have every scope
     * @param ratePerSecond requests a second each key may make on average
     * @param burst        requests a key may make at once after a quiet spell
     */
    public record Gateway(Map<String, String> apiKeys, double ratePerSecond, int burst) {
        public Gateway {
            apiKeys = Map.copyOf(apiKeys);
        }

        @Override
        public String toString() {
            return "Gateway[apiKeys=" + apiKeys.keySet() + ", ratePerSecond=" + ratePerSecond + ", burst=" + burst
                    + "]";
        }
    }

    /**
     * Reminders, nudges, quiet hours and backups.
     *
     * @param quietStart minutes after local midnight; quiet hours may cross midnight
     */
    public record Automation(List<Duration> defaultReminders, Duration deadlineNudge, int quietStart, int quietEnd,
                             Path backupFolder, LocalTime backupTime, int backupKeep) {
        public Automation {
            defaultReminders = List.copyOf(defaultReminders);
        }
    }

    /**
     * Events, invites and calendar links.
     *
     * @param publicUrl   where the HTTP server is reachable from users' phones, for calendar feed links
     * @param countries   ISO codes of the countries whose delegates the bot serves, in display order
     */
    public record Schedule(Path eventsFile, URI publicUrl, Duration inviteValidity, int inviteMaxUses,
                           List<String> countries) {
        public Schedule {
            countries = List.copyOf(countries);
        }
    }
}

package org.forumgateway.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything forum-gateway is configured with, validated. Built by {@link ConfigLoader}; immutable.
 *
 * @param supportedLocales locale codes offered to users; empty means every locale that has a messages file
 * @param httpPort         port of the HTTP server; empty when it is turned off
 */
public record AppConfig(
        TelegramSettings telegram,
        Path databasePath,
        Set<Long> adminIds,
        Optional<Integer> httpPort,
        Path messagesDir,
        String defaultLocale,
        List<String> supportedLocales,
        ZoneId defaultTimeZone,
        List<ZoneId> timeZoneChoices,
        int workerThreads,
        OrganizationProfile organization) {

    public AppConfig {
        adminIds = Set.copyOf(adminIds);
        supportedLocales = List.copyOf(supportedLocales);
        timeZoneChoices = List.copyOf(timeZoneChoices);
    }

    /** The same configuration with another HTTP port; tests pick free ports this way. */
    public AppConfig withHttpPort(Optional<Integer> port) {
        return new AppConfig(telegram, databasePath, adminIds, port, messagesDir, defaultLocale, supportedLocales,
                defaultTimeZone, timeZoneChoices, workerThreads, organization);
    }
}
